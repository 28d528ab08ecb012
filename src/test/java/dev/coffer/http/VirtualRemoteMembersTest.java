package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Bytes;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.MutableClock;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.RemoteFixtures;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.UpstreamServer;
import dev.coffer.testing.VirtualFixtures;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A remote member read through a virtual repository answers as a direct read of the remote does
 * (API.md §9, issue 18): a fetch is audited as the member's {@code remote.fetch}, stale metadata
 * carries its {@code Warning: 110} (a member's file and the merged maven-metadata.xml), and a large
 * uncached file goes to the client while it is cached, its last bytes held back until verified.
 */
class VirtualRemoteMembersTest {
    private static final String JAR = "com/acme/lib/1.0/lib-1.0.jar";
    private static final String META = "com/acme/lib/maven-metadata.xml";
    private static final String SNAPSHOT_POM = "com/acme/snap/1.0-SNAPSHOT/snap-1.0-SNAPSHOT.pom";
    private static final String BIG = "com/acme/big/1.0/big-1.0.zip";
    private static final String SECRET = "upstream-Secret-77";

    private static final MutableClock clock = new MutableClock();
    private static TestServer server;
    private UpstreamServer upstream;
    private String remote;
    private String virtual;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), clock);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void repositories() {
        upstream = UpstreamServer.start();
        remote = Fixtures.unique("central");
        RemoteFixtures.remote(server, remote, upstream.url(), Map.of("username", "svc", "password", SECRET));
        String local = Fixtures.unique("libs");
        VirtualFixtures.local(server, local, false);
        virtual = Fixtures.unique("group");
        VirtualFixtures.virtual(server, virtual, false, null, local, remote);
    }

    @AfterEach
    void closeUpstream() {
        upstream.close();
    }

    private String at(String path) {
        return "/repository/" + virtual + "/" + path;
    }

    /** The audit's remote.fetch events, as "repo path username". */
    private static List<String> fetches() {
        Http.Response r = server.admin().get("/api/audit?limit=1000");
        assertThat(r.body()).doesNotContain(SECRET);
        List<String> out = new ArrayList<>();
        for (JsonNode e : r.json().path("events")) {
            if (e.path("action").asText().equals("remote.fetch")) {
                out.add(e.path("repo").asText() + " " + e.path("path").asText() + " "
                        + e.path("username").asText());
            }
        }
        return out;
    }

    private static String metadata(String... versions) {
        StringBuilder sb = new StringBuilder(
                "<metadata><groupId>com.acme</groupId><artifactId>lib</artifactId>" + "<versioning><versions>");
        for (String v : versions) {
            sb.append("<version>").append(v).append("</version>");
        }
        return sb.append("</versions><lastUpdated>20240101000000</lastUpdated></versioning></metadata>")
                .toString();
    }

    @Test
    void aFileFetchedThroughTheVirtualRepositoryIsAuditedAsTheMembersFetch() {
        byte[] jar = Bytes.random(41, 5000);
        upstream.putWithSha1(JAR, jar);
        upstream.put(META, metadata("1.0"));

        assertThat(server.admin().get(at(JAR)).bytes()).isEqualTo(jar);
        assertThat(server.admin().get(at(META)).status()).isEqualTo(200);
        assertThat(fetches()).contains(remote + " " + JAR + " admin", remote + " " + META + " admin");

        int before = fetches().size();
        assertThat(server.admin().get(at(JAR)).bytes()).isEqualTo(jar); // from the cache
        assertThat(fetches()).hasSize(before);
    }

    @Test
    void anAccessCheckThatFetchesToNameTheAnsweringMemberIsAuditedAsTheFetchOfWhoeverAsked() {
        byte[] jar = Bytes.random(45, 3000);
        upstream.putWithSha1(JAR, jar);
        String reader = Fixtures.unique("reader");
        Fixtures.user(server, reader, reader + "-pass");
        Fixtures.grantUser(server, reader + "-v", virtual, reader, "r");
        Fixtures.grantUser(server, reader + "-r", remote, reader, "r");

        // an administrator asks on the reader's behalf: the reader's rights decide, the fetch is the administrator's
        Http.Response check = server.admin()
                .get("/api/access/check?repo=" + virtual + "&path=" + JAR + "&action=r&username=" + reader);
        assertThat(check.status()).as(check.toString()).isEqualTo(200);
        assertThat(check.json().path("allowed").asBoolean()).isTrue();
        assertThat(check.json().path("virtual").path("member").asText()).isEqualTo(remote);
        assertThat(upstream.gets(JAR)).isEqualTo(1);
        assertThat(fetches())
                .filteredOn(f -> f.startsWith(remote + " "))
                .containsExactly(remote + " " + JAR + " admin");

        // the reader's own check and download come from the cache: nothing more fetched or audited as fetched
        Http asReader = server.anonymous().basic(reader, reader + "-pass");
        assertThat(asReader.get("/api/access/check?repo=" + virtual + "&path=" + JAR + "&action=r")
                        .json()
                        .path("virtual")
                        .path("member")
                        .asText())
                .isEqualTo(remote);
        assertThat(asReader.get(at(JAR)).bytes()).isEqualTo(jar);
        assertThat(upstream.gets(JAR)).isEqualTo(1);
        assertThat(fetches())
                .filteredOn(f -> f.startsWith(remote + " "))
                .containsExactly(remote + " " + JAR + " admin");
    }

    @Test
    void aLargeFileStreamedThroughTheVirtualRepositoryIsAuditedAsTheMembersFetch() {
        byte[] big = Bytes.random(42, 6 * 1024 * 1024);
        upstream.putWithSha1(BIG, big);
        RawHttp.Reply r = RawHttp.send(
                server,
                "GET",
                at(BIG),
                "Authorization: " + Http.basicAuthorization("admin", TestServer.ADMIN_PASSWORD));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(big);
        assertThat(fetches()).contains(remote + " " + BIG + " admin");
    }

    @Test
    void staleMetadataOfARemoteMemberCarriesItsWarningThroughTheVirtualRepository() {
        upstream.put(SNAPSHOT_POM, "<project/>");
        upstream.put(META, metadata("1.0", "1.1"));
        Http.Response pom = server.admin().get(at(SNAPSHOT_POM));
        Http.Response meta = server.admin().get(at(META));
        assertThat(pom.body()).isEqualTo("<project/>");
        assertThat(meta.body()).contains("<version>1.1</version>");
        assertThat(pom.header("Warning")).isNull();
        assertThat(meta.header("Warning")).isNull();

        clock.advance(Duration.ofSeconds(601));
        upstream.force(500);
        Http.Response stalePom = server.admin().get(at(SNAPSHOT_POM));
        assertThat(stalePom.status()).isEqualTo(200);
        assertThat(stalePom.body()).isEqualTo("<project/>");
        assertThat(stalePom.header("Warning")).isEqualTo(RemoteContent.STALE_WARNING);
        Http.Response staleMeta = server.admin().get(at(META));
        assertThat(staleMeta.status()).isEqualTo(200);
        assertThat(staleMeta.body()).contains("<version>1.1</version>");
        assertThat(staleMeta.header("Warning")).isEqualTo(RemoteContent.STALE_WARNING);
        Http.Response staleSum = server.admin().get(at(META + ".sha1"));
        assertThat(staleSum.body()).isEqualTo(Digests.hex("SHA-1", staleMeta.bytes()));
        assertThat(staleSum.header("Warning")).isEqualTo(RemoteContent.STALE_WARNING);

        upstream.force(0); // confirmed again: no warning
        assertThat(server.admin().get(at(META)).header("Warning")).isNull();
    }

    @Test
    void aLargeUncachedFileReachesTheClientThroughTheVirtualRepositoryWhileTheUpstreamIsStillSending()
            throws Exception {
        byte[] big = Bytes.random(43, 20 * 1024 * 1024);
        upstream.putWithSha1(BIG, big);
        UpstreamServer.Pause pause = upstream.pause(BIG, 8 * 1024 * 1024);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create(server.base() + at(BIG)))
                .header("Authorization", Http.basicAuthorization("admin", TestServer.ADMIN_PASSWORD))
                .build();
        CompletableFuture<HttpResponse<InputStream>> sent =
                client.sendAsync(get, HttpResponse.BodyHandlers.ofInputStream());
        try {
            // the upstream has sent 8 MiB of 20 and waits: the client must already have its first bytes
            HttpResponse<InputStream> response = sent.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(big.length));
            byte[] first = response.body().readNBytes(1024 * 1024);
            assertThat(first).isEqualTo(Arrays.copyOf(big, first.length));
            assertThat(pause.resume().getCount())
                    .as("the upstream has not sent the rest")
                    .isEqualTo(1);
            pause.resume().countDown();
            byte[] rest = response.body().readAllBytes();
            assertThat(first.length + rest.length).isEqualTo(big.length);
            assertThat(rest).isEqualTo(Arrays.copyOfRange(big, first.length, big.length));
        } finally {
            pause.resume().countDown();
            sent.cancel(true);
        }
        Http.Response cached = server.admin().get("/repository/" + remote + "/" + BIG);
        assertThat(cached.header("X-Checksum-Sha256")).isEqualTo(Digests.sha256(big));
        assertThat(upstream.gets(BIG)).isEqualTo(1);
    }

    @Test
    void aLargeFileThatTurnsOutWrongIsCutOffBeforeItsEndThroughTheVirtualRepositoryAndNotCached() {
        byte[] big = Bytes.random(44, 20 * 1024 * 1024);
        upstream.put(BIG, big).put(BIG + ".sha1", Digests.hex("SHA-1", new byte[] {1}));
        RawHttp.Reply r = RawHttp.send(
                server,
                "GET",
                at(BIG),
                "Authorization: " + Http.basicAuthorization("admin", TestServer.ADMIN_PASSWORD));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-length")).isEqualTo(String.valueOf(big.length));
        assertThat(r.body().length).as("bytes before the cut").isLessThan(big.length);
        assertThat(server.admin().get("/api/storage/" + remote + "/" + BIG).status())
                .isEqualTo(404);
        assertThat(fetches()).noneMatch(f -> f.startsWith(remote + " "));
    }
}
