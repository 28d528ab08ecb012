package dev.coffer.security;

import static dev.coffer.security.VirtualMatrixOracle.*;
import static dev.coffer.testing.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.common.ArtifactPath;
import dev.coffer.security.VirtualMatrixOracle.Cred;
import dev.coffer.security.VirtualMatrixOracle.Expect;
import dev.coffer.security.VirtualMatrixOracle.Kind;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.RemoteFixtures;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.Typos;
import dev.coffer.testing.UpstreamServer;
import dev.coffer.testing.VirtualFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access matrix's virtual dimension (issue 18 item 4): every credential state × two virtual
 * repositories (anonymousRead on and off) over a private and a public local member and a private
 * and a public remote member × GET, HEAD, PUT (new and existing) and DELETE through the virtual
 * repository. Reads cover every set of members holding the file (a remote one: its upstream has it,
 * in its cache already or not), inside and outside every user's rights. Each cell is one request,
 * checked (status, challenge, which member's bytes, which upstreams were asked, what the remote
 * caches and the deploy left) against {@link VirtualMatrixOracle}, written from API.md §4, §5 and
 * §9 alone.
 */
class AccessMatrixVirtualTest {
    private static TestServer server;
    private static UpstreamServer upstream;
    private static Http admin;
    private static final List<Cred> CREDS = new ArrayList<>();

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

    /** What one read cell finds: which members hold its file, whether remote holders have it cached. */
    record Holding(String dir, Set<String> holders, boolean cached) {
        String label() {
            return (holders.isEmpty() ? "nowhere" : String.join("+", new TreeSet<>(holders)))
                    + (holders.stream().anyMatch(REMOTE::contains) ? cached ? " (cached)" : " (uncached)" : "");
        }
    }

    /** Every set of members under COM (with remote holders cached and not), and all of them outside the rights. */
    static final List<Holding> HOLDINGS = holdings();

    private static List<Holding> holdings() {
        List<Holding> out = new ArrayList<>();
        for (int bits = 0; bits < 1 << MEMBERS.size(); bits++) {
            Set<String> holders = new TreeSet<>();
            for (int i = 0; i < MEMBERS.size(); i++) {
                if ((bits & 1 << i) != 0) {
                    holders.add(MEMBERS.get(i));
                }
            }
            out.add(new Holding(COM, holders, false));
            if (holders.stream().anyMatch(REMOTE::contains)) {
                out.add(new Holding(COM, holders, true));
            }
        }
        out.add(new Holding(COMM, Set.copyOf(MEMBERS), false));
        out.add(new Holding(COMM, Set.copyOf(MEMBERS), true));
        return List.copyOf(out);
    }

    /** The file every DELETE cell aims at: in every member (cached in the remote ones). */
    static String everywhere(String dir) {
        return dir + "everywhere.txt";
    }

    @BeforeAll
    static void setUp() {
        server = TestServer.start();
        upstream = UpstreamServer.start();
        JsonNode k = Fixtures.key(server.admin(), Map.of("description", "virtual matrix admin"));
        admin = server.anonymous().header("X-Auth-AccessKey", k.get("key").asText());
        VirtualFixtures.local(server, PRIV, false);
        VirtualFixtures.local(server, PUB, true);
        for (String r : REMOTE) {
            // each remote member's upstream is its own folder of the one test upstream
            RemoteFixtures.remote(server, r, upstream.url() + "/" + r, Map.of("anonymousRead", PUBLIC.get(r)));
        }
        String[] members = MEMBERS.toArray(String[]::new);
        VirtualFixtures.virtual(server, OPEN, true, DEPLOY.get(OPEN), members);
        VirtualFixtures.virtual(server, CLOSED, false, DEPLOY.get(CLOSED), members);
        for (String dir : List.of(COM, COMM)) {
            seed(everywhere(dir), Set.copyOf(MEMBERS), true);
        }
        for (String u : List.of("vdev", "vlost", "vgone")) {
            Fixtures.user(server, u, u + "-pass");
        }
        for (String u : List.of("vdev", "vgone")) {
            Fixtures.grant(server, u + "-virtual", List.of(OPEN, CLOSED), List.of(COM + "**"), u, "rwd");
            Fixtures.grant(server, u + "-priv", List.of(PRIV), List.of(COM + "**"), u, "rwd");
            Fixtures.grant(server, u + "-pub", List.of(PUB), List.of(COM + "**"), u, "r");
            Fixtures.grant(server, u + "-rpriv", List.of(RPRIV), List.of(COM + "**"), u, "r");
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
        if (upstream != null) {
            upstream.close();
        }
    }

    /**
     * Puts {@code path} in {@code holders} as each holds it: a local member's file, a remote
     * member's file at its upstream (and in its cache too when {@code cached}). Every member's copy
     * says whose it is.
     */
    private static void seed(String path, Set<String> holders, boolean cached) {
        for (String m : holders) {
            String content = m + ":" + path;
            if (REMOTE.contains(m)) {
                upstream.put(m + "/" + path, content);
            }
            if (!REMOTE.contains(m) || cached) {
                VirtualFixtures.stored(server, m, path, content);
            }
        }
    }

    private static boolean inStore(String repo, String path) {
        return server.coffer()
                .services()
                .artifacts()
                .find(repo, ArtifactPath.of(path))
                .isPresent();
    }

    /** The members whose upstream received a request (of the path or its checksum) since {@code since}. */
    private static Set<String> askedSince(int since, String path) {
        Set<String> asked = new TreeSet<>();
        List<UpstreamServer.Seen> seen = upstream.seen();
        for (UpstreamServer.Seen s : seen.subList(since, seen.size())) {
            String m = s.rawPath().substring(UpstreamServer.BASE.length() + 1).split("/", 2)[0];
            asked.add(s.rawPath().contains(path) ? m : m + " (for another path: " + s.rawPath() + ")");
        }
        return asked;
    }

    // ---------------------------------------------------------------- the matrix

    @Test
    void everyCellAnswersAsTheRuleSays() {
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> answeredBy = new TreeMap<>();
        int n = 0;
        for (Cred c : CREDS) {
            for (String v : List.of(OPEN, CLOSED)) {
                for (Holding h : HOLDINGS) {
                    for (String method : List.of("GET", "HEAD")) {
                        n++;
                        Cell cell = readCell(n, c, v, method, h);
                        if (cell.actual().status() == 200 && cell.expected() == 200) {
                            answeredBy.merge(cell.member(), 1, Integer::sum);
                        }
                        check(failures, byStatus, n, c, v, method + " " + h.dir() + " " + h.label(), cell);
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
        int perVirtual = HOLDINGS.size() * 2 + 6;
        System.out.println("AccessMatrixVirtualTest: " + n + " cells (" + CREDS.size()
                + " credential states x 2 virtual repositories x " + perVirtual + " requests); statuses " + byStatus
                + "; answered by " + answeredBy + "; " + failures.size() + " mismatches");
        assertThat(n).isEqualTo(CREDS.size() * 2 * perVirtual);
        assertThat(byStatus).containsKeys(200, 201, 401, 403, 404, 405);
        assertThat(answeredBy).containsKeys(MEMBERS.toArray(String[]::new));
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
        problems.addAll(cell.effects());
        if (!problems.isEmpty()) {
            failures.add("#" + n + " [" + c.name() + " | " + v + " | " + what + "] " + String.join("; ", problems));
        }
    }

    /** One request: what the oracle expects, what came back, whose bytes, and what else went wrong. */
    record Cell(int expected, Http.Response actual, String member, List<String> effects) {}

    private static Cell readCell(int n, Cred c, String v, String method, Holding h) {
        // a file of its own: what one cell fetches into a cache or remembers as absent upstream
        // is never what another cell finds
        String path = h.dir() + "r" + n + ".txt";
        seed(path, h.holders(), h.cached());
        Expect x = read(c, v, path, h.holders(), h.cached());
        int before = upstream.seen().size();
        String url = "/repository/" + v + "/" + path;
        Http client = c.client().apply(n);
        Http.Response r = method.equals("GET") ? client.get(url) : client.head(url);
        List<String> effects = new ArrayList<>();
        if (x.status() == 200 && r.status() == 200) {
            String want = x.member() + ":" + path;
            if (method.equals("GET") && !r.body().equals(want)) {
                effects.add("served '" + r.body() + "' instead of '" + want + "'");
            } else if (method.equals("HEAD") && !String.valueOf(want.length()).equals(r.header("Content-Length"))) {
                effects.add("HEAD announced " + r.header("Content-Length") + " bytes instead of " + want.length());
            }
        }
        Set<String> asked = askedSince(before, path);
        if (!asked.equals(x.asked())) {
            effects.add("upstreams asked: " + asked + " instead of " + x.asked());
        }
        for (String m : x.asked()) {
            if (upstream.gets(m + "/" + path) != 1) {
                effects.add(m + "'s upstream got " + upstream.gets(m + "/" + path) + " GETs of the file instead of 1");
            }
        }
        for (String m : REMOTE) {
            boolean want = h.holders().contains(m) && (h.cached() || x.asked().contains(m));
            if (inStore(m, path) != want) {
                effects.add(m + "'s cache " + (want ? "lacks" : "holds") + " the file afterwards");
            }
        }
        return new Cell(x.status(), r, x.member(), effects);
    }

    private static Cell putCell(int n, Cred c, String v, String dir, boolean exists) {
        String path = dir + (exists ? "w-old-" : "w-new-") + n + ".txt";
        String d = DEPLOY.get(v);
        if (exists) {
            expect(admin.put("/repository/" + d + "/" + path, "old"), "prepare " + path, 201);
        }
        int expected = write(c, v, path, exists);
        int before = upstream.seen().size();
        Http.Response r = c.client().apply(n).put("/repository/" + v + "/" + path, "new-" + n);
        List<String> effects = new ArrayList<>();
        Http.Response after = admin.get("/repository/" + d + "/" + path);
        String want = expected / 100 == 2 ? "new-" + n : exists ? "old" : null;
        String got = after.status() == 200 ? after.body() : null;
        if (!Objects.equals(want, got)) {
            effects.add("afterwards " + d + " holds " + got + " instead of " + want);
        }
        MEMBERS.stream()
                .filter(m -> !m.equals(d) && inStore(m, path))
                .forEach(m -> effects.add("the deploy also reached " + m));
        if (upstream.seen().size() != before) {
            effects.add("an upstream was asked: " + askedSince(before, path));
        }
        return new Cell(expected, r, null, effects);
    }

    private static Cell deleteCell(int n, Cred c, String v, String dir) {
        String path = everywhere(dir);
        int expected = delete(c, v, path);
        int before = upstream.seen().size();
        Http.Response r = c.client().apply(n).delete("/repository/" + v + "/" + path);
        List<String> effects = new ArrayList<>();
        MEMBERS.stream().filter(m -> !inStore(m, path)).forEach(m -> effects.add("the file is gone from " + m));
        if (upstream.seen().size() != before) {
            effects.add("an upstream was asked: " + askedSince(before, path));
        }
        return new Cell(expected, r, null, effects);
    }
}
