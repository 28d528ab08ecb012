package dev.coffer.security;

import static dev.coffer.testing.Fixtures.expect;
import static dev.coffer.testing.Fixtures.postForm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access matrix (issue 4, item 1): every credential state × repository (anonymousRead on/off) ×
 * action (r w d a m) × path (exists / missing / sibling prefix), one HTTP request per cell, each
 * checked against an oracle written from API.md alone (it never calls dev.coffer.authz).
 *
 * <h2>The world</h2>
 * Two repositories with identical content, {@value #PUB} (anonymousRead: true) and {@value #PRIV}
 * (anonymousRead: false), each holding {@code test1/com/x.txt} and {@code test1/comm/x.txt}; a third
 * repository {@value #OTHER} for out-of-scope tokens. Users {@code dev}, {@code lost} and {@code gone}
 * each get one permission target over both repositories: include {@code test1/com/**}, actions
 * {@code r,w,d,a,m}. Afterwards {@code lost}'s target is edited down to {@code r} and {@code gone}
 * is disabled. So {@code test1/comm/...} (the sibling prefix) is outside everyone's rights except
 * the administrator's, and anonymous read of {@value #PUB} reaches it.
 *
 * <h2>The oracle (API.md §1, §3, §4 rules 1-4, §5)</h2>
 * <pre>
 *  rule | credential                          | repository | action       | expected
 *  -----+-------------------------------------+------------+--------------+-------------------------------------
 *  O1   | presented but invalid (wrong pw,    | any        | any          | 401 + WWW-Authenticate (rule 2: even
 *       | revoked/expired/mistyped/refreshed- |            |              | where anonymous could read)
 *       | away secret, session of another id, |            |              |
 *       | disabled owner)                     |            |              |
 *  O2   | none                                | anonRead   | r            | 200 exists / 404 missing (rule 1)
 *  O3   | none                                | otherwise  |              | 401 + WWW-Authenticate (rule 1)
 *  O4   | valid, has every needed action      | any        | r            | 200 exists / 404 missing
 *       |                                     |            | w new path   | 201
 *       |                                     |            | w existing   | needs w AND d (§1 overwrite) → 200
 *       |                                     |            | d            | 204 exists / 404 missing
 *       |                                     |            | a            | 204 exists / 404 missing
 *       |                                     |            | m            | 200 (repository-level, path ignored)
 *  O5   | valid                               | anonRead   | r            | as O4: "public means public", a
 *       |                                     |            |              | credential never reduces what anyone
 *       |                                     |            |              | may read, however narrow its scope
 *  O6   | valid, lacks a needed action        | any        | any          | 403, no challenge, whether or not the
 *       |                                     |            |              | path exists (rule 3)
 * </pre>
 * Needed rights = owner's CURRENT grants ∩ the credential's scope (rule 4, §5). A path action needs a
 * grant whose repository list names the repository and whose include pattern matches the path (modelled
 * here as the literal prefix {@code test1/com/}, which {@code test1/comm/} does not have), and the same of
 * some scope item ({@code applied-permissions/user} = everything). {@code m} is about the repository,
 * not the path (§3 "m on it"): it needs a grant naming the repository with {@code m} and a scope item
 * naming the repository with {@code m} — so a token scoped {@code artifact:R/test1/comm/**:*} still
 * manages R for an owner who manages R, while a token scoped to another repository does not.
 *
 * <p>Besides the status, each mutating cell is checked for its effect with an administrator's key:
 * an allowed write/delete/annotate/manage happened, a denied one left no trace.
 */
class AccessMatrixTest {
    static final String PUB = "mx-pub";
    static final String PRIV = "mx-priv";
    static final String OTHER = "mx-other";
    static final String CHALLENGE = "Basic realm=\"coffer\"";
    static final String COM = "test1/com/";
    static final String COMM = "test1/comm/";

    private static TestServer main;
    private static TestServer shortTtl;
    private static final Map<TestServer, Http> ADMIN = new LinkedHashMap<>();
    private static final List<Cred> CREDS = new ArrayList<>();

    // ---------------------------------------------------------------- the oracle's model

    /** What the credential is, for the oracle. */
    enum Kind {
        NONE,
        INVALID,
        VALID
    }

    /** A grant (of the owner, or of a token's scope): repositories, include prefix, action letters. */
    record Grant(Set<String> repos, String prefix, String actions) {
        boolean covers(String repo, String path, char action) {
            return repos.contains(repo)
                    && (action == 'm' || path.startsWith(prefix))
                    && (actions.equals("*") || actions.indexOf(action) >= 0);
        }
    }

    /** The owners' CURRENT grants (after the edit of lost's target). */
    static final Map<String, List<Grant>> OWNER = Map.of(
            "dev", List.of(new Grant(Set.of(PUB, PRIV), COM, "rwdam")),
            "lost", List.of(new Grant(Set.of(PUB, PRIV), COM, "r")));

    /** null = applied-permissions/user (no narrowing). */
    static final List<Grant> SCOPE_USER = null;

    static final List<Grant> SCOPE_IN = List.of(new Grant(Set.of(PUB), COM, "*"), new Grant(Set.of(PRIV), COM, "*"));
    static final List<Grant> SCOPE_OTHER_REPO = List.of(new Grant(Set.of(OTHER), "", "*"));
    static final List<Grant> SCOPE_SIBLING =
            List.of(new Grant(Set.of(PUB), COMM, "*"), new Grant(Set.of(PRIV), COMM, "*"));

    static String scopeText(List<Grant> scope) {
        List<String> items = new ArrayList<>();
        for (Grant g : scope) {
            for (String r : g.repos()) {
                items.add("artifact:" + r + "/" + g.prefix() + "**:" + g.actions());
            }
        }
        return String.join(" ", items);
    }

    /** One credential state of the matrix. */
    record Cred(String name, Kind kind, String owner, List<Grant> scope, TestServer server, IntFunction<Http> client) {}

    static boolean has(Cred c, String repo, String path, char action) {
        boolean owner = OWNER.get(c.owner()).stream().anyMatch(g -> g.covers(repo, path, action));
        boolean scope = c.scope() == null || c.scope().stream().anyMatch(g -> g.covers(repo, path, action));
        return owner && scope;
    }

    static int success(char action, boolean exists) {
        return switch (action) {
            case 'r' -> exists ? 200 : 404;
            case 'w' -> exists ? 200 : 201;
            case 'd', 'a' -> exists ? 204 : 404;
            case 'm' -> 200;
            default -> throw new IllegalArgumentException(String.valueOf(action));
        };
    }

    /** The expected status of one cell: rules O1-O6 of the class comment. */
    static int oracle(Cred c, String repo, boolean anonymousRead, char action, String path, boolean exists) {
        if (c.kind() == Kind.INVALID) {
            return 401; // O1
        }
        boolean publicRead = action == 'r' && anonymousRead;
        if (c.kind() == Kind.NONE) {
            return publicRead ? success(action, exists) : 401; // O2, O3
        }
        String needed = action == 'w' && exists ? "wd" : String.valueOf(action);
        boolean allowed = needed.chars().allMatch(a -> has(c, repo, path, (char) a));
        return allowed || publicRead ? success(action, exists) : 403; // O4, O5, O6
    }

    // ---------------------------------------------------------------- set-up

    static Http adminOf(TestServer s) {
        return ADMIN.get(s);
    }

    /** Repositories, content, users and their permission targets; an administrator key for the checks. */
    static void world(TestServer s) {
        JsonNode k = Fixtures.key(s.admin(), Map.of("description", "matrix admin"));
        ADMIN.put(s, s.anonymous().header("X-Auth-AccessKey", k.get("key").asText()));
        Fixtures.repo(s, PUB, true);
        Fixtures.repo(s, PRIV, false);
        Fixtures.repo(s, OTHER, false);
        for (String repo : List.of(PUB, PRIV)) {
            for (String p : List.of(COM + "x.txt", COMM + "x.txt")) {
                expect(adminOf(s).put("/repository/" + repo + "/" + p, repo + ":" + p), "seed " + p, 201);
            }
        }
        for (String u : List.of("dev", "lost", "gone")) {
            Fixtures.user(s, u, u + "-pass");
            Fixtures.grant(s, "mx-" + u, List.of(PUB, PRIV), List.of("test1/com/**"), u, "rwdam");
        }
    }

    static Http pw(TestServer s, String user) {
        return s.anonymous().basic(user, user + "-pass");
    }

    static JsonNode key(TestServer s, String user, Map<String, Object> body) {
        return Fixtures.key(pw(s, user), body);
    }

    static JsonNode token(TestServer s, String user, Map<String, String> form) {
        return Fixtures.token(pw(s, user), form);
    }

    static JsonNode session(TestServer s, String user) {
        return Fixtures.session(s, user, user + "-pass");
    }

    /** Keys travel in five ways (API.md §4); the cell number picks one, so every way is exercised. */
    static IntFunction<Http> keyClient(TestServer s, String owner, String key) {
        return n -> switch (n % 5) {
            case 0 -> s.anonymous().header("X-Auth-AccessKey", key);
            case 1 -> s.anonymous().bearer(key);
            case 2 -> s.anonymous().basic(owner, key);
            case 3 -> s.anonymous().basic(key, "");
            default -> s.anonymous().header("Circle-Token", key);
        };
    }

    static IntFunction<Http> tokenClient(TestServer s, String owner, String token) {
        return n -> switch (n % 4) {
            case 0 -> s.anonymous().bearer(token);
            case 1 -> s.anonymous().basic(owner, token);
            case 2 -> s.anonymous().basic(token, "");
            default -> s.anonymous().header("Circle-Token", token);
        };
    }

    static IntFunction<Http> sessionClient(TestServer s, String token, long userId) {
        return n -> s.anonymous().header("X-Auth-Token", token).header("X-Auth-UserId", String.valueOf(userId));
    }

    static void works(Http h, String what) {
        expect(h.get("/repository/" + PRIV + "/" + COM + "x.txt"), what + " works before it is spoiled", 200);
    }

    @BeforeAll
    static void setUp() throws Exception {
        main = TestServer.start();
        shortTtl = TestServer.start(Map.of("session.ttl", "4s"));
        world(main);
        world(shortTtl);
        TestServer s = main;

        // short-lived things first, so that they have expired once the rest is set up
        long t0 = System.currentTimeMillis();
        JsonNode expKey = key(
                s,
                "dev",
                Map.of(
                        "description",
                        "expiring",
                        "expiresAt",
                        Instant.now().plusMillis(4000).toString()));
        JsonNode expTok = token(s, "dev", Map.of("scope", "applied-permissions/user", "expires_in", "4"));
        JsonNode expSession = session(shortTtl, "dev");
        works(keyClient(s, "dev", expKey.get("key").asText()).apply(0), "expiring key");
        works(tokenClient(s, "dev", expTok.get("access_token").asText()).apply(0), "expiring token");
        works(
                sessionClient(
                                shortTtl,
                                expSession.get("token").asText(),
                                expSession.get("user_id").asLong())
                        .apply(0),
                "expiring session");

        JsonNode devSession = session(s, "dev");
        long devId = devSession.get("user_id").asLong();
        JsonNode lostSession = session(s, "lost");
        long lostId = lostSession.get("user_id").asLong();
        String devKey = key(s, "dev", Map.of("description", "valid")).get("key").asText();

        JsonNode revKey = key(s, "dev", Map.of("description", "to revoke"));
        works(keyClient(s, "dev", revKey.get("key").asText()).apply(0), "revoked key");
        expect(pw(s, "dev").delete("/api/access-keys/" + revKey.get("id").asText()), "revoke key", 204);

        String inScope = token(s, "dev", Map.of("scope", scopeText(SCOPE_IN), "refreshable", "true"))
                .get("access_token")
                .asText();
        String outScope = token(s, "dev", Map.of("scope", scopeText(SCOPE_OTHER_REPO)))
                .get("access_token")
                .asText();
        String sibling = token(s, "dev", Map.of("scope", scopeText(SCOPE_SIBLING)))
                .get("access_token")
                .asText();

        JsonNode revTok = token(s, "dev", Map.of("scope", "applied-permissions/user"));
        works(tokenClient(s, "dev", revTok.get("access_token").asText()).apply(0), "revoked token");
        expect(
                pw(s, "dev")
                        .delete("/access/api/v1/tokens/"
                                + revTok.get("token_id").asText()),
                "revoke token",
                200);

        JsonNode before = token(s, "dev", Map.of("scope", scopeText(SCOPE_IN), "refreshable", "true"));
        String oldTok = before.get("access_token").asText();
        works(tokenClient(s, "dev", oldTok).apply(0), "token before refresh");
        JsonNode after = expect(
                        postForm(
                                s.anonymous(),
                                "/access/api/v1/tokens",
                                Map.of(
                                        "grant_type",
                                        "refresh_token",
                                        "refresh_token",
                                        before.get("refresh_token").asText())),
                        "refresh",
                        200)
                .json();
        String newTok = after.get("access_token").asText();
        assertThat(newTok).isNotEqualTo(oldTok);

        // lost: a token and a key while the right is there, then the target is edited down to r
        String lostTok = token(s, "lost", Map.of("scope", "applied-permissions/user"))
                .get("access_token")
                .asText();
        String lostKey =
                key(s, "lost", Map.of("description", "lost")).get("key").asText();
        works(tokenClient(s, "lost", lostTok).apply(0), "lost's token");
        expect(
                tokenClient(s, "lost", lostTok)
                        .apply(0)
                        .put("/repository/" + PRIV + "/" + COM + "lost-before.txt", "x"),
                "lost writes before the edit",
                201);
        Fixtures.grant(s, "mx-lost", List.of(PUB, PRIV), List.of("test1/com/**"), "lost", "r");

        // gone: a key, then the user is disabled
        String goneKey =
                key(s, "gone", Map.of("description", "gone")).get("key").asText();
        works(keyClient(s, "gone", goneKey).apply(0), "gone's key");
        expect(adminOf(s).putJson("/api/users/gone", "{\"disabled\":true}"), "disable gone", 200);

        IntFunction<Http> none = n -> s.anonymous();
        CREDS.add(new Cred("none", Kind.NONE, null, null, s, none));
        CREDS.add(new Cred("password right", Kind.VALID, "dev", SCOPE_USER, s, n -> pw(s, "dev")));
        CREDS.add(new Cred(
                "password wrong",
                Kind.INVALID,
                "dev",
                null,
                s,
                n -> s.anonymous().basic("dev", "dev-pas")));
        CREDS.add(new Cred("key valid", Kind.VALID, "dev", SCOPE_USER, s, keyClient(s, "dev", devKey)));
        CREDS.add(new Cred(
                "key revoked",
                Kind.INVALID,
                "dev",
                null,
                s,
                keyClient(s, "dev", revKey.get("key").asText())));
        CREDS.add(new Cred(
                "key expired",
                Kind.INVALID,
                "dev",
                null,
                s,
                keyClient(s, "dev", expKey.get("key").asText())));
        CREDS.add(new Cred(
                "key mistyped", Kind.INVALID, "dev", null, s, keyClient(s, "dev", Typos.mistypeMiddle(devKey))));
        CREDS.add(new Cred(
                "session valid",
                Kind.VALID,
                "dev",
                SCOPE_USER,
                s,
                sessionClient(s, devSession.get("token").asText(), devId)));
        CREDS.add(new Cred(
                "session expired",
                Kind.INVALID,
                "dev",
                null,
                shortTtl,
                sessionClient(
                        shortTtl,
                        expSession.get("token").asText(),
                        expSession.get("user_id").asLong())));
        CREDS.add(new Cred(
                "session wrong user id",
                Kind.INVALID,
                "dev",
                null,
                s,
                sessionClient(s, devSession.get("token").asText(), lostId)));
        CREDS.add(new Cred("token in scope", Kind.VALID, "dev", SCOPE_IN, s, tokenClient(s, "dev", inScope)));
        CREDS.add(
                new Cred("token other repo", Kind.VALID, "dev", SCOPE_OTHER_REPO, s, tokenClient(s, "dev", outScope)));
        CREDS.add(new Cred("token sibling path", Kind.VALID, "dev", SCOPE_SIBLING, s, tokenClient(s, "dev", sibling)));
        CREDS.add(new Cred(
                "token revoked",
                Kind.INVALID,
                "dev",
                null,
                s,
                tokenClient(s, "dev", revTok.get("access_token").asText())));
        CREDS.add(new Cred(
                "token expired",
                Kind.INVALID,
                "dev",
                null,
                s,
                tokenClient(s, "dev", expTok.get("access_token").asText())));
        CREDS.add(new Cred("token refreshed-away", Kind.INVALID, "dev", null, s, tokenClient(s, "dev", oldTok)));
        CREDS.add(new Cred("token refreshed (new)", Kind.VALID, "dev", SCOPE_IN, s, tokenClient(s, "dev", newTok)));
        CREDS.add(new Cred(
                "token of user who lost the right",
                Kind.VALID,
                "lost",
                SCOPE_USER,
                s,
                tokenClient(s, "lost", lostTok)));
        CREDS.add(new Cred(
                "key of user who lost the right", Kind.VALID, "lost", SCOPE_USER, s, keyClient(s, "lost", lostKey)));
        CREDS.add(new Cred("key of disabled user", Kind.INVALID, "gone", null, s, keyClient(s, "gone", goneKey)));

        long wait = 5200 - (System.currentTimeMillis() - t0);
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    @AfterAll
    static void tearDown() {
        for (TestServer s : new TestServer[] {main, shortTtl}) {
            if (s != null) {
                s.close();
            }
        }
    }

    // ---------------------------------------------------------------- the matrix

    enum PathKind {
        EXISTS,
        MISSING,
        SIBLING
    }

    @Test
    void everyCellAnswersAsTheOracleSays() {
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
        int n = 0;
        for (Cred c : CREDS) {
            for (String repo : List.of(PUB, PRIV)) {
                boolean anonymousRead = repo.equals(PUB);
                for (char action : "rwdam".toCharArray()) {
                    for (PathKind pk : PathKind.values()) {
                        n++;
                        String problem = cell(n, c, repo, anonymousRead, action, pk, byStatus);
                        if (problem != null) {
                            failures.add("#" + n + " [" + c.name() + " | " + repo + " | " + action + " | " + pk + "] "
                                    + problem);
                        }
                    }
                }
            }
        }
        // manage cells send only a description: anonymousRead never moved
        for (TestServer s : List.of(main, shortTtl)) {
            for (String repo : List.of(PUB, PRIV)) {
                JsonNode r = adminOf(s).get("/api/repositories/" + repo).json();
                if (r.get("anonymousRead").asBoolean() != repo.equals(PUB)) {
                    failures.add("anonymousRead of " + repo + " changed: " + r);
                }
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("AccessMatrixTest: " + n + " cells checked (" + CREDS.size() + " credential states x 2 "
                + "repositories x 5 actions x 3 paths) in " + ms + " ms; statuses " + byStatus + "; " + failures.size()
                + " mismatches");
        assertThat(n).isEqualTo(CREDS.size() * 2 * 5 * 3);
        assertThat(failures)
                .as("cells that disagree with the oracle (%d of %d)", failures.size(), n)
                .isEmpty();
    }

    /** Runs one cell; null when status and effect are as the oracle says, else what went wrong. */
    private static String cell(
            int n,
            Cred c,
            String repo,
            boolean anonymousRead,
            char action,
            PathKind pk,
            Map<Integer, Integer> byStatus) {
        TestServer s = c.server();
        Http admin = adminOf(s);
        Http h = c.client().apply(n);
        String dir = pk == PathKind.SIBLING ? COMM : COM;
        String path;
        boolean exists;
        Http.Response r;
        String effect = null;
        switch (action) {
            case 'r' -> {
                exists = pk != PathKind.MISSING;
                path = dir + (exists ? "x.txt" : "missing-" + n + ".txt");
                int expected = oracle(c, repo, anonymousRead, action, path, exists);
                r = h.get("/repository/" + repo + "/" + path);
                if (r.status() == 200 && !r.body().equals(repo + ":" + path)) {
                    effect = "read the wrong bytes: " + r.body();
                }
                return judge(r, expected, effect, byStatus);
            }
            case 'w' -> {
                exists = pk == PathKind.EXISTS;
                path = dir + (exists ? "w-old-" : "w-new-") + n + ".txt";
                String url = "/repository/" + repo + "/" + path;
                if (exists) {
                    expect(admin.put(url, "old"), "prepare " + url, 201);
                }
                int expected = oracle(c, repo, anonymousRead, action, path, exists);
                r = h.put(url, "new-" + n);
                Http.Response after = admin.get(url);
                String want = expected / 100 == 2 ? "new-" + n : exists ? "old" : null;
                String got = after.status() == 200 ? after.body() : null;
                if (!java.util.Objects.equals(want, got)) {
                    effect = "afterwards the file holds " + got + " instead of " + want;
                }
                return judge(r, expected, effect, byStatus);
            }
            case 'd' -> {
                exists = pk != PathKind.MISSING;
                path = dir + (exists ? "d-" : "d-missing-") + n + ".txt";
                String url = "/repository/" + repo + "/" + path;
                if (exists) {
                    expect(admin.put(url, "doomed"), "prepare " + url, 201);
                }
                int expected = oracle(c, repo, anonymousRead, action, path, exists);
                r = h.delete(url);
                int after = admin.get(url).status();
                int want = exists && expected != 204 ? 200 : 404;
                if (after != want) {
                    effect = "afterwards GET says " + after + " instead of " + want;
                }
                return judge(r, expected, effect, byStatus);
            }
            case 'a' -> {
                exists = pk != PathKind.MISSING;
                path = dir + (exists ? "x.txt" : "missing-" + n + ".txt");
                int expected = oracle(c, repo, anonymousRead, action, path, exists);
                String prop = "cell" + n;
                r = h.put("/api/storage/" + repo + "/" + path + "?properties=" + prop + "=y", "");
                if (exists) {
                    boolean set = admin.get("/api/storage/" + repo + "/" + path)
                            .json()
                            .path("properties")
                            .has(prop);
                    if (set != (expected == 204)) {
                        effect = "afterwards property " + prop + (set ? " is set" : " is not set");
                    }
                }
                return judge(r, expected, effect, byStatus);
            }
            case 'm' -> {
                path = dir + "x.txt"; // ignored by the route: manage is about the repository
                int expected = oracle(c, repo, anonymousRead, action, path, true);
                String desc = "cell " + n;
                r = h.putJson("/api/repositories/" + repo, Fixtures.json(Map.of("description", desc)));
                boolean set = desc.equals(admin.get("/api/repositories/" + repo)
                        .json()
                        .path("description")
                        .asText());
                if (set != (expected == 200)) {
                    effect = "afterwards the description " + (set ? "is" : "is not") + " '" + desc + "'";
                }
                return judge(r, expected, effect, byStatus);
            }
            default -> throw new IllegalArgumentException(String.valueOf(action));
        }
    }

    private static String judge(Http.Response r, int expected, String effect, Map<Integer, Integer> byStatus) {
        byStatus.merge(r.status(), 1, Integer::sum);
        List<String> problems = new ArrayList<>();
        if (r.status() != expected) {
            problems.add("expected " + expected + " got " + r);
        } else if (expected == 401 && !CHALLENGE.equals(r.header("WWW-Authenticate"))) {
            problems.add("401 without the Basic challenge: " + r.header("WWW-Authenticate"));
        } else if (expected == 403 && r.header("WWW-Authenticate") != null) {
            problems.add("403 with a challenge");
        }
        if (effect != null) {
            problems.add(effect);
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }
}
