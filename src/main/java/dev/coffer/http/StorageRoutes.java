package dev.coffer.http;

import dev.coffer.admission.Locator;
import dev.coffer.admission.RepoTarget;
import dev.coffer.admission.Requirement;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.common.Action;
import dev.coffer.common.CofferException;
import dev.coffer.permission.AccessService;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import dev.coffer.virtual.Resolution;
import dev.coffer.virtual.VirtualListing;
import dev.coffer.virtual.VirtualResolver;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** API.md §2: storage info and properties (Artifactory's /api/storage). */
public final class StorageRoutes {
    private final ArtifactService artifacts;
    private final RepositoryService repositories;
    private final AccessService access;
    private final AuditTrail audit;
    private final VirtualResolver virtuals;
    private final VirtualListing listing;

    public StorageRoutes(
            ArtifactService artifacts,
            RepositoryService repositories,
            AccessService access,
            AuditTrail audit,
            VirtualResolver virtuals) {
        this.artifacts = Objects.requireNonNull(artifacts);
        this.repositories = Objects.requireNonNull(repositories);
        this.access = Objects.requireNonNull(access);
        this.audit = Objects.requireNonNull(audit);
        this.virtuals = Objects.requireNonNull(virtuals);
        this.listing = new VirtualListing(virtuals);
    }

    public List<Route> routes() {
        String any = "/api/storage/{repo}/<path>";
        Locator storage = Locator.under(Guard.STORAGE_PREFIX);
        Requirement read = new Requirement.RepoAction(Action.READ, storage);
        Requirement annotate = new Requirement.RepoAction(Action.ANNOTATE, storage);
        return List.of(
                new Route(HandlerType.GET, "/api/storage/{repo}", read, this::info),
                new Route(HandlerType.GET, any, read, this::info),
                new Route(HandlerType.PUT, any, annotate, this::setProperties),
                new Route(HandlerType.DELETE, any, annotate, this::deleteProperties));
    }

    private void info(Context ctx, Route.Request r) {
        RepoTarget t = r.target();
        Repository repo = repositories.require(t.repo());
        if (repo.isVirtual()) {
            virtualInfo(ctx, r, repo);
            return;
        }
        Optional<FileRecord> file = t.path().isRoot() ? Optional.empty() : artifacts.find(t.repo(), t.path());
        if (file.isPresent()) {
            if (!r.targetAllowed()) {
                throw Guard.denied(r.caller(), "reading '" + t.path() + "' is not allowed");
            }
            Json.send(ctx, 200, FileInfo.file(file.get(), artifacts.properties(t.repo(), t.path())));
            return;
        }
        Json.send(ctx, 200, FileInfo.folder(t.repo(), t.path(), ContentRoutes.readableChildren(artifacts, access, r)));
    }

    /**
     * A virtual repository holds nothing itself: what its members show the caller through it, as
     * its downloads and listings do — a file as the member that answers has it, a folder merged.
     * Never asks an upstream (a remote member's cache only).
     */
    private void virtualInfo(Context ctx, Route.Request r, Repository virtual) {
        RepoTarget t = r.target();
        if (!t.path().isRoot() && r.targetAllowed()) {
            Optional<Resolution.Hit> hit = virtuals.firstCached(virtual, r.caller(), t.path(), (m, p) -> true);
            if (hit.isPresent()) {
                Resolution.Hit h = hit.get();
                Json.send(
                        ctx,
                        200,
                        FileInfo.file(h.file(), artifacts.properties(h.member().name(), t.path())));
                return;
            }
        }
        Optional<List<ArtifactService.Child>> children = listing.children(virtual, r.caller(), t.path());
        if (children.isEmpty()) {
            if (!r.targetAllowed()) {
                throw Guard.denied(r.caller(), "reading '" + t.path() + "' is not allowed");
            }
            throw CofferException.notFound(
                    "there is nothing at '" + t.path() + "' in repository '" + virtual.name() + "'");
        }
        Json.send(ctx, 200, FileInfo.folder(virtual.name(), t.path(), children.get()));
    }

    private void setProperties(Context ctx, Route.Request r) {
        RepoTarget t = r.target();
        repositories.require(t.repo());
        FormOrJson.queryOnce(ctx);
        String spec = ctx.queryParam("properties");
        if (spec == null || spec.isBlank()) {
            throw CofferException.invalid("properties_invalid", "give properties as ?properties=k1=v1;k2=v2,v3");
        }
        artifacts.setProperties(t.repo(), t.path(), parseSet(spec));
        ctx.status(204);
        audit.success(ctx, r.caller(), "properties.set", t.repo(), t.path().toString());
    }

    private void deleteProperties(Context ctx, Route.Request r) {
        RepoTarget t = r.target();
        repositories.require(t.repo());
        FormOrJson.queryOnce(ctx);
        String spec = ctx.queryParam("properties");
        if (spec == null || spec.isBlank()) {
            throw CofferException.invalid("properties_invalid", "name the properties to delete as ?properties=k1,k2");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String n : spec.split(",")) {
            if (!n.isBlank()) {
                names.add(n.trim());
            }
        }
        artifacts.deleteProperties(t.repo(), t.path(), names);
        ctx.status(204);
        audit.success(ctx, r.caller(), "properties.delete", t.repo(), t.path().toString());
    }

    /** Artifactory's syntax: pairs separated by ';', several values of one key by ','. */
    static Map<String, List<String>> parseSet(String spec) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : spec.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw CofferException.invalid("properties_invalid", "'" + pair + "' is not of the form key=value");
            }
            String key = pair.substring(0, eq).trim();
            List<String> values = new ArrayList<>();
            for (String v : pair.substring(eq + 1).split(",", -1)) {
                values.add(v);
            }
            if (key.isEmpty() || key.length() > 255 || values.stream().anyMatch(v -> v.length() > 4096)) {
                throw CofferException.invalid(
                        "properties_invalid", "property names are 1-255 characters, values up to 4096");
            }
            out.computeIfAbsent(key, k -> new ArrayList<>()).addAll(values);
        }
        return out;
    }
}
