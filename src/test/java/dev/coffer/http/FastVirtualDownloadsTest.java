package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Bytes;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.RemoteFixtures;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.UpstreamServer;
import dev.coffer.testing.VirtualFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads through a virtual repository take the fast download path when their answer is a member's
 * file known without the router, audited under that member; a remote member's file that is not
 * cached yet is left to the router, which fetches it (the fast path never asks an upstream), and
 * a remote member's metadata is never served by the fast path. That the answers are the router's
 * is {@link FastDownloadsTest}'s comparison.
 */
class FastVirtualDownloadsTest {
    private static final String PASSWORD = "fast-virtual-password";
    private static final String JAR = "com/acme/lib/1.0/lib-1.0.jar";
    private static final String UP_JAR = "org/up/y/1.0/y-1.0.jar";
    private static final String UP_META = "org/up/y/maven-metadata.xml";

    private UpstreamServer upstream;
    private TestServer server;
    private Http dora;

    @BeforeEach
    void start() {
        upstream = UpstreamServer.start();
        server = TestServer.start(Map.of());
        VirtualFixtures.local(server, "libs", false);
        RemoteFixtures.remote(server, "central", upstream.url());
        VirtualFixtures.virtual(server, "v", false, null, "libs", "central");
        Fixtures.user(server, "dora", PASSWORD);
        for (String repo : List.of("v", "libs", "central")) {
            Fixtures.grantUser(server, "dora-" + repo, repo, "dora", "r");
        }
        String key = server.anonymous()
                .basic("dora", PASSWORD)
                .header("Content-Type", "application/json")
                .post("/api/access-keys", "{\"description\":\"fast virtual\"}")
                .json()
                .path("key")
                .asText();
        dora = server.anonymous().header("X-Auth-AccessKey", key);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aWarmReadThroughAVirtualRepositoryIsServedByTheFastPathAndAuditedUnderTheMember() throws Exception {
        Fixtures.put(server.admin(), "/repository/libs/" + JAR, "the member's jar");
        // the first read warms the caches (it may be handed to a thread that may wait)
        Http.Response first = dora.get("/repository/v/" + JAR);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        double handedOff = meter("coffer_fast_downloads_handed_off_total");
        double served = meter("coffer_fast_downloads_total");
        for (int i = 0; i < 5; i++) {
            Http.Response again = dora.get("/repository/v/" + JAR);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.body()).isEqualTo("the member's jar");
        }
        assertThat(meter("coffer_fast_downloads_total")).isEqualTo(served + 5);
        assertThat(meter("coffer_fast_downloads_handed_off_total")).isEqualTo(handedOff);

        // six reads, each audited under the member that served it, as the router's virtual read does
        List<JsonNode> reads = awaitReads(6);
        assertThat(reads).allSatisfy(e -> {
            assertThat(e.path("repo").asText()).isEqualTo("libs");
            assertThat(e.path("path").asText()).isEqualTo(JAR);
            assertThat(e.path("status").asInt()).isEqualTo(200);
        });
    }

    @Test
    void aRemoteMembersUncachedFileIsLeftToTheRouterWhichFetchesIt() {
        byte[] bytes = Bytes.pattern(1500);
        upstream.put(UP_JAR, bytes);
        upstream.put(UP_META, "<metadata><groupId>org.up</groupId><artifactId>y</artifactId></metadata>");
        double served = meter("coffer_fast_downloads_total");

        Http.Response fetched = dora.get("/repository/v/" + UP_JAR);
        assertThat(fetched.status()).as(fetched.toString()).isEqualTo(200);
        assertThat(fetched.bytes()).isEqualTo(bytes);
        assertThat(upstream.gets(UP_JAR)).isEqualTo(1);
        assertThat(meter("coffer_fast_downloads_total")).isEqualTo(served);

        // cached now: content is served as cached, by the fast path, without asking the upstream
        for (int i = 0; i < 3; i++) {
            assertThat(dora.get("/repository/v/" + UP_JAR).bytes()).isEqualTo(bytes);
        }
        assertThat(upstream.gets(UP_JAR)).isEqualTo(1);
        assertThat(meter("coffer_fast_downloads_total")).isEqualTo(served + 3);

        // metadata of a remote member, cached or not, is the router's (revalidated when due)
        for (int i = 0; i < 3; i++) {
            Http.Response meta = dora.get("/repository/v/" + UP_META);
            assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        }
        assertThat(upstream.gets(UP_META)).isEqualTo(1);
        assertThat(meter("coffer_fast_downloads_total")).isEqualTo(served + 3);
    }

    private List<JsonNode> awaitReads(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            List<JsonNode> reads = new ArrayList<>();
            for (JsonNode e : server.admin()
                    .get("/api/audit?limit=1000&username=dora")
                    .json()
                    .path("events")) {
                if (e.path("action").asText().equals("artifact.read")) {
                    reads.add(e);
                }
            }
            if (reads.size() >= n) {
                assertThat(reads).hasSize(n);
                return reads;
            }
            assertThat(System.currentTimeMillis())
                    .as("only %d of %d reads audited: %s", reads.size(), n, reads)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private double meter(String name) {
        Http.Response r = server.admin().get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(r.body());
        assertThat(m.find()).as(name).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
