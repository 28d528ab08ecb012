package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.authz.Decision;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.credential.Caller;
import dev.coffer.format.maven.MavenLayout;
import dev.coffer.permission.AccessService;
import dev.coffer.repository.Repository;
import dev.coffer.virtual.Resolution;
import dev.coffer.virtual.VirtualMetadata;
import dev.coffer.virtual.VirtualResolver;
import java.util.List;
import java.util.Objects;

/**
 * The part of {@code GET /api/access/check} about a virtual repository (API.md §9): for a read,
 * which member would answer (or that none does) and why each other one does not; for a deploy,
 * the deploy repository and the right there; a delete is refused (405). Members are looked at only
 * for a caller who may do the action on the virtual repository itself: anyone else is refused
 * before any member is asked, and so learns nothing about them.
 */
final class VirtualCheck {
    /**
     * The decision with the virtual layer taken into account, and its explanation; {@code fetched}:
     * the members' files that naming the answering member fetched from an upstream (the caller audits
     * them, as a download through the virtual repository would be).
     */
    record Outcome(boolean allowed, String reason, ObjectNode virtual, List<Resolution.Hit> fetched) {
        Outcome(boolean allowed, String reason, ObjectNode virtual) {
            this(allowed, reason, virtual, List.of());
        }
    }

    private final VirtualResolver resolver;
    private final AccessService access;

    VirtualCheck(VirtualResolver resolver, AccessService access) {
        this.resolver = Objects.requireNonNull(resolver);
        this.access = Objects.requireNonNull(access);
    }

    Outcome explain(Repository virtual, Caller caller, ArtifactPath path, Action action, Decision onVirtual) {
        ObjectNode v = Json.object();
        v.put("defaultDeployRepo", virtual.virtual().defaultDeployRepo());
        ArrayNode members = v.putArray("members");
        v.putNull("member");
        if (!onVirtual.allowed()) {
            return new Outcome(false, onVirtual.reason(), v);
        }
        return switch (action) {
            case READ -> read(virtual, caller, path, onVirtual, v, members);
            case WRITE -> write(virtual, caller, path, onVirtual, v, members);
            case DELETE ->
                new Outcome(
                        false,
                        "files cannot be deleted through virtual repository '" + virtual.name()
                                + "' (405): delete them in the member that holds them",
                        v);
            default -> new Outcome(true, onVirtual.reason(), v);
        };
    }

    private Outcome read(
            Repository virtual, Caller caller, ArtifactPath path, Decision onVirtual, ObjectNode v, ArrayNode members) {
        boolean merged = VirtualMetadata.applies(virtual, path);
        ArtifactPath asked = merged ? MavenLayout.metadataDocument(path).orElseThrow() : path;
        Resolution found = merged ? resolver.all(virtual, caller, asked) : resolver.first(virtual, caller, path);
        for (Resolution.Step step : found.steps()) {
            ObjectNode m = members.addObject();
            m.put("repo", step.repo());
            m.put("outcome", step.outcome().json());
            String why = step.outcome().sentence();
            if (step.outcome() == Resolution.Outcome.NOT_READABLE) {
                why += ": "
                        + access.decide(
                                        caller.throughVirtual(virtual.name(), step.repo()),
                                        Action.READ,
                                        step.repo(),
                                        asked)
                                .reason();
            }
            m.put("reason", why);
        }
        v.put("merged", merged);
        String answer;
        if (found.first().isPresent()) {
            v.put("member", found.first().get().member().name());
            answer = merged
                    ? "maven-metadata.xml is merged from "
                            + String.join(
                                    ", ",
                                    found.hits().stream()
                                            .map(h -> "'" + h.member().name() + "'")
                                            .toList())
                    : "member '" + found.first().get().member().name() + "' answers";
        } else {
            answer = "no member answers for this caller (404)";
        }
        List<Resolution.Hit> fetched =
                found.hits().stream().filter(Resolution.Hit::fetched).toList();
        return new Outcome(true, onVirtual.reason() + "; " + answer, v, fetched);
    }

    private Outcome write(
            Repository virtual, Caller caller, ArtifactPath path, Decision onVirtual, ObjectNode v, ArrayNode members) {
        String target = virtual.virtual().defaultDeployRepo();
        if (target == null) {
            return new Outcome(
                    false,
                    "virtual repository '" + virtual.name() + "' has no default deploy repository: deploys are refused"
                            + " (405)",
                    v);
        }
        Decision there = access.decide(caller.throughVirtual(virtual.name(), target), Action.WRITE, target, path);
        ObjectNode m = members.addObject();
        m.put("repo", target);
        m.put("outcome", there.allowed() ? "deploys" : "not_writable");
        m.put("reason", there.reason());
        v.put("member", target);
        return there.allowed()
                ? new Outcome(true, onVirtual.reason() + "; deploys land in '" + target + "': " + there.reason(), v)
                : new Outcome(false, "deploys land in '" + target + "', where " + there.reason(), v);
    }
}
