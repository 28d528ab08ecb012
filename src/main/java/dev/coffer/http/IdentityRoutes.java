package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.identity.Group;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;

/** API.md §3: users and groups (administrators; a user may read themself). */
public final class IdentityRoutes {
    private final UserService users;
    private final long maxJsonBytes;
    private final AuditTrail audit;

    public IdentityRoutes(UserService users, long maxJsonBytes, AuditTrail audit) {
        this.users = Objects.requireNonNull(users);
        this.maxJsonBytes = maxJsonBytes;
        this.audit = Objects.requireNonNull(audit);
    }

    public List<Route> routes() {
        return List.of(
                new Route(HandlerType.GET, "/api/users", new Requirement.Admin(), this::listUsers),
                new Route(
                        HandlerType.GET,
                        "/api/users/{username}",
                        new Requirement.SelfOrAdmin("username"),
                        this::getUser),
                new Route(HandlerType.PUT, "/api/users/{username}", new Requirement.Admin(), this::putUser),
                new Route(HandlerType.DELETE, "/api/users/{username}", new Requirement.Admin(), this::deleteUser),
                new Route(HandlerType.GET, "/api/groups", new Requirement.Admin(), this::listGroups),
                new Route(HandlerType.GET, "/api/groups/{group}", new Requirement.Admin(), this::getGroup),
                new Route(HandlerType.PUT, "/api/groups/{group}", new Requirement.Admin(), this::putGroup),
                new Route(HandlerType.DELETE, "/api/groups/{group}", new Requirement.Admin(), this::deleteGroup));
    }

    /** Never includes the password or its hash. */
    static ObjectNode json(User u) {
        ObjectNode o = Json.object();
        o.put("username", u.username());
        o.put("userId", u.id());
        o.put("email", u.email());
        o.put("admin", u.admin());
        o.put("disabled", u.disabled());
        ArrayNode g = o.putArray("groups");
        u.groups().stream().sorted().forEach(g::add);
        o.put("created", Json.time(u.createdAt()));
        o.put("lastModified", Json.time(u.updatedAt()));
        return o;
    }

    private static CofferException userNotFound(String name) {
        return new CofferException(new Failure.NotFound("user_not_found", "there is no user '" + name + "'"));
    }

    private void listUsers(Context ctx, Route.Request r) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        users.list().forEach(u -> out.add(json(u)));
        Json.send(ctx, 200, out);
    }

    private void getUser(Context ctx, Route.Request r) {
        String name = ctx.pathParam("username");
        Json.send(ctx, 200, json(users.find(name).orElseThrow(() -> userNotFound(name))));
    }

    private void putUser(Context ctx, Route.Request r) {
        String name = ctx.pathParam("username");
        Body body = Bodies.USER.read(Json.body(ctx, maxJsonBytes));
        body.requireName("username", name);
        UserService.Saved saved = users.put(
                name,
                new UserService.UserChange(
                        body.text("password"),
                        body.text("email"),
                        body.bool("admin"),
                        body.strings("groups"),
                        body.bool("disabled")));
        Json.send(ctx, saved.created() ? 201 : 200, json(saved.user()));
        audit.success(ctx, r.caller(), saved.created() ? "user.create" : "user.update", null, "users/" + name);
    }

    private void deleteUser(Context ctx, Route.Request r) {
        String name = ctx.pathParam("username");
        if (!users.delete(name)) {
            throw userNotFound(name);
        }
        ctx.status(204);
        audit.success(ctx, r.caller(), "user.delete", null, "users/" + name);
    }

    static ObjectNode json(UserService.GroupView v) {
        ObjectNode o = Json.object();
        Group g = v.group();
        o.put("name", g.name());
        o.put("description", g.description());
        ArrayNode m = o.putArray("members");
        v.members().forEach(m::add);
        o.put("created", Json.time(g.createdAt()));
        o.put("lastModified", Json.time(g.updatedAt()));
        return o;
    }

    private static CofferException groupNotFound(String name) {
        return new CofferException(new Failure.NotFound("group_not_found", "there is no group '" + name + "'"));
    }

    private void listGroups(Context ctx, Route.Request r) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        users.listGroups().forEach(g -> users.findGroup(g.name()).ifPresent(v -> out.add(json(v))));
        Json.send(ctx, 200, out);
    }

    private void getGroup(Context ctx, Route.Request r) {
        String name = ctx.pathParam("group");
        Json.send(ctx, 200, json(users.findGroup(name).orElseThrow(() -> groupNotFound(name))));
    }

    private void putGroup(Context ctx, Route.Request r) {
        String name = ctx.pathParam("group");
        Body body = Bodies.GROUP.read(Json.body(ctx, maxJsonBytes));
        body.requireName("name", name);
        UserService.GroupSaved saved = users.putGroup(name, body.text("description"), body.strings("members"));
        Json.send(ctx, saved.created() ? 201 : 200, json(saved.group()));
        audit.success(ctx, r.caller(), saved.created() ? "group.create" : "group.update", null, "groups/" + name);
    }

    private void deleteGroup(Context ctx, Route.Request r) {
        String name = ctx.pathParam("group");
        if (!users.deleteGroup(name)) {
            throw groupNotFound(name);
        }
        ctx.status(204);
        audit.success(ctx, r.caller(), "group.delete", null, "groups/" + name);
    }
}
