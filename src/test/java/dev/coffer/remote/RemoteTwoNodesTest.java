package dev.coffer.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.common.ArtifactPath;
import dev.coffer.testing.Bytes;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Folders;
import dev.coffer.testing.Http;
import dev.coffer.testing.PostgresServer;
import dev.coffer.testing.RemoteFixtures;
import dev.coffer.testing.S3ProxyServer;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.UpstreamServer;
import dev.coffer.testing.VirtualFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Two Coffer nodes on one PostgreSQL database and one S3 bucket reading the same uncached files of
 * a remote repository at once, directly and through a virtual repository over it (issue 18: "one
 * fetch per file per cluster is not required, but no corrupt or partial cache entry, ever"). Each
 * node fetches for itself; whatever either caches is the upstream's file exactly, and a fetch the
 * upstream breaks off leaves nothing on either node. Always on PostgreSQL + S3 (skipped where they
 * cannot be started), whatever {@code coffer.test.backends} says.
 */
class RemoteTwoNodesTest {
    private static final int CLIENTS_PER_NODE = 3;

    private static final List<TestServer> nodes = new ArrayList<>();
    private static Path shared;
    /** An admin's access key (the database is shared, so it works on both): no password hashing per read. */
    private static String key;

    private UpstreamServer upstream;
    private String repo;
    private String virtual;

    @BeforeAll
    static void startTwoNodes() throws IOException {
        PostgresServer.Db db = PostgresServer.assumeAvailable().createDatabase("tworemote");
        S3ProxyServer s3 = S3ProxyServer.assumeAvailable();
        shared = Files.createTempDirectory("coffer-two-nodes");
        Map<String, String> settings = new HashMap<>(Map.of(
                "database.url",
                db.url(),
                "database.user",
                db.user(),
                "database.password",
                db.password(),
                "storage",
                "s3",
                "s3.endpoint",
                s3.endpoint(),
                "s3.region",
                S3ProxyServer.REGION,
                "s3.bucket",
                s3.createBucket("tworemote"),
                "s3.path-style",
                "true",
                "s3.access-key",
                S3ProxyServer.ACCESS_KEY,
                "s3.secret-key",
                S3ProxyServer.SECRET_KEY));
        // every node on one database opens upstream passwords with the same key
        settings.put("secrets.key-file", shared.resolve("secrets.key").toString());
        nodes.add(TestServer.start(settings));
        nodes.add(TestServer.start(settings));
        key = Fixtures.key(nodes.get(0).admin(), Map.of("description", "two nodes"))
                .get("key")
                .asText();
    }

    private static Http client(TestServer node) {
        return node.anonymous().header("X-Auth-AccessKey", key);
    }

    @AfterAll
    static void stopNodes() {
        nodes.forEach(TestServer::close);
        if (shared != null) {
            Folders.delete(shared);
        }
    }

    @BeforeEach
    void remote() {
        upstream = UpstreamServer.start();
        repo = Fixtures.unique("central");
        RemoteFixtures.remote(nodes.get(0), repo, upstream.url());
        virtual = Fixtures.unique("group");
        VirtualFixtures.virtual(nodes.get(0), virtual, false, null, repo);
        // the other node knows the repositories too before the reads start
        for (String r : List.of(repo, virtual)) {
            Fixtures.expect(client(nodes.get(1)).get("/api/repositories/" + r), r + " on node 2", 200);
        }
    }

    @AfterEach
    void closeUpstream() {
        upstream.close();
    }

    /**
     * {@code CLIENTS_PER_NODE} GETs of {@code path} through each node at once, of the remote
     * repository and of a virtual repository over it.
     */
    private List<Future<Http.Response>> readEverywhere(ExecutorService pool, String path) {
        List<Future<Http.Response>> out = new ArrayList<>();
        for (int i = 0; i < CLIENTS_PER_NODE; i++) {
            String through = i % 2 == 0 ? repo : virtual;
            for (TestServer node : nodes) {
                out.add(pool.submit(() -> client(node).get("/repository/" + through + "/" + path)));
            }
        }
        return out;
    }

    /** What each node's store holds at {@code path}: its bytes, read back from the store. */
    private List<Optional<byte[]>> cachedEverywhere(String path) throws IOException {
        List<Optional<byte[]>> out = new ArrayList<>();
        for (TestServer node : nodes) {
            ArtifactService artifacts = node.coffer().services().artifacts();
            Optional<FileRecord> f = artifacts.reload(repo, ArtifactPath.of(path));
            if (f.isEmpty()) {
                out.add(Optional.empty());
                continue;
            }
            BlobHandle h = artifacts.open(f.get());
            try (InputStream in = h.openStream(0, h.size())) {
                byte[] bytes = in.readAllBytes();
                assertThat(f.get().size()).as("the recorded size of " + path).isEqualTo(bytes.length);
                assertThat(f.get().checksums().sha1())
                        .as("the recorded SHA-1 of " + path)
                        .isEqualTo(Digests.hex("SHA-1", bytes));
                out.add(Optional.of(bytes));
            }
        }
        return out;
    }

    @Test
    void bothNodesFetchTheSameFilesAtOnceAndWhatIsCachedIsExactlyTheUpstreamsFiles() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("com/acme/a/1.0/a-1.0.jar", Bytes.random(51, 300_000)); // stored, then served
        files.put("com/acme/b/1.0/b-1.0.jar", Bytes.random(52, 1));
        files.put("com/acme/c/1.0/c-1.0.zip", Bytes.random(53, 6 * 1024 * 1024)); // streamed while cached
        files.put("com/acme/d/1.0/d-1.0.zip", Bytes.random(54, 5 * 1024 * 1024 + 17));
        List<UpstreamServer.Gate> gates = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            upstream.putWithSha1(f.getKey(), f.getValue());
            // each node's fetch reaches the upstream before either is answered: two fetches of one file
            gates.add(upstream.gate(f.getKey(), nodes.size()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(files.size() * nodes.size() * CLIENTS_PER_NODE);
        try {
            Map<String, List<Future<Http.Response>>> reads = new LinkedHashMap<>();
            files.keySet().forEach(p -> reads.put(p, readEverywhere(pool, p)));
            for (UpstreamServer.Gate g : gates) {
                assertThat(g.arrived().await(60, TimeUnit.SECONDS))
                        .as("both nodes ask the upstream")
                        .isTrue();
            }
            gates.forEach(g -> g.open().countDown());
            for (Map.Entry<String, List<Future<Http.Response>>> e : reads.entrySet()) {
                for (Future<Http.Response> f : e.getValue()) {
                    Http.Response r = f.get(60, TimeUnit.SECONDS);
                    assertThat(r.status()).as(e.getKey() + ": " + r).isEqualTo(200);
                    assertThat(r.bytes()).as(e.getKey()).isEqualTo(files.get(e.getKey()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            assertThat(upstream.gets(f.getKey())).as(f.getKey()).isEqualTo(nodes.size());
            for (Optional<byte[]> cached : cachedEverywhere(f.getKey())) {
                assertThat(cached)
                        .as("cached " + f.getKey())
                        .hasValueSatisfying(
                                b -> assertThat(Digests.hex("SHA-1", b)).isEqualTo(Digests.hex("SHA-1", f.getValue())));
            }
            for (TestServer node : nodes) {
                JsonNode info = client(node)
                        .get("/api/storage/" + repo + "/" + f.getKey())
                        .json();
                assertThat(info.path("checksums").path("sha1").asText()).isEqualTo(Digests.hex("SHA-1", f.getValue()));
                assertThat(info.path("size").asLong()).isEqualTo(f.getValue().length);
            }
        }
    }

    @Test
    void anUpstreamThatDiesInTheMiddleOfABodyLeavesNothingCachedOnEitherNode() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("com/acme/e/1.0/e-1.0.jar", Bytes.random(55, 1024 * 1024)); // stored first
        files.put("com/acme/f/1.0/f-1.0.zip", Bytes.random(56, 8 * 1024 * 1024)); // streamed
        List<UpstreamServer.Pause> cuts = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            upstream.putWithSha1(f.getKey(), f.getValue());
            cuts.add(upstream.cutAfter(f.getKey(), f.getValue().length / 2, nodes.size()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(files.size() * nodes.size() * CLIENTS_PER_NODE);
        try {
            Map<String, List<Future<Http.Response>>> reads = new LinkedHashMap<>();
            files.keySet().forEach(p -> reads.put(p, readEverywhere(pool, p)));
            for (UpstreamServer.Pause p : cuts) {
                assertThat(p.reached().await(60, TimeUnit.SECONDS))
                        .as("both nodes are half way through the body")
                        .isTrue();
            }
            cuts.forEach(p -> p.resume().countDown());
            for (Map.Entry<String, List<Future<Http.Response>>> e : reads.entrySet()) {
                for (Future<Http.Response> f : e.getValue()) {
                    Http.Response r = failedOrCut(f);
                    if (r != null) {
                        // answered: never the whole file, never a success with other bytes
                        assertThat(r.status()).as(e.getKey() + ": " + r).isNotEqualTo(200);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (String path : files.keySet()) {
            assertThat(cachedEverywhere(path)).as(path).allMatch(Optional::isEmpty);
            for (TestServer node : nodes) {
                assertThat(client(node).get("/api/storage/" + repo + "/" + path).status())
                        .isEqualTo(404);
            }
        }

        // the upstream is whole again: the next reads fetch and cache the right bytes
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            upstream.unpause(f.getKey());
            for (TestServer node : nodes) {
                Http.Response r = client(node).get("/repository/" + repo + "/" + f.getKey());
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bytes()).isEqualTo(f.getValue());
            }
            assertThat(cachedEverywhere(f.getKey()))
                    .allMatch(c ->
                            c.isPresent() && Digests.hex("SHA-1", c.get()).equals(Digests.hex("SHA-1", f.getValue())));
        }
    }

    /** The response, or null when the connection broke off under it (a streamed body cut short). */
    private static Http.Response failedOrCut(Future<Http.Response> f) throws Exception {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }
}
