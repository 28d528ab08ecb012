package dev.coffer.security;

import static dev.coffer.testing.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.Typos;
import dev.coffer.testing.VirtualFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access matrix's virtual dimension (issue 18 item 4): every credential state × two virtual
 * repositories (anonymousRead on and off) over a private and a public local member × GET, HEAD,
 * PUT (new and existing) and DELETE through the virtual repository, on paths only in the private
 * member, only in the public one, in both, in neither, and outside every user's rights. Each cell
 * is one request, checked (status, challenge, which member's bytes, what the deploy left) against
 * an oracle written from API.md §4, §5 and §9 alone: it never calls dev.coffer.authz.
 *
 * <h2>The oracle</h2>
 * <pre>
 *  on(V, a)       = a = r and V public, or owner's grants ∩ scope cover (V, path, a)
 *  through(M, a)  = a = r and M public, or owner's grants cover (M, path, a) and (no narrowing
 *                   scope, or a scope item naming V covers (path, a))
 *  GET/HEAD       invalid credential: 401. not on(V, r): 401 without credentials, else 403.
 *                 else the first member in order that holds the file and through(M, r): 200
 *                 with its bytes; none: 404.
 *  PUT            invalid: 401. not on(V, w): 401/403. not through(D, w) for the deploy
 *                 repository D: 403. A file there already: also on(V, d) and through(D, d),
 *                 else 403. Else 201 (200 replaced), stored in D.
 *  DELETE         invalid: 401. not on(V, d): 401/403. Else 405, nothing deleted.
 * </pre>
 */
class AccessMatrixVirtualTest {
    static final String PRIV = "mxv-priv";
    static final String PUB = "mxv-pub";
    static final String OPEN = "mxv-open";
    static final String CLOSED = "mxv-closed";
    static final String COM = "test1/com/";
    static final String COMM = "test1/comm/";
    static final List<String> MEMBERS = List.of(PRIV, PUB);
    static final Map<String, Boolean> PUBLIC = Map.of(PRIV, false, PUB, true, OPEN, true, CLOSED, false);
    /** Where each virtual repository deploys: one into the public member, one into the private. */
    static final Map<String, String> DEPLOY = Map.of(OPEN, PUB, CLOSED, PRIV);

    private static TestServer server;
    private static Http admin;
    private static final List<Cred> CREDS = new ArrayList<>();

    enum Kind {
        NONE,
        INVALID,
        VALID
    }

    /** A grant (of an owner, or of a scope item): repositories, include prefix, action letters. */
    record Grant(Set<String> repos, String prefix, String actions) {
        boolean covers(String repo, String path, char a) {
            return repos.contains(repo) && path.startsWith(prefix) && actions.indexOf(a) >= 0;
        }
    }

    static final Map<String, List<Grant>> OWNER = Map.of(
            "vdev",
            List.of(
                    new Grant(Set.of(OPEN, CLOSED), COM, "rwd"),
                    new Grant(Set.of(PRIV), COM, "rwd"),
                    new Grant(Set.of(PUB), COM, "r")),
            "vlost",
            List.of(new Grant(Set.of(OPEN, CLOSED), COM, "r")));

    /** null: applied-permissions/user. */
    record Cred(String name, Kind kind, String owner, List<Grant> scope, IntFunction<Http> client) {}

    static final List<Grant> SCOPE_VIRTUAL =
            List.of(new Grant(Set.of(OPEN), COM, "rwd"), new Grant(Set.of(CLOSED), COM, "r"));
    static final List<Grant> SCOPE_MEMBERS = List.of(new Grant(Set.of(PRIV, PUB), "", "rwd"));
    static final List<Grant> SCOPE_SIBLING = List.of(new Grant(Set.of(OPEN, CLOSED), COMM, "rwd"));

    static String scopeText(List<Grant> scope) {
        List<String> items = new ArrayList<>();
        for (Grant g : scope) {
            for (String r : g.repos()) {
                String letters = String.join(
                        ",",
                        g.actions()
                                .chars()
                                .mapToObj(c -> String.valueOf((char) c))
                                .toList());
                items.add("artifact:" + r + "/" + g.prefix() + "**:" + letters);
            }
        }
        return String.join(" ", items);
    }

    // ---------------------------------------------------------------- the oracle

    static boolean owner(Cred c, String repo, String path, char a) {
        return OWNER.get(c.owner()).stream().anyMatch(g -> g.covers(repo, path, a));
    }

    static boolean onVirtual(Cred c, String v, String path, char a) {
        if (a == 'r' && PUBLIC.get(v)) {
            return true;
        }
        if (c.kind() != Kind.VALID) {
            return false;
        }
        return owner(c, v, path, a) && (c.scope() == null || c.scope().stream().anyMatch(g -> g.covers(v, path, a)));
    }

    static boolean through(Cred c, String v, String member, String path, char a) {
        if (a == 'r' && PUBLIC.get(member)) {
            return true;
        }
        if (c.kind() != Kind.VALID || !owner(c, member, path, a)) {
            return false;
        }
        return c.scope() == null || c.scope().stream().anyMatch(g -> g.covers(v, path, a));
    }

    /** 401 without credentials, 403 with valid ones. */
    static int refused(Cred c) {
        return c.kind() == Kind.NONE ? 401 : 403;
    }

    /** Expected status and, for a 200, the member whose bytes come back. */
    record Expect(int status, String member) {}

    static Expect read(Cred c, String v, String path, Set<String> holders) {
        if (c.kind() == Kind.INVALID) {
            return new Expect(401, null);
        }
        if (!onVirtual(c, v, path, 'r')) {
            return new Expect(refused(c), null);
        }
        for (String m : MEMBERS) {
            if (holders.contains(m) && through(c, v, m, path, 'r')) {
                return new Expect(200, m);
            }
        }
        return new Expect(404, null);
    }

    static int write(Cred c, String v, String path, boolean exists) {
        if (c.kind() == Kind.INVALID) {
            return 401;
        }
        if (!onVirtual(c, v, path, 'w')) {
            return refused(c);
        }
        String d = DEPLOY.get(v);
        if (!through(c, v, d, path, 'w')) {
            return 403;
        }
        if (exists) {
            return onVirtual(c, v, path, 'd') && through(c, v, d, path, 'd') ? 200 : 403;
        }
        return 201;
    }

    static int delete(Cred c, String v, String path) {
        if (c.kind() == Kind.INVALID) {
            return 401;
        }
        return onVirtual(c, v, path, 'd') ? 405 : refused(c);
    }

    // ---------------------------------------------------------------- the world

    static Http pw(String user) {
        return server.anonymous().basic(user, user + "-pass");
    }

    static IntFunction<Http> keyClient(String owner, String key) {
        return n -> switch (n % 5) {
            case 0 -> server.anonymous().header("X-Auth-AccessKey", key);
            case 1 -> server.anonymous().bearer(key);
            case 2 -> server.anonymous().basic(owner, key);
            case 3 -> server.anonymous().basic(key, "");
            default -> server.anonymous().header("Circle-Token", key);
        };
    }

    static IntFunction<Http> tokenClient(String owner, String token) {
        return n -> switch (n % 3) {
            case 0 -> server.anonymous().bearer(token);
            case 1 -> server.anonymous().basic(owner, token);
            default -> server.anonymous().basic(token, "");
        };
    }

    static String token(String user, String scope) {
        return Fixtures.token(pw(user), Map.of("scope", scope))
                .get("access_token")
                .asText();
    }

    static final Map<String, Set<String>> HOLDERS = new TreeMap<>(Map.of(
            COM + "priv-only.txt", Set.of(PRIV),
            COM + "pub-only.txt", Set.of(PUB),
            COM + "both.txt", Set.of(PRIV, PUB),
            COM + "missing.txt", Set.of(),
            COMM + "both.txt", Set.of(PRIV, PUB)));

    @BeforeAll
    static void setUp() {
        server = TestServer.start();
        JsonNode k = Fixtures.key(server.admin(), Map.of("description", "virtual matrix admin"));
        admin = server.anonymous().header("X-Auth-AccessKey", k.get("key").asText());
        VirtualFixtures.local(server, PRIV, false);
        VirtualFixtures.local(server, PUB, true);
        VirtualFixtures.virtual(server, OPEN, true, DEPLOY.get(OPEN), PRIV, PUB);
        VirtualFixtures.virtual(server, CLOSED, false, DEPLOY.get(CLOSED), PRIV, PUB);
        HOLDERS.forEach((path, holders) -> holders.forEach(m ->
                expect(admin.put("/repository/" + m + "/" + path, m + ":" + path), "seed " + m + "/" + path, 201)));
        for (String u : List.of("vdev", "vlost", "vgone")) {
            Fixtures.user(server, u, u + "-pass");
        }
        for (String u : List.of("vdev", "vgone")) {
            Fixtures.grant(server, u + "-virtual", List.of(OPEN, CLOSED), List.of(COM + "**"), u, "rwd");
            Fixtures.grant(server, u + "-priv", List.of(PRIV), List.of(COM + "**"), u, "rwd");
            Fixtures.grant(server, u + "-pub", List.of(PUB), List.of(COM + "**"), u, "r");
        }
        Fixtures.grant(server, "vlost-virtual", List.of(OPEN, CLOSED), List.of(COM + "**"), "vlost", "r");

        String devKey = Fixtures.key(pw("vdev"), Map.of("description", "valid"))
                .get("key")
                .asText();
        JsonNode revoked = Fixtures.key(pw("vdev"), Map.of("description", "revoked"));
        expect(pw("vdev").delete("/api/access-keys/" + revoked.get("id").asText()), "revoke key", 204);
        String goneKey = Fixtures.key(pw("vgone"), Map.of("description", "gone"))
                .get("key")
                .asText();
        expect(admin.putJson("/api/users/vgone", "{\"disabled\":true}"), "disable vgone", 200);
        JsonNode revokedToken = Fixtures.token(pw("vdev"), Map.of("scope", "applied-permissions/user"));
        expect(
                pw("vdev")
                        .delete("/access/api/v1/tokens/"
                                + revokedToken.get("token_id").asText()),
                "revoke token",
                200);
        JsonNode session = Fixtures.session(server, "vdev", "vdev-pass");

        CREDS.add(new Cred("none", Kind.NONE, null, null, n -> server.anonymous()));
        CREDS.add(new Cred("password right", Kind.VALID, "vdev", null, n -> pw("vdev")));
        CREDS.add(new Cred(
                "password wrong",
                Kind.INVALID,
                "vdev",
                null,
                n -> server.anonymous().basic("vdev", "vdev-pas")));
        CREDS.add(new Cred("key valid", Kind.VALID, "vdev", null, keyClient("vdev", devKey)));
        CREDS.add(new Cred(
                "key revoked",
                Kind.INVALID,
                "vdev",
                null,
                keyClient("vdev", revoked.get("key").asText())));
        CREDS.add(new Cred("key mistyped", Kind.INVALID, "vdev", null, keyClient("vdev", Typos.mistypeMiddle(devKey))));
        CREDS.add(new Cred(
                "session valid",
                Kind.VALID,
                "vdev",
                null,
                n -> server.anonymous()
                        .header("X-Auth-Token", session.get("token").asText())
                        .header("X-Auth-UserId", session.get("user_id").asText())));
        CREDS.add(new Cred(
                "token full",
                Kind.VALID,
                "vdev",
                null,
                tokenClient("vdev", token("vdev", "applied-permissions/user"))));
        CREDS.add(new Cred(
                "token scoped to the virtual repositories",
                Kind.VALID,
                "vdev",
                SCOPE_VIRTUAL,
                tokenClient("vdev", token("vdev", scopeText(SCOPE_VIRTUAL)))));
        CREDS.add(new Cred(
                "token scoped to the members",
                Kind.VALID,
                "vdev",
                SCOPE_MEMBERS,
                tokenClient("vdev", token("vdev", scopeText(SCOPE_MEMBERS)))));
        CREDS.add(new Cred(
                "token scoped to a sibling path",
                Kind.VALID,
                "vdev",
                SCOPE_SIBLING,
                tokenClient("vdev", token("vdev", scopeText(SCOPE_SIBLING)))));
        CREDS.add(new Cred(
                "token revoked",
                Kind.INVALID,
                "vdev",
                null,
                tokenClient("vdev", revokedToken.get("access_token").asText())));
        CREDS.add(new Cred("password of a reader of the virtual only", Kind.VALID, "vlost", null, n -> pw("vlost")));
        CREDS.add(new Cred(
                "token of a reader of the virtual only",
                Kind.VALID,
                "vlost",
                null,
                tokenClient("vlost", token("vlost", "applied-permissions/user"))));
        CREDS.add(new Cred("key of a disabled user", Kind.INVALID, "vgone", null, keyClient("vgone", goneKey)));
    }

    @AfterAll
    static void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    // ---------------------------------------------------------------- the matrix

    @Test
    void everyCellAnswersAsTheRuleSays() {
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        int n = 0;
        for (Cred c : CREDS) {
            for (String v : List.of(OPEN, CLOSED)) {
                for (Map.Entry<String, Set<String>> e : HOLDERS.entrySet()) {
                    for (String method : List.of("GET", "HEAD")) {
                        n++;
                        check(failures, byStatus, n, c, v, method + " " + e.getKey(), readCell(n, c, v, method, e));
                    }
                }
                for (String dir : List.of(COM, COMM)) {
                    for (boolean exists : new boolean[] {false, true}) {
                        n++;
                        check(
                                failures,
                                byStatus,
                                n,
                                c,
                                v,
                                "PUT " + dir + (exists ? " existing" : " new"),
                                putCell(n, c, v, dir, exists));
                    }
                    n++;
                    check(failures, byStatus, n, c, v, "DELETE " + dir, deleteCell(n, c, v, dir));
                }
            }
        }
        System.out.println("AccessMatrixVirtualTest: " + n + " cells (" + CREDS.size()
                + " credential states x 2 virtual repositories x 16 requests); statuses " + byStatus + "; "
                + failures.size() + " mismatches");
        assertThat(n).isEqualTo(CREDS.size() * 2 * (HOLDERS.size() * 2 + 6));
        assertThat(byStatus).containsKeys(200, 201, 401, 403, 404, 405);
        assertThat(failures).as("cells that disagree with the oracle").isEmpty();
    }

    private static void check(
            List<String> failures, Map<Integer, Integer> byStatus, int n, Cred c, String v, String what, Cell cell) {
        byStatus.merge(cell.actual().status(), 1, Integer::sum);
        List<String> problems = new ArrayList<>();
        if (cell.actual().status() != cell.expected()) {
            problems.add("expected " + cell.expected() + " got " + cell.actual());
        } else if (cell.expected() == 401 && cell.actual().header("WWW-Authenticate") == null) {
            problems.add("401 without a challenge");
        }
        if (cell.effect() != null) {
            problems.add(cell.effect());
        }
        if (!problems.isEmpty()) {
            failures.add("#" + n + " [" + c.name() + " | " + v + " | " + what + "] " + String.join("; ", problems));
        }
    }

    record Cell(int expected, Http.Response actual, String effect) {}

    private static Cell readCell(int n, Cred c, String v, String method, Map.Entry<String, Set<String>> e) {
        Expect x = read(c, v, e.getKey(), e.getValue());
        String url = "/repository/" + v + "/" + e.getKey();
        Http h = c.client().apply(n);
        Http.Response r = method.equals("GET") ? h.get(url) : h.head(url);
        String effect = null;
        if (x.status() == 200 && r.status() == 200) {
            String want = x.member() + ":" + e.getKey();
            if (method.equals("GET") && !r.body().equals(want)) {
                effect = "served '" + r.body() + "' instead of '" + want + "'";
            } else if (method.equals("HEAD") && !String.valueOf(want.length()).equals(r.header("Content-Length"))) {
                effect = "HEAD announced " + r.header("Content-Length") + " bytes instead of " + want.length();
            }
        }
        return new Cell(x.status(), r, effect);
    }

    private static Cell putCell(int n, Cred c, String v, String dir, boolean exists) {
        String path = dir + (exists ? "w-old-" : "w-new-") + n + ".txt";
        String d = DEPLOY.get(v);
        if (exists) {
            expect(admin.put("/repository/" + d + "/" + path, "old"), "prepare " + path, 201);
        }
        int expected = write(c, v, path, exists);
        Http.Response r = c.client().apply(n).put("/repository/" + v + "/" + path, "new-" + n);
        Http.Response after = admin.get("/repository/" + d + "/" + path);
        String want = expected / 100 == 2 ? "new-" + n : exists ? "old" : null;
        String got = after.status() == 200 ? after.body() : null;
        String other = MEMBERS.stream()
                .filter(m -> !m.equals(d))
                .filter(m -> admin.get("/repository/" + m + "/" + path).status() != 404)
                .findFirst()
                .orElse(null);
        String effect = !Objects.equals(want, got)
                ? "afterwards " + d + " holds " + got + " instead of " + want
                : other != null ? "the deploy also reached " + other : null;
        return new Cell(expected, r, effect);
    }

    private static Cell deleteCell(int n, Cred c, String v, String dir) {
        String path = dir + "both.txt";
        int expected = delete(c, v, path);
        Http.Response r = c.client().apply(n).delete("/repository/" + v + "/" + path);
        String effect = null;
        for (String m : MEMBERS) {
            if (admin.get("/repository/" + m + "/" + path).status() != 200) {
                effect = "the file is gone from " + m;
            }
        }
        return new Cell(expected, r, effect);
    }
}
