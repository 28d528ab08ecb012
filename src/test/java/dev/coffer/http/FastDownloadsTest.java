package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Bytes;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.UpstreamServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fast download path ({@code fast.downloads=true}, the default) answers exactly as the router
 * does: two servers with the same content, rights and kinds of credentials, one with the fast path
 * and one without, are sent the same requests (every credential, granted and refused paths, files
 * small and large, folders, ranges, conditional requests, HEAD, odd paths; and reads through
 * virtual repositories over private, public and remote members, {@link FastVirtualSide}) and must
 * give the same status, headers and body.
 */
class FastDownloadsTest {
    private static final String PASSWORD = "fast-path-password-1";
    private static UpstreamServer upstream;
    private static Side fast;
    private static Side router;

    /** One server and the credentials made on it (secrets differ between servers, roles do not). */
    record Side(TestServer server, Map<String, UnaryOperator<Http>> callers) {}

    @BeforeAll
    static void start() {
        upstream = FastVirtualSide.upstream();
        fast = side(TestServer.start(Map.of("fast.downloads", "true")));
        router = side(TestServer.start(Map.of("fast.downloads", "false")));
    }

    @AfterAll
    static void stop() {
        if (fast != null) {
            fast.server().close();
        }
        if (router != null) {
            router.server().close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static Side side(TestServer s) {
        Fixtures.repo(s, "priv", false);
        Fixtures.repo(s, "pub", true);
        Fixtures.user(s, "alice", PASSWORD);
        Fixtures.user(s, "bob", PASSWORD);
        Fixtures.permission(
                s, "alice-reads", "priv", List.of("**"), List.of("secret/**"), Map.of("alice", List.of("r")), Map.of());
        Http admin = s.admin();
        Fixtures.put(admin, "/repository/priv/a/small.txt", "small text, served from memory\n");
        assertThat(admin.put("/repository/priv/a/lib.jar", Bytes.pattern(3000)).status())
                .isEqualTo(201);
        assertThat(admin.put("/repository/priv/a/big.bin", Bytes.pattern(100_000))
                        .status())
                .isEqualTo(201);
        assertThat(admin.put("/repository/priv/a/edge.bin", Bytes.pattern(64 * 1024))
                        .status())
                .isEqualTo(201);
        Fixtures.put(admin, "/repository/priv/a/b/c.pom", "<project/>");
        Fixtures.put(admin, "/repository/priv/secret/s.txt", "not for alice");
        Fixtures.put(admin, "/repository/priv/a/with%20space.txt", "spaced");
        Fixtures.put(admin, "/repository/pub/p.pom", "<project>public</project>");

        Http anon = s.anonymous();
        Http alice = anon.basic("alice", PASSWORD);
        String key = alice.header("Content-Type", "application/json")
                .post("/api/access-keys", "{\"description\":\"parity\"}")
                .json()
                .path("key")
                .asText();
        String token = alice.header("Content-Type", "application/x-www-form-urlencoded")
                .post(
                        "/access/api/v1/tokens",
                        "scope=" + URLEncoder.encode("artifact:priv/a/**:r", StandardCharsets.UTF_8))
                .json()
                .path("access_token")
                .asText();
        JsonNode session = anon.header("Content-Type", "application/json")
                .post("/api/tokens", "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}")
                .json();
        String bobKey = anon.basic("bob", PASSWORD)
                .header("Content-Type", "application/json")
                .post("/api/access-keys", "{\"description\":\"bob\"}")
                .json()
                .path("key")
                .asText();
        assertThat(List.of(key, token, session.path("token").asText(), bobKey)).allMatch(v -> !v.isEmpty());

        Map<String, UnaryOperator<Http>> callers = new LinkedHashMap<>();
        callers.put("anonymous", h -> h);
        callers.put("password", h -> h.basic("alice", PASSWORD));
        callers.put("wrong password", h -> h.basic("alice", "not-the-password"));
        callers.put("access key", h -> h.header("X-Auth-AccessKey", key));
        callers.put("key as Basic password", h -> h.basic("alice", key));
        callers.put("scoped token", h -> h.bearer(token));
        callers.put(
                "session",
                h -> h.header("X-Auth-Token", session.path("token").asText())
                        .header("X-Auth-UserId", session.path("user_id").asText()));
        callers.put("other user's key", h -> h.header("X-Auth-AccessKey", bobKey));
        callers.put("mistyped token", h -> h.bearer("cofat_" + "A".repeat(40)));
        callers.put("two credentials", h -> h.header("X-Auth-AccessKey", key).bearer(token));
        // two credentials, one of which is no credential at all: ambiguous before either is read (issue 16)
        callers.put(
                "key and an unreadable Bearer",
                h -> h.header("X-Auth-AccessKey", key).bearer("x"));
        callers.put(
                "half a session",
                h -> h.header("X-Auth-Token", session.path("token").asText()));
        callers.put("unknown scheme", h -> h.header("Authorization", "Digest abc"));
        FastVirtualSide.setUp(s, upstream, PASSWORD, callers);
        return new Side(s, callers);
    }

    private static final List<String> PATHS = Stream.concat(
                    FastVirtualSide.PATHS.stream(),
                    Stream.of(
                            "/repository/priv/a/small.txt",
                            "/repository/priv/a/lib.jar",
                            "/repository/priv/a/big.bin",
                            "/repository/priv/a/edge.bin",
                            "/repository/priv/a/b/c.pom",
                            "/repository/priv/secret/s.txt",
                            "/repository/priv/a/missing.txt",
                            "/repository/priv/a",
                            "/repository/priv/a/",
                            "/repository/priv",
                            "/repository/pub/p.pom",
                            "/repository/pub/none.pom",
                            "/repository/nosuch/x.txt",
                            "/repository/priv/a/with%20space.txt",
                            "/repository/priv/a/small.txt;k=v",
                            "/repository/priv/a/%2e%2e/secret/s.txt",
                            "/repository/priv/a%2Fsmall.txt",
                            "/repository/priv//a/small.txt",
                            "/repository/priv/a/small.txt?download=1",
                            "/repository/Bad!/x"))
            .toList();

    /** Extra request headers, and HEAD. */
    private static final Map<String, UnaryOperator<Http>> VARIANTS = variants();

    private static Map<String, UnaryOperator<Http>> variants() {
        Map<String, UnaryOperator<Http>> v = new LinkedHashMap<>();
        v.put("plain", h -> h);
        v.put("range", h -> h.header("Range", "bytes=2-9"));
        v.put("if-none-match", h -> h.header("If-None-Match", "\"" + "0".repeat(64) + "\""));
        v.put("if-none-match any", h -> h.header("If-None-Match", "*"));
        v.put("if-modified-since", h -> h.header("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"));
        v.put("html", h -> h.header("Accept", "text/html"));
        return v;
    }

    @Test
    void everyRequestIsAnsweredAsTheRouterAnswersIt() {
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (String path : PATHS) {
            for (String caller : fast.callers().keySet()) {
                for (String variant : VARIANTS.keySet()) {
                    for (String method : List.of("GET", "HEAD")) {
                        String what = method + " " + path + " as " + caller + " (" + variant + ")";
                        String a = describe(send(fast, caller, variant, method, path));
                        String b = describe(send(router, caller, variant, method, path));
                        compared++;
                        if (!a.equals(b)) {
                            differences.add(what + "\n  fast:   " + a + "\n  router: " + b);
                        }
                    }
                }
            }
        }
        assertThat(differences)
                .as("%d of %d requests differ", differences.size(), compared)
                .isEmpty();
        // the comparison is only worth something if the fast path actually answered some of them
        assertThat(fastServed(fast.server())).isGreaterThan(50);
        assertThat(metrics(router.server())).doesNotContain("coffer_fast_downloads");
    }

    private static Http.Response send(Side side, String caller, String variant, String method, String path) {
        Http h = VARIANTS.get(variant)
                .apply(side.callers().get(caller).apply(side.server().anonymous()));
        return method.equals("HEAD") ? h.head(path) : h.get(path);
    }

    /** Status, headers (but the send date, and the upload time, which differ between the servers) and body. */
    private static String describe(Http.Response r) {
        Map<String, List<String>> headers = new TreeMap<>(r.headers().map());
        headers.remove("date");
        if (headers.remove("last-modified") != null) {
            headers.put("last-modified", List.of("(present)"));
        }
        String type = String.join("", headers.getOrDefault("content-type", List.of()));
        if (type.startsWith("application/json") || type.startsWith("text/html")) {
            // listings name upload times, whose text is shorter when the milliseconds end in 0
            headers.remove("content-length");
        }
        // listings carry each server's own upload times
        String body = r.body().replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "(time)");
        return r.status() + " " + headers + " " + body;
    }

    private static long fastServed(TestServer s) {
        return metrics(s)
                .lines()
                .filter(l -> l.startsWith("coffer_fast_downloads_total "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String metrics(TestServer s) {
        Http.Response r = s.admin().get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    private static double meter(TestServer s, String name) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics(s));
        assertThat(m.find()).as(name).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /**
     * The selector thread serves only from memory: a download whose credential or file is not in
     * memory yet is handed to a thread that may wait and still answered in full; once warm, the
     * same download is served without a hand-off.
     */
    @Test
    void aColdDownloadIsHandedOffAndAnsweredAndAWarmOneIsNot() {
        try (TestServer s = TestServer.start(Map.of())) {
            Fixtures.repo(s, "libs", false);
            Fixtures.user(s, "dora", PASSWORD);
            Fixtures.grantUser(s, "dora-reads", "libs", "dora", "r");
            Fixtures.put(s.admin(), "/repository/libs/g.txt", "cold, then warm");
            String key = s.anonymous()
                    .basic("dora", PASSWORD)
                    .header("Content-Type", "application/json")
                    .post("/api/access-keys", "{\"description\":\"warm-up\"}")
                    .json()
                    .path("key")
                    .asText();
            Http dora = s.anonymous().header("X-Auth-AccessKey", key);
            double handedOff = meter(s, "coffer_fast_downloads_handed_off_total");
            double served = meter(s, "coffer_fast_downloads_total");

            Http.Response first = dora.get("/repository/libs/g.txt");
            assertThat(first.status()).as(first.toString()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("cold, then warm");
            assertThat(meter(s, "coffer_fast_downloads_handed_off_total")).isEqualTo(handedOff + 1);
            assertThat(meter(s, "coffer_fast_downloads_total")).isEqualTo(served + 1);

            for (int i = 0; i < 5; i++) {
                Http.Response again = dora.get("/repository/libs/g.txt");
                assertThat(again.status()).isEqualTo(200);
                assertThat(again.body()).isEqualTo("cold, then warm");
            }
            assertThat(meter(s, "coffer_fast_downloads_handed_off_total")).isEqualTo(handedOff + 1);
            assertThat(meter(s, "coffer_fast_downloads_total")).isEqualTo(served + 6);
        }
    }

    /** A wrong password sent to the fast path counts once towards the lockout, as on the router's path. */
    @Test
    void aRejectedPasswordCountsOnceTowardsTheLockout() throws Exception {
        try (TestServer s = TestServer.start(Map.of("lockout", "3"))) {
            Fixtures.repo(s, "libs", false);
            Fixtures.user(s, "carol", PASSWORD);
            Fixtures.grantUser(s, "carol-reads", "libs", "carol", "r");
            Fixtures.put(s.admin(), "/repository/libs/f.txt", "content");
            Http anon = s.anonymous();
            assertThat(anon.basic("carol", PASSWORD)
                            .get("/repository/libs/f.txt")
                            .status())
                    .isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                Http.Response wrong = anon.basic("carol", "wrong-" + i).get("/repository/libs/f.txt");
                assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
            }
            // two failures of three allowed: counted twice each, this would be 429 login_locked
            Http.Response good = anon.basic("carol", PASSWORD).get("/repository/libs/f.txt");
            assertThat(good.status()).as(good.toString()).isEqualTo(200);
            assertThat(good.body()).isEqualTo("content");
            // and each refused request is one audit event
            long deadline = System.currentTimeMillis() + 10_000;
            int failures;
            do {
                JsonNode events = s.admin()
                        .get("/api/audit?limit=1000&username=carol")
                        .json()
                        .path("events");
                failures = 0;
                for (JsonNode e : events) {
                    if (e.path("outcome").asText().equals("failed")) {
                        failures++;
                    }
                }
                if (failures >= 2) {
                    break;
                }
                Thread.sleep(50);
            } while (System.currentTimeMillis() < deadline);
            assertThat(failures).isEqualTo(2);
        }
    }
}
