package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.authz.Principal;
import dev.coffer.credential.Caller;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/** /api/health and /api/me. */
public final class SystemRoutes {
    private final BooleanSupplier healthy;

    public SystemRoutes(BooleanSupplier healthy) {
        this.healthy = Objects.requireNonNull(healthy);
    }

    public List<Route> routes() {
        return List.of(
                new Route(
                        HandlerType.GET,
                        "/api/health",
                        new Requirement.Anyone("health checks need no credentials"),
                        this::health),
                new Route(
                        HandlerType.GET,
                        "/api/me",
                        new Requirement.Anyone("describes the caller, anonymous included"),
                        this::me));
    }

    private void health(Context ctx, Route.Request r) {
        if (healthy.getAsBoolean()) {
            ObjectNode o = Json.object();
            o.put("status", "ok");
            Json.send(ctx, 200, o);
        } else {
            Errors.send(ctx, 503, "backend_unavailable", "storage or metadata does not answer");
        }
    }

    private void me(Context ctx, Route.Request r) {
        Caller c = r.caller();
        ObjectNode o = Json.object();
        if (c.principal() instanceof Principal.User u) {
            o.put("username", u.username());
            o.put("userId", u.userId());
            o.put("admin", u.admin());
            ArrayNode g = o.putArray("groups");
            u.groups().stream().sorted().forEach(g::add);
            o.put("scope", u.scope().toString());
        } else {
            o.putNull("username");
            o.putNull("userId");
            o.put("admin", false);
            o.putArray("groups");
            o.putNull("scope");
        }
        o.put("authenticatedBy", c.authenticatedBy().label());
        o.put("credentialId", c.credentialId());
        Json.send(ctx, 200, o);
    }
}
