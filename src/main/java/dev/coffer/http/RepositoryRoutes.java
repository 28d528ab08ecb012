package dev.coffer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.common.Action;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.permission.AccessService;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** API.md §3: repositories. */
public final class RepositoryRoutes {
    private final RepositoryService repositories;
    private final ArtifactService artifacts;
    private final AccessService access;
    private final long maxJsonBytes;
    private final AuditTrail audit;

    public RepositoryRoutes(RepositoryService repositories, ArtifactService artifacts, AccessService access,
            long maxJsonBytes, AuditTrail audit) {
        this.repositories = Objects.requireNonNull(repositories);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.access = Objects.requireNonNull(access);
        this.maxJsonBytes = maxJsonBytes;
        this.audit = Objects.requireNonNull(audit);
    }

    public List<Route> routes() {
        return List.of(
                new Route(HandlerType.GET, "/api/repositories",
                        new Requirement.Anyone("lists only repositories where the caller has some action"), this::list),
                new Route(HandlerType.GET, "/api/repositories/{repo}",
                        new Requirement.Custom("some action on the repository"), this::get),
                new Route(HandlerType.PUT, "/api/repositories/{repo}",
                        new Requirement.Custom("admin; or 'm' on the repository to update it"), this::put),
                new Route(HandlerType.DELETE, "/api/repositories/{repo}", new Requirement.Admin(), this::delete));
    }

    static ObjectNode json(Repository r) {
        ObjectNode o = Json.object();
        o.put("name", r.name());
        o.put("description", r.description());
        o.put("anonymousRead", r.anonymousRead());
        o.put("created", Json.time(r.createdAt()));
        o.put("lastModified", Json.time(r.updatedAt()));
        return o;
    }

    private void list(Context ctx, Route.Request r) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Repository repo : repositories.list()) {
            if (!access.actionsIn(r.caller(), repo.name()).isEmpty()) {
                out.add(json(repo));
            }
        }
        Json.send(ctx, 200, out);
    }

    private void get(Context ctx, Route.Request r) {
        String name = ctx.pathParam("repo");
        Set<Action> actions = access.actionsIn(r.caller(), name);
        if (actions.isEmpty()) {
            throw Guard.denied(r.caller(), "no action on repository '" + name + "'");
        }
        Repository repo = repositories.require(name);
        ObjectNode o = json(repo);
        o.put("actions", Action.letters(actions));
        Json.send(ctx, 200, o);
    }

    private void put(Context ctx, Route.Request r) {
        String name = ctx.pathParam("repo");
        boolean exists = repositories.find(name).isPresent();
        if (!r.caller().isAdmin()) {
            Guard.requireUser(r.caller());
            if (!exists || !access.actionsIn(r.caller(), name).contains(Action.MANAGE)) {
                throw Guard.denied(r.caller(), exists
                        ? "updating repository '" + name + "' needs the manage (m) action"
                        : "creating a repository needs an administrator");
            }
        }
        ObjectNode body = Json.body(ctx, maxJsonBytes);
        JsonNode bodyName = body.get("name");
        if (bodyName != null && !bodyName.isNull() && !name.equals(bodyName.asText())) {
            throw CofferException.invalid("name_mismatch", "the name in the body differs from the one in the URL");
        }
        String description = text(body, "description");
        Boolean anonymousRead = bool(body, "anonymousRead");
        RepositoryService.Saved saved = repositories.put(name, new RepositoryService.Change(description, anonymousRead));
        Json.send(ctx, saved.created() ? 201 : 200, json(saved.repository()));
        audit.success(ctx, r.caller(), saved.created() ? "repository.create" : "repository.update", name, null);
    }

    private void delete(Context ctx, Route.Request r) {
        String name = ctx.pathParam("repo");
        repositories.require(name);
        artifacts.deleteRepository(name, () -> repositories.delete(name));
        ctx.status(204);
        audit.success(ctx, r.caller(), "repository.delete", name, null);
    }

    static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw CofferException.invalid("body_invalid", "'" + field + "' must be a string");
        }
        return n.asText();
    }

    static Boolean bool(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw CofferException.invalid("body_invalid", "'" + field + "' must be true or false");
        }
        return n.asBoolean();
    }

    static List<String> strings(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw CofferException.invalid("body_invalid", "'" + field + "' must be a list of strings");
        }
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw CofferException.invalid("body_invalid", "'" + field + "' must be a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }
}
