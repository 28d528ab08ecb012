package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Bytes;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.MutableClock;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.RemoteFixtures;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.UpstreamServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A remote repository over HTTP (API.md §9): what a client gets from /repository/{remote}/... on
 * a first fetch, from the cache, while the upstream is down, for a large file streamed while it
 * is cached (and one cut off because it turned out wrong), for HEAD, ranges, deploys and deletes.
 */
class RemoteContentTest {
    private static final String JAR = "com/acme/lib/1.0/lib-1.0.jar";
    private static final String META = "com/acme/lib/maven-metadata.xml";

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
        repo = Fixtures.unique("central");
        RemoteFixtures.remote(server, repo, upstream.url());
    }

    @AfterEach
    void closeUpstream() {
        upstream.close();
    }

    private Http admin() {
        return server.admin();
    }

    private String at(String path) {
        return "/repository/" + repo + "/" + path;
    }

    @Test
    void theFirstGetFetchesAndLaterOnesAreServedFromTheCacheWithTheUsualHeaders() {
        byte[] jar = Bytes.random(21, 70_000);
        upstream.putWithSha1(JAR, jar);

        Http.Response first = admin().get(at(JAR));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.bytes()).isEqualTo(jar);
        assertThat(first.header("ETag")).isEqualTo("\"" + Digests.sha256(jar) + "\"");
        assertThat(first.header("X-Checksum-Sha1")).isEqualTo(Digests.hex("SHA-1", jar));

        upstream.close(); // gone: only the cache can answer now
        Http.Response again = admin().get(at(JAR));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.bytes()).isEqualTo(jar);
        assertThat(admin().get(at(JAR + ".sha1")).body()).isEqualTo(Digests.hex("SHA-1", jar));
        assertThat(upstream.gets(JAR)).isEqualTo(1);
    }

    @Test
    void anUnreachableUpstreamIs502ForWhatIsNotCachedAndA404Is404() {
        upstream.put("here.txt", "h");
        assertThat(admin().get(at("missing.txt")).errorCode()).isEqualTo("not_found");
        upstream.force(503);
        Http.Response r = admin().get(at("here.txt"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.errorCode()).isEqualTo("upstream_unavailable");
        upstream.close();
        assertThat(admin().get(at("here.txt")).status()).isEqualTo(502);
        assertThat(admin().head(at("here.txt")).status()).isEqualTo(502);
    }

    @Test
    void aChecksumMismatchIs502AndNothingIsCached() {
        upstream.put(JAR, "jar").put(JAR + ".sha1", Digests.hex("SHA-1", new byte[] {7}));
        Http.Response r = admin().get(at(JAR));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.errorCode()).isEqualTo("upstream_checksum_mismatch");
        assertThat(admin().get("/api/storage/" + repo + "/" + JAR).status()).isEqualTo(404);
    }

    @Test
    void staleMetadataIsServedWithAWarningWhileTheUpstreamIsDown() {
        upstream.put(META, "<metadata/>");
        assertThat(admin().get(at(META)).header("Warning")).isNull();
        clock.advance(Duration.ofSeconds(601));
        upstream.force(500);
        Http.Response stale = admin().get(at(META));
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo("<metadata/>");
        assertThat(stale.header("Warning")).isEqualTo("110 - \"Response is Stale\"");
    }

    @Test
    void aLargeFileIsStreamedWhileItIsCachedAndThenServedFromTheCache() {
        byte[] big = Bytes.random(22, 20 * 1024 * 1024);
        upstream.putWithSha1("big/1.0/big-1.0.zip", big);
        Http.Response first = admin().get(at("big/1.0/big-1.0.zip"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Content-Length")).isEqualTo(String.valueOf(big.length));
        assertThat(first.bytes()).isEqualTo(big);
        Http.Response cached = admin().get(at("big/1.0/big-1.0.zip"));
        assertThat(cached.bytes()).isEqualTo(big);
        assertThat(cached.header("ETag")).isEqualTo("\"" + Digests.sha256(big) + "\"");
        assertThat(upstream.gets("big/1.0/big-1.0.zip")).isEqualTo(1);
    }

    @Test
    void aLargeFileThatTurnsOutWrongIsCutOffBeforeItsEndAndNotCached() {
        byte[] big = Bytes.random(23, 20 * 1024 * 1024);
        upstream.put("big/bad.zip", big).put("big/bad.zip.sha1", Digests.hex("SHA-1", new byte[] {1}));
        RawHttp.Reply r = RawHttp.send(
                server,
                "GET",
                at("big/bad.zip"),
                "Authorization: " + Http.basicAuthorization("admin", TestServer.ADMIN_PASSWORD));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-length")).isEqualTo(String.valueOf(big.length));
        assertThat(r.body().length).as("bytes before the cut").isLessThan(big.length);
        assertThat(admin().get("/api/storage/" + repo + "/big/bad.zip").status())
                .isEqualTo(404);
    }

    @Test
    void headFetchesAndAnswersTheHeadersWithoutABody() {
        byte[] jar = Bytes.random(24, 1234);
        upstream.putWithSha1(JAR, jar);
        Http.Response head = admin().head(at(JAR));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("1234");
        assertThat(head.header("X-Checksum-Sha256")).isEqualTo(Digests.sha256(jar));
        assertThat(head.bytes()).isEmpty();
        assertThat(admin().get(at(JAR)).bytes()).isEqualTo(jar);
        assertThat(upstream.gets(JAR)).isEqualTo(1);
    }

    @Test
    void rangesAreAnsweredFromTheCacheBeforeAndAfterTheFetch() {
        byte[] big = Bytes.random(25, 6 * 1024 * 1024);
        upstream.putWithSha1("r/big.bin", big);
        Http.Response first = admin().header("Range", "bytes=10-19").get(at("r/big.bin"));
        assertThat(first.status()).isEqualTo(206);
        assertThat(first.bytes()).isEqualTo(java.util.Arrays.copyOfRange(big, 10, 20));
        Http.Response cached = admin().header("Range", "bytes=-5").get(at("r/big.bin"));
        assertThat(cached.status()).isEqualTo(206);
        assertThat(cached.bytes()).isEqualTo(java.util.Arrays.copyOfRange(big, big.length - 5, big.length));
        assertThat(upstream.gets("r/big.bin")).isEqualTo(1);
    }

    @Test
    void deploysAre405AndDeletesWorkOnTheCache() {
        Http.Response put = admin().put(at("x/new.jar"), "new");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.errorCode()).isEqualTo("method_not_allowed");
        assertThat(put.json().path("error").path("message").asText()).contains("remote repository");
        assertThat(put.header("Allow")).isEqualTo("GET, HEAD, DELETE");

        upstream.put("x/a.txt", "one");
        admin().get(at("x/a.txt"));
        upstream.put("x/a.txt", "two");
        assertThat(admin().delete(at("x")).status()).isEqualTo(204);
        assertThat(admin().get(at("x/a.txt")).body()).isEqualTo("two");
        assertThat(upstream.gets("x/a.txt")).isEqualTo(2);

        // a remembered 404 goes with a delete too
        assertThat(admin().get(at("y/late.txt")).status()).isEqualTo(404);
        upstream.put("y/late.txt", "late");
        assertThat(admin().get(at("y/late.txt")).status()).isEqualTo(404);
        assertThat(admin().delete(at("y/late.txt")).status()).isEqualTo(404);
        assertThat(admin().get(at("y/late.txt")).body()).isEqualTo("late");
    }

    @Test
    void concurrentFirstRequestsForOneFileAreOneUpstreamGet() throws Exception {
        int n = 5;
        byte[] jar = Bytes.random(26, 200_000);
        upstream.putWithSha1(JAR, jar);
        UpstreamServer.Gate gate = upstream.gate(JAR, 1);
        CountDownLatch waiting = new CountDownLatch(n - 1);
        server.coffer().remote().onWait(waiting::countDown);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Http.Response>> gets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                gets.add(pool.submit(() -> admin().get(at(JAR))));
            }
            assertThat(gate.arrived().await(30, TimeUnit.SECONDS))
                    .as("the first GET upstream")
                    .isTrue();
            assertThat(waiting.await(30, TimeUnit.SECONDS))
                    .as("the others wait for it")
                    .isTrue();
            gate.open().countDown();
            for (Future<Http.Response> f : gets) {
                Http.Response r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bytes()).isEqualTo(jar);
            }
        } finally {
            server.coffer().remote().onWait(() -> {});
            pool.shutdownNow();
        }
        assertThat(upstream.gets(JAR)).isEqualTo(1);
    }

    @Test
    void aCachedFolderIsListedAndTheRootToo() {
        upstream.put("f/one.txt", "1");
        admin().get(at("f/one.txt"));
        Http.Response listing = admin().get(at("f"));
        assertThat(listing.status()).isEqualTo(200);
        assertThat(listing.json().path("children").get(0).path("name").asText()).isEqualTo("one.txt");
        assertThat(admin().get(at("")).status()).isEqualTo(200);
        assertThat(upstream.gets("f")).isZero();
        assertThat(new String(admin().get(at("f/one.txt")).bytes(), StandardCharsets.UTF_8))
                .isEqualTo("1");
    }
}
