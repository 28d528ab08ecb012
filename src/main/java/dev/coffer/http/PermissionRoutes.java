package dev.coffer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.authz.PermissionTarget;
import dev.coffer.common.Action;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.permission.PermissionService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** API.md §3: permission targets in Artifactory's shape. */
public final class PermissionRoutes {
    private final PermissionService permissions;
    private final long maxJsonBytes;
    private final AuditTrail audit;

    public PermissionRoutes(PermissionService permissions, long maxJsonBytes, AuditTrail audit) {
        this.permissions = Objects.requireNonNull(permissions);
        this.maxJsonBytes = maxJsonBytes;
        this.audit = Objects.requireNonNull(audit);
    }

    public List<Route> routes() {
        return List.of(
                new Route(HandlerType.GET, "/api/permissions", new Requirement.Admin(), this::list),
                new Route(HandlerType.GET, "/api/permissions/{name}", new Requirement.Admin(), this::get),
                new Route(HandlerType.PUT, "/api/permissions/{name}", new Requirement.Admin(), this::put),
                new Route(HandlerType.DELETE, "/api/permissions/{name}", new Requirement.Admin(), this::delete));
    }

    static ObjectNode json(PermissionTarget t) {
        ObjectNode o = Json.object();
        o.put("name", t.name());
        t.repositories().forEach(o.putArray("repositories")::add);
        t.includePatterns().forEach(o.putArray("includePatterns")::add);
        t.excludePatterns().forEach(o.putArray("excludePatterns")::add);
        o.set("users", grants(t.users()));
        o.set("groups", grants(t.groups()));
        return o;
    }

    private static ObjectNode grants(Map<String, Set<Action>> m) {
        ObjectNode o = Json.object();
        m.forEach((k, v) -> {
            ArrayNode a = o.putArray(k);
            for (char c : Action.letters(v).toCharArray()) {
                a.add(String.valueOf(c));
            }
        });
        return o;
    }

    private static CofferException notFound(String name) {
        return new CofferException(new Failure.NotFound("permission_not_found",
                "there is no permission target '" + name + "'"));
    }

    private void list(Context ctx, Route.Request r) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        permissions.list().forEach(t -> out.add(json(t)));
        Json.send(ctx, 200, out);
    }

    private void get(Context ctx, Route.Request r) {
        String name = ctx.pathParam("name");
        Json.send(ctx, 200, json(permissions.find(name).orElseThrow(() -> notFound(name))));
    }

    private void put(Context ctx, Route.Request r) {
        String name = ctx.pathParam("name");
        ObjectNode body = Json.body(ctx, maxJsonBytes);
        JsonNode bodyName = body.get("name");
        if (bodyName != null && !bodyName.isNull() && !name.equals(bodyName.asText())) {
            throw CofferException.invalid("name_mismatch", "the name in the body differs from the one in the URL");
        }
        List<String> repos = RepositoryRoutes.strings(body, "repositories");
        if (repos == null || repos.isEmpty()) {
            throw CofferException.invalid("permission_invalid", "'repositories' must list at least one repository or \"*\"");
        }
        List<String> includes = RepositoryRoutes.strings(body, "includePatterns");
        List<String> excludes = RepositoryRoutes.strings(body, "excludePatterns");
        PermissionTarget target;
        try {
            target = new PermissionTarget(name, repos, includes == null || includes.isEmpty() ? List.of("**") : includes,
                    excludes == null ? List.of() : excludes, actions(body, "users"), actions(body, "groups"));
        } catch (IllegalArgumentException e) {
            throw CofferException.invalid("permission_invalid", e.getMessage());
        }
        boolean created = permissions.put(target);
        Json.send(ctx, created ? 201 : 200, json(target));
        audit.success(ctx, r.caller(), created ? "permission.create" : "permission.update", null, "permissions/" + name);
    }

    private static Map<String, Set<Action>> actions(ObjectNode body, String field) {
        Map<String, Set<Action>> out = new LinkedHashMap<>();
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw CofferException.invalid("permission_invalid", "'" + field + "' must map names to lists of actions");
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Set<Action> set = EnumSet.noneOf(Action.class);
            if (!e.getValue().isArray()) {
                throw CofferException.invalid("permission_invalid", "the actions of '" + e.getKey() + "' must be a list");
            }
            for (JsonNode a : e.getValue()) {
                try {
                    set.add(Action.fromLetter(a.asText()));
                } catch (IllegalArgumentException ex) {
                    throw CofferException.invalid("permission_invalid", ex.getMessage());
                }
            }
            out.put(e.getKey(), set);
        }
        return out;
    }

    private void delete(Context ctx, Route.Request r) {
        String name = ctx.pathParam("name");
        if (!permissions.delete(name)) {
            throw notFound(name);
        }
        ctx.status(204);
        audit.success(ctx, r.caller(), "permission.delete", null, "permissions/" + name);
    }
}
