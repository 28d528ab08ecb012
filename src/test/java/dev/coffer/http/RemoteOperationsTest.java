package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.MutableClock;
import dev.coffer.testing.RemoteFixtures;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.UpstreamServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Operating remote repositories: the cache's size and purge (all or nothing), the meters, the
 * audit trail, the upstream's own credentials (never the caller's, never logged), and the fast
 * download path, which may serve cached content but never unchecked metadata.
 */
class RemoteOperationsTest {
    private static final String PASSWORD = "remote-ops-password-1";
    private static final MutableClock clock = new MutableClock();
    private static TestServer server;
    private UpstreamServer upstream;
    private String repo;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), clock);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void remote() {
        upstream = UpstreamServer.start();
        repo = Fixtures.unique("proxy");
        RemoteFixtures.remote(server, repo, upstream.url());
    }

    @AfterEach
    void closeUpstream() {
        upstream.close();
    }

    private String at(String path) {
        return "/repository/" + repo + "/" + path;
    }

    private JsonNode usage() {
        return Fixtures.expect(server.admin().get("/api/repositories/" + repo + "/cache"), "usage", 200)
                .json();
    }

    @Test
    void theCacheShowsItsSizeAndAPurgeNeedsDeleteOnEveryCachedFile() {
        upstream.put("com/a.txt", "aaa").put("org/b.txt", "bb");
        server.admin().get(at("com/a.txt"));
        server.admin().get(at("org/b.txt"));
        assertThat(usage().toString()).isEqualTo("{\"repo\":\"" + repo + "\",\"files\":2,\"bytes\":5}");

        String carol = Fixtures.unique("carol");
        Fixtures.user(server, carol, PASSWORD);
        Fixtures.grant(server, Fixtures.unique("carol-com"), List.of(repo), List.of("com/**"), carol, "rd");
        Http asCarol = server.anonymous().basic(carol, PASSWORD);
        assertThat(asCarol.get("/api/repositories/" + repo + "/cache").status()).isEqualTo(200);
        Http.Response refused = asCarol.delete("/api/repositories/" + repo + "/cache");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(usage().path("files").asLong()).isEqualTo(2);
        assertThat(server.anonymous()
                        .delete("/api/repositories/" + repo + "/cache")
                        .status())
                .isEqualTo(401);

        assertThat(server.admin().delete("/api/repositories/" + repo + "/cache").status())
                .isEqualTo(204);
        assertThat(usage().path("files").asLong()).isZero();
        assertThat(usage().path("bytes").asLong()).isZero();
        // purged: the next read fetches again
        assertThat(server.admin().get(at("com/a.txt")).body()).isEqualTo("aaa");
        assertThat(upstream.gets("com/a.txt")).isEqualTo(2);
    }

    @Test
    void aPurgeForgetsRemembered404s() {
        assertThat(server.admin().get(at("late.txt")).status()).isEqualTo(404);
        upstream.put("late.txt", "late");
        assertThat(server.admin().get(at("late.txt")).status()).isEqualTo(404);
        assertThat(server.admin().delete("/api/repositories/" + repo + "/cache").status())
                .isEqualTo(204);
        assertThat(server.admin().get(at("late.txt")).body()).isEqualTo("late");
    }

    @Test
    void aRepositoryThatIsNotRemoteHasNoCache() {
        String local = Fixtures.newRepo(server, "local");
        assertThat(server.admin().get("/api/repositories/" + local + "/cache").status())
                .isEqualTo(404);
        assertThat(server.admin()
                        .delete("/api/repositories/" + local + "/cache")
                        .status())
                .isEqualTo(404);
        assertThat(server.admin().get("/api/repositories/nothing-here/cache").status())
                .isEqualTo(404);
    }

    private static double meter(String name, String repo) {
        String text = server.admin().get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{repo=\"" + Pattern.quote(repo) + "\",?\\} (\\S+)$")
                .matcher(text);
        assertThat(m.find()).as(name + " for " + repo + " in /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void metricsCountHitsMissesUpstreamErrorsAndTheCachesSize() {
        upstream.put("a.txt", "12345").put("b.txt", "b");
        server.admin().get(at("a.txt"));
        server.admin().header("Range", "bytes=0-0").get(at("a.txt"));
        server.admin().get(at("a.txt"));
        upstream.force(503);
        server.admin().get(at("b.txt"));

        assertThat(meter("coffer_remote_cache_misses_total", repo)).isEqualTo(1.0);
        assertThat(meter("coffer_remote_cache_hits_total", repo)).isEqualTo(2.0);
        assertThat(meter("coffer_remote_upstream_errors_total", repo)).isEqualTo(1.0);
        assertThat(meter("coffer_remote_cache_files", repo)).isEqualTo(1.0);
        assertThat(meter("coffer_remote_cache_bytes", repo)).isEqualTo(5.0);
    }

    @Test
    void theFastPathServesCachedContentButNeverUncheckedMetadata() {
        String meta = "com/acme/lib/maven-metadata.xml";
        upstream.put("com/acme/lib/1.0/lib-1.0.pom", "<project/>").put(meta, "<metadata>1</metadata>");
        server.admin().get(at("com/acme/lib/1.0/lib-1.0.pom"));
        server.admin().get(at(meta));

        double fast = fastDownloads();
        assertThat(server.admin().get(at("com/acme/lib/1.0/lib-1.0.pom")).status())
                .isEqualTo(200);
        assertThat(fastDownloads()).as("content from the fast path").isEqualTo(fast + 1);
        server.admin().get(at(meta));
        assertThat(fastDownloads()).as("metadata never from the fast path").isEqualTo(fast + 1);

        upstream.put(meta, "<metadata>2</metadata>");
        clock.advance(Duration.ofSeconds(601));
        assertThat(server.admin().get(at(meta)).body()).isEqualTo("<metadata>2</metadata>");
    }

    @Test
    void aCachedFileOutsideChangedPatternsIsNotServedByAnyPath() {
        upstream.put("com/x.txt", "x");
        assertThat(server.admin().get(at("com/x.txt")).status()).isEqualTo(200);
        Fixtures.expect(
                server.admin().putJson("/api/repositories/" + repo, "{\"excludePatterns\": [\"com/**\"]}"),
                "exclude com/**",
                200);
        assertThat(server.admin().get(at("com/x.txt")).status()).isEqualTo(404);
        assertThat(upstream.gets("com/x.txt")).isEqualTo(1);
    }

    private static double fastDownloads() {
        Matcher m = Pattern.compile("(?m)^coffer_fast_downloads_total (\\S+)$")
                .matcher(server.admin().get("/metrics").body());
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theUpstreamGetsTheRemotesCredentialsNeverTheCallersAndNeitherIsLoggedOrAudited() {
        String secret = "Upstream-S3cret-" + Fixtures.unique("pw");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logged);
        try (TestServer origin = TestServer.start()) {
            Fixtures.repo(origin, "libs", false);
            Fixtures.user(origin, "svc", secret);
            Fixtures.grantUser(origin, "svc-reads", "libs", "svc", "r");
            Fixtures.expect(origin.admin().put("/repository/libs/com/acme/a.txt", "from origin"), "upload", 201);
            String viaOrigin = Fixtures.unique("via-origin");
            RemoteFixtures.remote(
                    server,
                    viaOrigin,
                    origin.base() + "/repository/libs",
                    Map.of("username", "svc", "password", secret));

            Http.Response r = server.admin().get("/repository/" + viaOrigin + "/com/acme/a.txt");
            assertThat(r.body()).isEqualTo("from origin");

            // the upstream is sent the remote's credentials, not the caller's (admin, whose password
            // is the same on both servers)
            String withCredentials = Fixtures.unique("with-credentials");
            RemoteFixtures.remote(
                    server, withCredentials, upstream.url(), Map.of("username", "svc", "password", secret));
            upstream.put("b.txt", "b");
            assertThat(server.admin()
                            .get("/repository/" + withCredentials + "/b.txt")
                            .body())
                    .isEqualTo("b");
            assertThat(upstream.seen().get(0).header("Authorization"))
                    .isEqualTo(Http.basicAuthorization("svc", secret));

            String audit = server.admin().get("/api/audit?limit=1000").body();
            assertThat(audit).contains("\"action\":\"remote.fetch\"").doesNotContain(secret);
            JsonNode fetch = server.admin()
                    .get("/api/audit?limit=1000")
                    .json()
                    .path("events")
                    .get(0);
            assertThat(fetch.path("action").asText()).isIn("remote.fetch", "artifact.read");
            assertThat(server.admin().get("/api/repositories/" + viaOrigin).body())
                    .doesNotContain(secret);
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list).isNotEmpty();
        for (ILoggingEvent e : logged.list) {
            assertThat(e.getFormattedMessage()).doesNotContain(secret);
            if (e.getThrowableProxy() != null) {
                assertThat(e.getThrowableProxy().getMessage()).doesNotContain(secret);
            }
        }
    }
}
