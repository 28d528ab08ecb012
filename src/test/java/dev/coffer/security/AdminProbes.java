package dev.coffer.security;

import static dev.coffer.security.MatrixRun.invalid;
import static dev.coffer.security.MatrixRun.refuse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.security.MatrixOracle.Kind;
import dev.coffer.security.MatrixOracle.Who;
import dev.coffer.security.MatrixRun.Expect;
import dev.coffer.security.MatrixSetup.Cred;
import dev.coffer.security.MatrixWorld.User;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import java.util.List;
import java.util.Map;

/**
 * API.md §3 users, groups and permission targets (administrators only; a user may GET themself),
 * §6 audit (administrators) and health (everyone). Every refused change is checked afterwards
 * with the admin key; an administrator's changes touch only fresh names, which are removed again.
 */
final class AdminProbes {
    private AdminProbes() {}

    /** Admin routes: 401 without credentials, 403 for anyone but an administrator; null for an administrator. */
    static Expect adminOnly(Who w) {
        Expect e = invalid(w);
        if (e != null) {
            return e;
        }
        return w.kind() == Kind.ADMIN ? null : refuse(w, "administrators only");
    }

    private static Expect or(Expect e, int status, String rule) {
        return e != null ? e : Expect.of(status, rule);
    }

    static void users(MatrixRun run, Cred c) {
        Who w = c.who();
        User any = run.pick(run.world.users);
        switch (run.rnd.nextInt(4)) {
            case 0 ->
                run.judge(
                        "users GET list",
                        c,
                        "GET /api/users",
                        c.http(run.rnd).get("/api/users"),
                        or(adminOnly(w), 200, "admin lists users"));
            case 1 -> {
                int k = run.rnd.nextInt(10);
                String name = k < 2
                        ? run.world.prefix + "-nobody"
                        : w.kind() == Kind.USER && k < 6 ? w.user().name() : any.name();
                Expect e = invalid(w);
                if (e == null) {
                    boolean self = w.kind() == Kind.USER && name.equals(w.user().name());
                    boolean known = !name.endsWith("-nobody");
                    e = w.kind() == Kind.ADMIN
                            ? Expect.of(known ? 200 : 404, known ? "admin reads a user" : "admin, no such user")
                            : self
                                    ? Expect.of(200, "a user may GET themself")
                                    : refuse(w, "only admins read other users");
                }
                String url = "/api/users/" + name;
                Http.Response r = c.http(run.rnd).get(url);
                if (run.judge("users GET one", c, "GET " + url, r, e)
                        && e.status() == 200
                        && !name.equals(r.json().path("username").asText())) {
                    run.wrong("users GET one", "username", c, "GET " + url, name, r.body());
                }
            }
            case 2 -> {
                String email = run.world.fresh("mail") + "@example.org";
                String body = w.kind() == Kind.ADMIN ? "{\"email\":\"" + email + "\"}" : "{\"admin\":true}";
                String name = w.kind() == Kind.USER ? w.user().name() : any.name();
                String url = "/api/users/" + name;
                Expect e = or(adminOnly(w), 200, "admin updates a user");
                run.judge(
                        "users PUT",
                        c,
                        "PUT " + url + " " + body,
                        c.http(run.rnd).putJson(url, body),
                        e);
                JsonNode now = Fixtures.expect(run.admin.get(url), "admin reads " + name, 200)
                        .json();
                String got = now.path("admin").asBoolean() + " "
                        + now.path("email").asText().equals(email);
                String want = "false " + (e.status() == 200);
                if (!want.equals(got)) {
                    run.wrong(
                            "users PUT",
                            "user afterwards (admin, email changed)",
                            c,
                            "PUT " + url + " " + body,
                            want,
                            got);
                }
            }
            default -> {
                String name = w.kind() == Kind.ADMIN ? run.world.prefix + "-nobody" : any.name();
                String url = "/api/users/" + name;
                Expect e = or(adminOnly(w), 404, "admin, no such user");
                run.judge("users DELETE", c, "DELETE " + url, c.http(run.rnd).delete(url), e);
                if (w.kind() != Kind.ADMIN && run.admin.get(url).status() != 200) {
                    run.wrong("users DELETE", "user afterwards", c, "DELETE " + url, "still there", "gone");
                }
            }
        }
    }

    static void groups(MatrixRun run, Cred c) {
        Who w = c.who();
        String g = run.pick(run.world.groups);
        switch (run.rnd.nextInt(4)) {
            case 0 ->
                run.judge(
                        "groups GET list",
                        c,
                        "GET /api/groups",
                        c.http(run.rnd).get("/api/groups"),
                        or(adminOnly(w), 200, "admin lists groups"));
            case 1 ->
                run.judge(
                        "groups GET one",
                        c,
                        "GET /api/groups/" + g,
                        c.http(run.rnd).get("/api/groups/" + g),
                        or(adminOnly(w), 200, "admin reads a group"));
            case 2 -> {
                String fresh = run.world.fresh("grp");
                String url = "/api/groups/" + fresh;
                Expect e = or(adminOnly(w), 201, "admin creates a group");
                run.judge("groups PUT", c, "PUT " + url, c.http(run.rnd).putJson(url, "{\"description\":\"x\"}"), e);
                boolean there = run.admin.get(url).status() == 200;
                if (there != (e.status() == 201)) {
                    run.wrong(
                            "groups PUT",
                            "group afterwards",
                            c,
                            "PUT " + url,
                            e.status() == 201 ? "created" : "absent",
                            there ? "created" : "absent");
                }
                if (there) {
                    run.judge(
                            "groups DELETE",
                            c,
                            "DELETE " + url,
                            c.http(run.rnd).delete(url),
                            or(adminOnly(w), 204, "admin deletes a group"));
                    run.admin.delete(url);
                }
            }
            default -> {
                String url = "/api/groups/" + g;
                String target = w.kind() == Kind.ADMIN ? "/api/groups/" + run.world.prefix + "-nogroup" : url;
                run.judge(
                        "groups DELETE",
                        c,
                        "DELETE " + target,
                        c.http(run.rnd).delete(target),
                        or(adminOnly(w), 404, "admin, no such group"));
                if (run.admin.get(url).status() != 200) {
                    run.wrong("groups DELETE", "group afterwards", c, "DELETE " + url, "still there", "gone");
                }
            }
        }
    }

    static void permissions(MatrixRun run, Cred c) {
        Who w = c.who();
        MatrixWorld.Target t = run.pick(run.world.targets);
        switch (run.rnd.nextInt(4)) {
            case 0 ->
                run.judge(
                        "permissions GET list",
                        c,
                        "GET /api/permissions",
                        c.http(run.rnd).get("/api/permissions"),
                        or(adminOnly(w), 200, "admin lists targets"));
            case 1 -> {
                String url = "/api/permissions/" + t.name();
                Http.Response r = c.http(run.rnd).get(url);
                Expect e = or(adminOnly(w), 200, "admin reads a target");
                if (run.judge("permissions GET one", c, "GET " + url, r, e) && e.status() == 200) {
                    JsonNode j = r.json();
                    String want = t.repos() + " " + t.includes() + " " + t.excludes();
                    String got = text(j.path("repositories")) + " " + text(j.path("includePatterns")) + " "
                            + text(j.path("excludePatterns"));
                    if (!want.equals(got)) {
                        run.wrong(
                                "permissions GET one",
                                "target (repositories includes excludes)",
                                c,
                                "GET " + url,
                                want,
                                got);
                    }
                }
            }
            case 2 -> {
                String fresh = run.world.fresh("perm");
                String url = "/api/permissions/" + fresh;
                Map<String, List<String>> grant =
                        w.kind() == Kind.USER ? Map.of(w.user().name(), List.of("r", "w", "d", "a", "m")) : Map.of();
                String body = Fixtures.json(Map.of(
                        "name", fresh, "repositories", List.of("*"), "includePatterns", List.of("**"), "users", grant));
                Expect e = or(adminOnly(w), 201, "admin creates a target");
                run.judge(
                        "permissions PUT",
                        c,
                        "PUT " + url + " " + body,
                        c.http(run.rnd).putJson(url, body),
                        e);
                boolean there = run.admin.get(url).status() == 200;
                if (there != (e.status() == 201)) {
                    run.wrong(
                            "permissions PUT",
                            "target afterwards",
                            c,
                            "PUT " + url,
                            e.status() == 201 ? "created" : "absent",
                            there ? "created" : "absent");
                }
                if (there) {
                    run.judge(
                            "permissions DELETE",
                            c,
                            "DELETE " + url,
                            c.http(run.rnd).delete(url),
                            or(adminOnly(w), 204, "admin deletes a target"));
                    run.admin.delete(url);
                }
            }
            default -> {
                String url = "/api/permissions/" + t.name();
                String target = w.kind() == Kind.ADMIN ? "/api/permissions/" + run.world.prefix + "-noperm" : url;
                run.judge(
                        "permissions DELETE",
                        c,
                        "DELETE " + target,
                        c.http(run.rnd).delete(target),
                        or(adminOnly(w), 404, "admin, no such target"));
                if (run.admin.get(url).status() != 200) {
                    run.wrong("permissions DELETE", "target afterwards", c, "DELETE " + url, "still there", "gone");
                    MatrixSetup.targetOnServer(run.admin, t);
                }
            }
        }
    }

    private static String text(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out.toString();
    }

    static void audit(MatrixRun run, Cred c) {
        Http.Response r = c.http(run.rnd).get("/api/audit?limit=5");
        Expect e = or(adminOnly(c.who()), 200, "admin reads the audit");
        if (run.judge("audit GET", c, "GET /api/audit?limit=5", r, e)
                && e.status() == 200
                && !r.json().path("events").isArray()) {
            run.wrong("audit GET", "events", c, "GET /api/audit?limit=5", "an events array", r.body());
        }
    }

    static void health(MatrixRun run, Cred c) {
        Http.Response r = c.http(run.rnd).get("/api/health");
        Expect e = or(invalid(c.who()), 200, "health is open");
        if (run.judge("health GET", c, "GET /api/health", r, e)
                && e.status() == 200
                && !r.json().path("status").asText().equals("ok")) {
            run.wrong("health GET", "status", c, "GET /api/health", "{\"status\":\"ok\"}", r.body());
        }
    }
}
