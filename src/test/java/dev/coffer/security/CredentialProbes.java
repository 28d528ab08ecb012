package dev.coffer.security;

import static dev.coffer.security.MatrixRun.invalid;
import static dev.coffer.security.MatrixRun.refuse;
import static dev.coffer.testing.Fixtures.postForm;
import static dev.coffer.testing.Fixtures.postJson;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.security.MatrixOracle.Kind;
import dev.coffer.security.MatrixOracle.Who;
import dev.coffer.security.MatrixRun.Expect;
import dev.coffer.security.MatrixSetup.Cred;
import dev.coffer.security.MatrixWorld.ScopePart;
import dev.coffer.security.MatrixWorld.User;
import dev.coffer.testing.Http;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API.md §4 access keys and §5 access tokens: a non-admin manages only their own, may narrow a
 * token but never gets more than they have; a narrowed token mints and lists nothing (the rule
 * CredentialRoutesTest pins: keys and tokens would carry all of the owner's rights).
 */
final class CredentialProbes {
    private CredentialProbes() {}

    /** 401 without (valid) credentials, 403 for a narrowed token; null: the route's own rule decides. */
    static Expect fullCredential(Who w) {
        Expect e = invalid(w);
        if (e != null) {
            return e;
        }
        if (w.kind() == Kind.NONE) {
            return refuse(w, "credentials needed");
        }
        return w.narrowed() ? refuse(w, "a narrowed token manages no keys or tokens") : null;
    }

    static boolean works(MatrixRun run, Http h) {
        return h.get("/api/me").status() == 200;
    }

    static void keys(MatrixRun run, Cred c) {
        Who w = c.who();
        User self = w.kind() == Kind.USER ? w.user() : null;
        User other = run.otherUser(self);
        switch (run.rnd.nextInt(3)) {
            case 0 -> {
                boolean about = other != null && run.rnd.nextBoolean();
                String url = "/api/access-keys" + (about ? "?username=" + other.name() : "");
                Expect e = fullCredential(w);
                if (e == null) {
                    e = !about || w.kind() == Kind.ADMIN
                            ? Expect.of(200, about ? "admin lists a user's keys" : "own keys")
                            : refuse(w, "only admins list other users' keys");
                }
                Http.Response r = c.http(run.rnd).get(url);
                User subject = about ? other : self;
                if (run.judge("access-keys GET", c, "GET " + url, r, e) && e.status() == 200 && subject != null) {
                    List<String> ids = new ArrayList<>();
                    r.json().forEach(k -> ids.add(k.path("id").asText()));
                    List<String> want = run.issued.keys.get(subject.name());
                    List<String> foreign = new ArrayList<>();
                    run.issued.keys.forEach((u, ks) -> {
                        if (!u.equals(subject.name())) {
                            foreign.addAll(ks);
                        }
                    });
                    if (!ids.containsAll(want) || ids.stream().anyMatch(foreign::contains)) {
                        run.wrong(
                                "access-keys GET",
                                "listed keys",
                                c,
                                "GET " + url,
                                "all of " + want + ", none of " + foreign,
                                ids.toString());
                    }
                }
            }
            case 1 -> {
                Expect e = fullCredential(w);
                if (e == null) {
                    e = Expect.of(201, "a full credential creates a key for its owner");
                }
                Http h = c.http(run.rnd);
                Http.Response r = postJson(h, "/api/access-keys", Map.of("description", "probe"));
                if (run.judge("access-keys POST", c, "POST /api/access-keys", r, e) && e.status() == 201) {
                    String key = r.json().path("key").asText();
                    Http k = run.server.anonymous().header("X-Auth-AccessKey", key);
                    JsonNode me = k.get("/api/me").json();
                    if (!String.valueOf(w.username()).equals(me.path("username").asText())) {
                        run.wrong(
                                "access-keys POST",
                                "the new key's owner",
                                c,
                                "POST /api/access-keys",
                                w.username(),
                                me.toString());
                    }
                    String url = "/api/access-keys/" + r.json().path("id").asText();
                    run.judge(
                            "access-keys DELETE own",
                            c,
                            "DELETE " + url,
                            c.http(run.rnd).delete(url),
                            Expect.of(204, "the owner revokes their key"));
                    if (works(run, k)) {
                        run.wrong("access-keys DELETE own", "key afterwards", c, "DELETE " + url, "401", "still works");
                    }
                }
            }
            default -> {
                User owner = other != null ? other : self;
                if (owner == null) {
                    return;
                }
                JsonNode k = MatrixSetup.key(run.server, owner);
                boolean admin = w.kind() == Kind.ADMIN;
                String url = "/api/access-keys/" + k.path("id").asText() + (admin ? "?username=" + owner.name() : "");
                Expect e = fullCredential(w);
                if (e == null) {
                    e = admin || owner == self
                            ? Expect.of(204, admin ? "admin revokes any key" : "the owner revokes")
                            : Expect.of(404, "another user's key is not yours (404)");
                }
                run.judge(
                        "access-keys DELETE " + (owner == self ? "own" : "other's"),
                        c,
                        "DELETE " + url,
                        c.http(run.rnd).delete(url),
                        e);
                Http key = run.server
                        .anonymous()
                        .header("X-Auth-AccessKey", k.path("key").asText());
                if (works(run, key) == (e.status() == 204)) {
                    run.wrong(
                            "access-keys DELETE",
                            "key afterwards",
                            c,
                            "DELETE " + url,
                            e.status() == 204 ? "revoked" : "still works",
                            e.status() == 204 ? "still works" : "revoked");
                }
                MatrixSetup.password(run.server, owner)
                        .delete("/api/access-keys/" + k.path("id").asText());
            }
        }
    }

    static void tokens(MatrixRun run, Cred c) {
        Who w = c.who();
        User self = w.kind() == Kind.USER ? w.user() : null;
        User other = run.otherUser(self);
        int k = run.rnd.nextInt(4);
        if (k == 0) {
            Expect e = fullCredential(w);
            if (e == null) {
                e = Expect.of(200, w.kind() == Kind.ADMIN ? "admins see all tokens" : "own tokens");
            }
            Http.Response r = c.http(run.rnd).get("/access/api/v1/tokens");
            if (run.judge("tokens GET", c, "GET /access/api/v1/tokens", r, e) && e.status() == 200) {
                List<String> ids = new ArrayList<>();
                List<String> subjects = new ArrayList<>();
                r.json().path("tokens").forEach(t -> {
                    ids.add(t.path("token_id").asText());
                    subjects.add(t.path("subject").asText());
                });
                List<String> want = new ArrayList<>();
                run.issued.tokens.forEach((u, ts) -> {
                    if (self == null || u.equals(self.name())) {
                        want.addAll(ts);
                    }
                });
                boolean onlyOwn = self == null || subjects.stream().allMatch(self.name()::equals);
                if (!ids.containsAll(want) || !onlyOwn) {
                    run.wrong(
                            "tokens GET",
                            "listed tokens",
                            c,
                            "GET /access/api/v1/tokens",
                            "all of " + want + (self == null ? "" : ", subject always " + self.name()),
                            subjects + " " + ids);
                }
            }
            return;
        }
        if (k == 3) {
            revokeOthers(run, c, self, other);
            return;
        }
        if (k == 1 && self != null && run.rnd.nextInt(4) == 0) {
            beyondOwnRights(run, c, self);
            return;
        }
        // issue: for oneself with a narrowed scope, or for another user
        User subject = k == 2 && other != null ? other : self;
        List<ScopePart> scope = new ArrayList<>();
        scope.add(run.world.randomArtifact());
        if (run.rnd.nextBoolean()) {
            scope.add(run.world.randomArtifact());
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("scope", MatrixWorld.scopeText(scope));
        boolean forOther = subject != null && subject != self;
        if (forOther) {
            form.put("username", subject.name());
        }
        Expect e = fullCredential(w);
        if (e == null) {
            e = forOther && w.kind() != Kind.ADMIN
                    ? refuse(w, "only admins issue tokens for others")
                    : Expect.of(200, forOther ? "admin issues for another user" : "narrowing one's own token");
        }
        String family = "tokens POST " + (forOther ? "for another user" : "narrowed for oneself");
        Http.Response r = postForm(c.http(run.rnd), "/access/api/v1/tokens", form);
        if (!run.judge(family, c, "POST /access/api/v1/tokens " + form, r, e) || e.status() != 200) {
            return;
        }
        Http t = run.server.anonymous().bearer(r.json().path("access_token").asText());
        Who holder = subject == null ? new Who(Kind.ADMIN, null, scope) : new Who(Kind.USER, subject, scope);
        for (int i = 0; i < 3; i++) {
            IdentityProbes.Cell cell = IdentityProbes.anyCell(run);
            IdentityProbes.explain(
                    run,
                    c,
                    family + ": the new token's rights (owner ∩ scope)",
                    t,
                    "/api/access/check?" + cell.query(),
                    holder,
                    cell);
        }
        Http.Response revoke = t.delete("/access/api/v1/tokens/me");
        if (revoke.status() != 200 || works(run, t)) {
            run.wrong(
                    family,
                    "the new token revokes itself with 'me'",
                    c,
                    "DELETE /access/api/v1/tokens/me",
                    "200, then 401",
                    revoke.status() + ", then " + t.get("/api/me").status());
        }
    }

    /** A non-admin may not issue applied-permissions/admin, nor the rights of a group they are not in. */
    private static void beyondOwnRights(MatrixRun run, Cred c, User self) {
        List<String> notMine = run.world.groups.stream()
                .filter(g -> !self.groups().contains(g))
                .toList();
        String scope = notMine.isEmpty() || run.rnd.nextBoolean()
                ? "applied-permissions/admin"
                : "applied-permissions/groups:" + run.pick(notMine);
        Expect e = fullCredential(c.who());
        if (e == null) {
            e = refuse(c.who(), "a non-admin asks for more than they have");
        }
        run.judge(
                "tokens POST beyond one's rights",
                c,
                "POST /access/api/v1/tokens scope=" + scope,
                postForm(c.http(run.rnd), "/access/api/v1/tokens", Map.of("scope", scope)),
                e);
    }

    /** Revoking another user's token: 404 for a non-admin (not theirs), 200 for an admin. */
    private static void revokeOthers(MatrixRun run, Cred c, User self, User other) {
        User owner = other != null ? other : self;
        if (owner == null) {
            return;
        }
        JsonNode tok = MatrixSetup.token(MatrixSetup.password(run.server, owner), null, null);
        String url = "/access/api/v1/tokens/" + tok.path("token_id").asText();
        Who w = c.who();
        Expect e = fullCredential(w);
        if (e == null) {
            e = w.kind() == Kind.ADMIN || owner == self
                    ? Expect.of(200, "owner or admin revokes")
                    : Expect.of(404, "another user's token is not yours (404)");
        }
        run.judge(
                "tokens DELETE " + (owner == self ? "own" : "other's"),
                c,
                "DELETE " + url,
                c.http(run.rnd).delete(url),
                e);
        Http t = run.server.anonymous().bearer(tok.path("access_token").asText());
        if (works(run, t) == (e.status() == 200)) {
            run.wrong(
                    "tokens DELETE",
                    "token afterwards",
                    c,
                    "DELETE " + url,
                    e.status() == 200 ? "revoked" : "still works",
                    e.status() == 200 ? "still works" : "revoked");
        }
        MatrixSetup.password(run.server, owner).delete(url);
    }
}
