package dev.coffer.security;

import static dev.coffer.security.NpmMatrixOracle.*;
import static dev.coffer.testing.Fixtures.expect;
import static dev.coffer.testing.Fixtures.postForm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.security.NpmMatrixOracle.Cred;
import dev.coffer.security.NpmMatrixOracle.Grant;
import dev.coffer.security.NpmMatrixOracle.Kind;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.Typos;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The world of {@link AccessMatrixNpmTest} on a server (npm repositories, seeded packages, users,
 * groups and permission targets as {@link NpmMatrixOracle} describes them) and its credential
 * states: those of AccessMatrixTest (none; password right and wrong; key valid, revoked, expired,
 * mistyped; session valid, expired, of another user id; token full, scoped, revoked, expired,
 * refreshed away and its successor; key and token of a user who lost a right; key of a disabled
 * user) plus an administrator, scoped npm tokens and a groups-scoped token.
 */
final class NpmMatrixSetup {
    static final String KEYWORD = "seeded";

    private final TestServer server;
    /** The npm repositories this world has: permission targets and token scopes name only those. */
    private final Set<String> world;

    final Http admin;
    final NpmProbes probes;

    NpmMatrixSetup(TestServer server, Set<String> world) {
        this.server = server;
        this.world = Set.copyOf(world);
        String key = Fixtures.key(server.admin(), Map.of("description", "npm matrix admin"))
                .get("key")
                .asText();
        this.admin = server.anonymous().header("X-Auth-AccessKey", key);
        this.probes = new NpmProbes(admin);
    }

    /** The npm repositories and, in the public and the private one, the seeded packages search lists. */
    Map<String, List<String>> repositories() {
        for (String r : List.of(PUB, PRIV, OTHER)) {
            expect(
                    admin.putJson(
                            "/api/repositories/" + r,
                            Fixtures.json(Map.of("packageType", "npm", "anonymousRead", PUBLIC.get(r)))),
                    "npm repository " + r,
                    201);
        }
        Map<String, List<String>> seeded = new LinkedHashMap<>();
        for (String r : List.of(PUB, PRIV)) {
            List<String> names = new ArrayList<>();
            for (String s : SCOPES) {
                probes.seed(r, s + "web", KEYWORD, "1.0.0", "1.1.0");
                names.add(s + "web");
            }
            seeded.put(r, names);
        }
        return seeded;
    }

    Http pw(String user) {
        return server.anonymous().basic(user, user + "-pass");
    }

    IntFunction<Http> keyClient(String owner, String key) {
        return n -> switch (n % 5) {
            case 0 -> server.anonymous().header("X-Auth-AccessKey", key);
            case 1 -> server.anonymous().bearer(key);
            case 2 -> server.anonymous().basic(owner, key);
            case 3 -> server.anonymous().basic(key, "");
            default -> server.anonymous().header("Circle-Token", key);
        };
    }

    /** npm sends its _authToken as Bearer; Maven-style Basic works too. */
    IntFunction<Http> tokenClient(String owner, String token) {
        return n -> n % 3 == 2
                ? server.anonymous().basic(owner, token)
                : server.anonymous().bearer(token);
    }

    IntFunction<Http> sessionClient(JsonNode session, String userId) {
        return n -> server.anonymous()
                .header("X-Auth-Token", session.get("token").asText())
                .header("X-Auth-UserId", userId);
    }

    JsonNode tokenNode(String user, Map<String, String> form) {
        return Fixtures.token(pw(user), form);
    }

    String scope(List<Grant> scope) {
        return scopeText(scope, world);
    }

    String token(String user, String scope) {
        return tokenNode(user, Map.of("scope", scope)).get("access_token").asText();
    }

    JsonNode keyNode(String user, Map<String, Object> body) {
        return Fixtures.key(pw(user), body);
    }

    String key(String user) {
        return keyNode(user, Map.of("description", "npm matrix")).get("key").asText();
    }

    /** The target of {@code g} on the world's repositories; none where it names none of them. */
    void target(String name, Grant g, String user, String group) {
        List<String> repos = g.repos().stream().filter(world::contains).sorted().toList();
        if (repos.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("repositories", repos);
        body.put("includePatterns", g.includes());
        body.put("excludePatterns", g.excludes());
        body.put("users", user == null ? Map.of() : Map.of(user, Fixtures.letters(g.actions())));
        body.put("groups", group == null ? Map.of() : Map.of(group, Fixtures.letters(g.actions())));
        expect(admin.putJson("/api/permissions/" + name, Fixtures.json(body)), "target " + name, 200, 201);
    }

    void works(IntFunction<Http> client, String what) {
        expect(
                client.apply(0).get(NpmProbes.registry(PRIV) + "@acme%2fweb"),
                what + " works before it is spoiled",
                200);
    }

    /**
     * Users, targets and every credential state. The expiring key, token and (on {@code shortTtl},
     * whose sessions last 4 s) session are issued first and waited out at the end.
     */
    List<Cred> credentials(TestServer shortTtl, NpmMatrixSetup onShort) throws InterruptedException {
        for (String u : USERS) {
            Fixtures.user(server, u, u + "-pass");
            int i = 0;
            for (Grant g : grantsOf(u)) {
                target("mxn-" + u + "-" + i++, g, u, null);
            }
        }
        long t0 = System.currentTimeMillis();
        String expiresAt = Instant.now().plusMillis(4000).toString();
        String expKey = keyNode("ndev", Map.of("description", "expiring", "expiresAt", expiresAt))
                .get("key")
                .asText();
        String expTok = tokenNode("ndev", Map.of("scope", "applied-permissions/user", "expires_in", "4"))
                .get("access_token")
                .asText();
        Fixtures.user(shortTtl, "ndev", "ndev-pass");
        onShort.target("mxn-ndev-0", grantsOf("ndev").get(0), "ndev", null);
        JsonNode expSession = Fixtures.session(shortTtl, "ndev", "ndev-pass");
        IntFunction<Http> expiredSession =
                onShort.sessionClient(expSession, expSession.get("user_id").asText());
        works(keyClient("ndev", expKey), "expiring key");
        works(tokenClient("ndev", expTok), "expiring token");
        onShort.works(expiredSession, "expiring session");

        List<Cred> creds = new ArrayList<>();
        creds.add(new Cred("none", Kind.NONE, null, null, n -> server.anonymous()));
        creds.add(new Cred("admin key", Kind.ADMIN, null, null, n -> admin));
        creds.add(new Cred("ndev password", Kind.VALID, "ndev", null, n -> pw("ndev")));
        creds.add(new Cred(
                "ndev password wrong",
                Kind.INVALID,
                "ndev",
                null,
                n -> server.anonymous().basic("ndev", "ndev-pas")));
        String devKey = key("ndev");
        creds.add(new Cred("ndev key", Kind.VALID, "ndev", null, keyClient("ndev", devKey)));
        JsonNode rk = keyNode("ndev", Map.of("description", "to revoke"));
        expect(pw("ndev").delete("/api/access-keys/" + rk.get("id").asText()), "revoke key", 204);
        creds.add(new Cred(
                "ndev key revoked",
                Kind.INVALID,
                "ndev",
                null,
                keyClient("ndev", rk.get("key").asText())));
        creds.add(new Cred("ndev key expired", Kind.INVALID, "ndev", null, keyClient("ndev", expKey)));
        creds.add(new Cred(
                "ndev key mistyped", Kind.INVALID, "ndev", null, keyClient("ndev", Typos.mistypeMiddle(devKey))));
        JsonNode session = Fixtures.session(server, "ndev", "ndev-pass");
        creds.add(new Cred(
                "ndev session",
                Kind.VALID,
                "ndev",
                null,
                sessionClient(session, session.get("user_id").asText())));
        creds.add(new Cred("ndev session expired", Kind.INVALID, "ndev", null, expiredSession));
        String readerId =
                Fixtures.session(server, "nread", "nread-pass").get("user_id").asText();
        creds.add(new Cred(
                "ndev session with another user id", Kind.INVALID, "ndev", null, sessionClient(session, readerId)));
        creds.add(new Cred(
                "ndev token applied-permissions/user",
                Kind.VALID,
                "ndev",
                null,
                tokenClient("ndev", token("ndev", "applied-permissions/user"))));
        for (List<Grant> scope : List.of(SCOPE_ACME_R, SCOPE_ACME_RW, SCOPE_OTHER_REPO)) {
            creds.add(new Cred(
                    "ndev token " + scope(scope),
                    Kind.VALID,
                    "ndev",
                    scope,
                    tokenClient("ndev", token("ndev", scope(scope)))));
        }
        JsonNode rt = tokenNode("ndev", Map.of("scope", "applied-permissions/user"));
        expect(pw("ndev").delete("/access/api/v1/tokens/" + rt.get("token_id").asText()), "revoke token", 200);
        creds.add(new Cred(
                "ndev token revoked",
                Kind.INVALID,
                "ndev",
                null,
                tokenClient("ndev", rt.get("access_token").asText())));
        creds.add(new Cred("ndev token expired", Kind.INVALID, "ndev", null, tokenClient("ndev", expTok)));
        JsonNode old = tokenNode("ndev", Map.of("scope", scope(SCOPE_ACME_RW), "refreshable", "true"));
        works(tokenClient("ndev", old.get("access_token").asText()), "token before its refresh");
        JsonNode fresh = expect(
                        postForm(
                                server.anonymous(),
                                "/access/api/v1/tokens",
                                Map.of(
                                        "grant_type",
                                        "refresh_token",
                                        "refresh_token",
                                        old.get("refresh_token").asText())),
                        "refresh",
                        200)
                .json();
        creds.add(new Cred(
                "ndev token refreshed away",
                Kind.INVALID,
                "ndev",
                null,
                tokenClient("ndev", old.get("access_token").asText())));
        creds.add(new Cred(
                "ndev token refreshed (the new one) " + scope(SCOPE_ACME_RW),
                Kind.VALID,
                "ndev",
                SCOPE_ACME_RW,
                tokenClient("ndev", fresh.get("access_token").asText())));
        creds.add(new Cred("nwrite key", Kind.VALID, "nwrite", null, keyClient("nwrite", key("nwrite"))));
        creds.add(new Cred(
                "nwrite token " + scope(SCOPE_ACME_RW),
                Kind.VALID,
                "nwrite",
                SCOPE_ACME_RW,
                tokenClient("nwrite", token("nwrite", scope(SCOPE_ACME_RW)))));
        creds.add(new Cred("nread key", Kind.VALID, "nread", null, keyClient("nread", key("nread"))));
        creds.add(
                new Cred("nfiles key (tarballs only)", Kind.VALID, "nfiles", null, keyClient("nfiles", key("nfiles"))));
        creds.add(new Cred("nmeta key (no tarballs)", Kind.VALID, "nmeta", null, keyClient("nmeta", key("nmeta"))));
        creds.addAll(lostAndGroup());
        String goneKey = key("ngone");
        works(keyClient("ngone", goneKey), "ngone's key");
        expect(admin.putJson("/api/users/ngone", "{\"disabled\":true}"), "disable ngone", 200);
        creds.add(new Cred("ngone key (disabled owner)", Kind.INVALID, "ngone", null, keyClient("ngone", goneKey)));

        long wait = 5200 - (System.currentTimeMillis() - t0);
        if (wait > 0) {
            Thread.sleep(wait); // the expiring credentials' lifetime, not a synchronisation
        }
        return creds;
    }

    /** nlost: key and token issued with rwd on everything, then its target edited down; ngroup's key and groups token. */
    private List<Cred> lostAndGroup() {
        Fixtures.user(server, "nlost", "nlost-pass");
        target("mxn-nlost", Grant.of(ALL, "**", "rwd"), "nlost", null);
        String lostKey = key("nlost");
        String lostTok = token("nlost", "applied-permissions/user");
        works(keyClient("nlost", lostKey), "nlost's key");
        List<Grant> lost = grantsOf("nlost");
        target("mxn-nlost", lost.get(0), "nlost", null);
        for (int i = 1; i < lost.size(); i++) {
            target("mxn-nlost-" + i, lost.get(i), "nlost", null);
        }

        Fixtures.group(server, GROUP);
        Fixtures.user(server, "ngroup", "ngroup-pass", GROUP);
        int i = 0;
        for (Grant g : grantsOf("ngroup")) {
            if (g != GROUP_GRANT) {
                target("mxn-ngroup-own-" + i++, g, "ngroup", null);
            }
        }
        target("mxn-ngroup-group", GROUP_GRANT, null, GROUP);
        return List.of(
                new Cred("nlost key (target edited down)", Kind.VALID, "nlost", null, keyClient("nlost", lostKey)),
                new Cred("nlost token (target edited down)", Kind.VALID, "nlost", null, tokenClient("nlost", lostTok)),
                new Cred("ngroup key", Kind.VALID, "ngroup", null, keyClient("ngroup", key("ngroup"))),
                new Cred(
                        "ngroup token applied-permissions/groups:" + GROUP,
                        Kind.VALID,
                        "ngroup",
                        SCOPE_GROUP,
                        tokenClient("ngroup", token("ngroup", "applied-permissions/groups:" + GROUP))));
    }
}
