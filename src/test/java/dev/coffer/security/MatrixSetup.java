package dev.coffer.security;

import static dev.coffer.testing.Fixtures.expect;
import static dev.coffer.testing.Fixtures.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.security.MatrixOracle.Kind;
import dev.coffer.security.MatrixOracle.Who;
import dev.coffer.security.MatrixWorld.Repo;
import dev.coffer.security.MatrixWorld.ScopePart;
import dev.coffer.security.MatrixWorld.Target;
import dev.coffer.security.MatrixWorld.User;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.Typos;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/** Builds a {@link MatrixWorld} on the server through the admin API and issues every credential state. */
final class MatrixSetup {
    /**
     * One credential state. {@code via} is what /api/me should say in authenticatedBy, {@code id}
     * the key's or token's id; {@code client} picks one of the ways API.md §4 lets it travel.
     */
    record Cred(
            String label,
            String kind,
            Who who,
            String via,
            String id,
            Function<Random, Http> client,
            boolean expensive) {
        Http http(Random rnd) {
            return client.apply(rnd);
        }
    }

    /** The keys and tokens of the world's users (ids), for the credential routes. */
    static final class Issued {
        final Map<String, List<String>> keys = new LinkedHashMap<>();
        final Map<String, List<String>> tokens = new LinkedHashMap<>();
    }

    private MatrixSetup() {}

    static Http password(TestServer s, User u) {
        return s.anonymous().basic(u.name(), u.password());
    }

    static Function<Random, Http> keyClient(TestServer s, String owner, String key) {
        return rnd -> switch (rnd.nextInt(5)) {
            case 0 -> s.anonymous().header("X-Auth-AccessKey", key);
            case 1 -> s.anonymous().bearer(key);
            case 2 -> s.anonymous().basic(owner, key);
            case 3 -> s.anonymous().basic(key, "");
            default -> s.anonymous().header("Circle-Token", key);
        };
    }

    static Function<Random, Http> tokenClient(TestServer s, String owner, String token) {
        return rnd -> switch (rnd.nextInt(4)) {
            case 0 -> s.anonymous().bearer(token);
            case 1 -> s.anonymous().basic(owner, token);
            case 2 -> s.anonymous().basic(token, "");
            default -> s.anonymous().header("Circle-Token", token);
        };
    }

    static JsonNode key(TestServer s, User u) {
        return Fixtures.key(password(s, u), Map.of("description", "matrix"));
    }

    static JsonNode token(Http issuer, String scope, String username) {
        Map<String, String> form = new LinkedHashMap<>();
        if (scope != null) {
            form.put("scope", scope);
        }
        if (username != null) {
            form.put("username", username);
        }
        return Fixtures.token(issuer, form);
    }

    static String matrix(Map<String, List<String>> props) {
        StringBuilder sb = new StringBuilder();
        props.forEach(
                (k, vs) -> vs.forEach(v -> sb.append(';').append(k).append('=').append(v)));
        return sb.toString();
    }

    /** Uploads one file of the model with its properties (also used to restore what a probe deleted). */
    static void upload(Http admin, String repo, String path, MatrixWorld.FileState f) {
        expect(
                admin.put("/repository/" + repo + "/" + path + matrix(f.props), f.content),
                "upload " + repo + "/" + path,
                200,
                201);
    }

    static void targetOnServer(Http admin, Target t) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", t.name());
        body.put("repositories", t.repos());
        body.put("includePatterns", t.includes());
        body.put("excludePatterns", t.excludes());
        body.put("users", letters(t.users()));
        body.put("groups", letters(t.groups()));
        expect(admin.putJson("/api/permissions/" + t.name(), json(body)), "target " + t.name(), 201);
    }

    private static Map<String, List<String>> letters(Map<String, String> m) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(
                k, v.chars().distinct().mapToObj(c -> String.valueOf((char) c)).toList()));
        return out;
    }

    /** Creates everything and returns the credential states: none, invalid ones, admin, and each user's. */
    static List<Cred> build(TestServer s, Http admin, String adminKey, MatrixWorld w, Issued issued) {
        for (Repo r : w.repos.values()) {
            expect(
                    admin.putJson(
                            "/api/repositories/" + r.name,
                            json(Map.of("description", r.description, "anonymousRead", r.anonymousRead))),
                    "repo " + r.name,
                    201);
            r.files.forEach((p, f) -> upload(admin, r.name, p, f));
        }
        Map<String, Object> virtual = new LinkedHashMap<>();
        virtual.put("description", w.virtual.description);
        virtual.put("anonymousRead", w.virtual.anonymousRead);
        virtual.put("rclass", "virtual");
        virtual.put("repositories", w.members);
        expect(admin.putJson("/api/repositories/" + w.virtual.name, json(virtual)), "virtual " + w.virtual.name, 201);
        for (String g : w.groups) {
            expect(admin.putJson("/api/groups/" + g, json(Map.of("description", "matrix group"))), "group " + g, 201);
        }
        for (User u : w.users) {
            expect(
                    admin.putJson(
                            "/api/users/" + u.name(),
                            json(Map.of(
                                    "password",
                                    u.password(),
                                    "email",
                                    u.name() + "@example.org",
                                    "groups",
                                    new ArrayList<>(u.groups())))),
                    "user " + u.name(),
                    201);
        }
        for (Target t : w.targets) {
            targetOnServer(admin, t);
        }
        List<Cred> creds = new ArrayList<>();
        creds.add(new Cred("none", "none", Who.NONE, "anonymous", null, rnd -> s.anonymous(), false));
        creds.add(
                w.rnd.nextBoolean()
                        ? new Cred("admin password", "admin", Who.ADMIN, "password", null, rnd -> s.admin(), false)
                        : new Cred(
                                "admin key",
                                "admin",
                                Who.ADMIN,
                                "access-key",
                                null,
                                keyClient(s, "admin", adminKey),
                                false));
        List<Cred> invalid = new ArrayList<>();
        for (User u : w.users) {
            JsonNode k = key(s, u);
            String keyId = k.get("id").asText();
            String keySecret = k.get("key").asText();
            List<Cred> own = new ArrayList<>();
            own.add(new Cred(
                    u.name() + " password",
                    "password",
                    new Who(Kind.USER, u, null),
                    "password",
                    null,
                    rnd -> password(s, u),
                    false));
            own.add(new Cred(
                    u.name() + " key",
                    "access key",
                    new Who(Kind.USER, u, null),
                    "access-key",
                    keyId,
                    keyClient(s, u.name(), keySecret),
                    false));
            List<String> tokenIds = new ArrayList<>();
            int i = 0;
            for (List<ScopePart> scope : w.tokenScopes.get(u.name())) {
                JsonNode t = token(password(s, u), scope == null ? null : MatrixWorld.scopeText(scope), null);
                String id = t.get("token_id").asText();
                tokenIds.add(id);
                own.add(new Cred(
                        u.name() + " token#" + i++ + " [" + MatrixWorld.scopeText(scope) + "]",
                        scope == null ? "token (user scope)" : "token (narrowed)",
                        new Who(Kind.USER, u, scope),
                        "access-token",
                        id,
                        tokenClient(s, u.name(), t.get("access_token").asText()),
                        false));
            }
            if (u.disabled()) {
                own.forEach(c -> invalid.add(new Cred(
                        c.label() + " of DISABLED owner",
                        "invalid",
                        Who.INVALID,
                        null,
                        null,
                        c.client(),
                        c.via().equals("password"))));
            } else {
                creds.addAll(own);
                issued.keys.put(u.name(), new ArrayList<>(List.of(keyId)));
                issued.tokens.put(u.name(), tokenIds);
                invalid.addAll(spoiled(s, u, keySecret));
            }
        }
        for (User u : w.users) {
            if (u.disabled()) {
                expect(admin.putJson("/api/users/" + u.name(), "{\"disabled\":true}"), "disable " + u.name(), 200);
            }
        }
        invalid.add(new Cred(
                "unknown user",
                "invalid",
                Who.INVALID,
                null,
                null,
                rnd -> s.anonymous().basic(w.prefix + "-nobody", "whatever"),
                true));
        // every kind of invalid state in each world would cost too much time (password checks are
        // slow on purpose): three random ones per world, one of them password-based at most
        java.util.Collections.shuffle(invalid, w.rnd);
        int slow = 0;
        int taken = 0;
        for (Cred c : invalid) {
            if (taken == 3 || (c.expensive() && slow == 1)) {
                continue;
            }
            slow += c.expensive() ? 1 : 0;
            taken++;
            creds.add(c);
        }
        return creds;
    }

    /** A mistyped key, a revoked key, a revoked token, a wrong password, a key under another name. */
    private static List<Cred> spoiled(TestServer s, User u, String keySecret) {
        List<Cred> out = new ArrayList<>();
        out.add(new Cred(
                u.name() + " key MISTYPED",
                "invalid",
                Who.INVALID,
                null,
                null,
                keyClient(s, u.name(), Typos.mistypeMiddle(keySecret)),
                false));
        JsonNode rk = key(s, u);
        expect(password(s, u).delete("/api/access-keys/" + rk.get("id").asText()), "revoke key", 204);
        out.add(new Cred(
                u.name() + " key REVOKED",
                "invalid",
                Who.INVALID,
                null,
                null,
                keyClient(s, u.name(), rk.get("key").asText()),
                false));
        JsonNode rt = token(password(s, u), null, null);
        expect(
                password(s, u)
                        .delete("/access/api/v1/tokens/" + rt.get("token_id").asText()),
                "revoke token",
                200);
        out.add(new Cred(
                u.name() + " token REVOKED",
                "invalid",
                Who.INVALID,
                null,
                null,
                tokenClient(s, u.name(), rt.get("access_token").asText()),
                false));
        out.add(new Cred(
                u.name() + " WRONG password",
                "invalid",
                Who.INVALID,
                null,
                null,
                rnd -> s.anonymous().basic(u.name(), u.password() + "x"),
                true));
        out.add(new Cred(
                u.name() + " key under ANOTHER username",
                "invalid",
                Who.INVALID,
                null,
                null,
                rnd -> s.anonymous().basic("admin", keySecret),
                false));
        return out;
    }
}
