package dev.coffer.http;

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
        return new CofferException(
                new Failure.NotFound("permission_not_found", "there is no permission target '" + name + "'"));
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
        Body body = Bodies.PERMISSION_TARGET.read(Json.body(ctx, maxJsonBytes));
        body.requireName("name", name);
        PermissionTarget[] saved = new PermissionTarget[1];
        boolean created = permissions.put(name, current -> saved[0] = merged(name, body, current.orElse(null)));
        Json.send(ctx, created ? 201 : 200, json(saved[0]));
        audit.success(
                ctx, r.caller(), created ? "permission.create" : "permission.update", null, "permissions/" + name);
    }

    /**
     * On an update, fields left out keep their current values (API.md §3), so what a request does
     * not say never widens a target. A new target needs its repositories; its include patterns
     * default to {@code **} (Artifactory's default), the other fields to nothing.
     */
    private static PermissionTarget merged(String name, Body body, PermissionTarget current) {
        List<String> repos = body.strings("repositories");
        if (repos == null && current == null) {
            throw CofferException.invalid(
                    "permission_invalid",
                    "a new permission target needs 'repositories': at "
                            + "least one repository, or \"*\" for every one");
        }
        try {
            return new PermissionTarget(
                    name,
                    repos != null ? repos : current.repositories(),
                    or(body.strings("includePatterns"), current == null ? List.of("**") : current.includePatterns()),
                    or(body.strings("excludePatterns"), current == null ? List.of() : current.excludePatterns()),
                    or(body.grants("users"), current == null ? Map.of() : current.users()),
                    or(body.grants("groups"), current == null ? Map.of() : current.groups()));
        } catch (IllegalArgumentException e) {
            throw CofferException.invalid("permission_invalid", e.getMessage());
        }
    }

    private static <T> T or(T given, T current) {
        return given != null ? given : current;
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
