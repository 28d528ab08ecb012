package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Bytes;
import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the middle of many concurrent uploads, several rounds: after each restart every path
 * holds a complete version that some client sent (and an acknowledged path is never empty),
 * metadata and blobs agree, and unreferenced blobs are collected.
 */
class CrashSafetyIT {
    private static final String PW = "crash-pw";
    private static final int PATHS = 8;
    private static final int ROUNDS = 3;

    @Test
    void killedMidUploadNeverLeavesAPartialFile(@TempDir Path data) throws Exception {
        Map<String, Set<String>> sent = new ConcurrentHashMap<>(); // path -> sha256 of every version sent
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // path -> sha256 of last 2xx version
        for (int round = 0; round < ROUNDS; round++) {
            CofferProcess c = CofferProcess.start(data, List.of(), Map.of("COFFER_ADMIN_PASSWORD", PW));
            try (c) {
                Http admin = new Http(c.base()).basic("admin", PW);
                admin.putJson("/api/repositories/libs", "{}");
                checkConsistent(c, admin, sent, acknowledged);
                ExecutorService pool = Executors.newFixedThreadPool(8);
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                for (int i = 0; i < 64; i++) {
                    int n = i;
                    int r = round;
                    pool.submit(() ->
                            upload(client, c.base(), "f" + (n % PATHS) + ".bin", r * 1000 + n, sent, acknowledged));
                }
                Thread.sleep(700 + round * 300L);
                c.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL mid-flight
                pool.shutdownNow();
                pool.awaitTermination(30, TimeUnit.SECONDS);
            }
        }
        CofferProcess last = CofferProcess.start(data, List.of(), Map.of());
        try (last) {
            checkConsistent(last, new Http(last.base()).basic("admin", PW), sent, acknowledged);
        }
        last.terminate(30);
        assertBlobsMatchMetadata(data);
    }

    private static void upload(
            HttpClient client,
            String base,
            String name,
            int seed,
            Map<String, Set<String>> sent,
            Map<String, String> acknowledged) {
        try {
            byte[] body = Bytes.random(seed, 200_000 + (seed % 7) * 150_000);
            String sha = Digests.sha256(body);
            sent.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(sha);
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/repository/libs/" + name))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", Http.basicAuthorization("admin", PW))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() / 100 == 2) {
                acknowledged.put(name, sha);
            }
        } catch (Exception expected) {
            // the server was killed under this request
        }
    }

    /** Every path is absent or a complete version that was sent; an acknowledged path is never absent. */
    private static void checkConsistent(
            CofferProcess c, Http admin, Map<String, Set<String>> sent, Map<String, String> acknowledged)
            throws Exception {
        for (Map.Entry<String, Set<String>> e : sent.entrySet()) {
            Http.Response r = admin.get("/repository/libs/" + e.getKey());
            if (acknowledged.containsKey(e.getKey())) {
                assertThat(r.status()).as("acknowledged " + e.getKey()).isEqualTo(200);
            }
            if (r.status() == 200) {
                String sha = Digests.sha256(r.bytes());
                assertThat(e.getValue())
                        .as("content of " + e.getKey() + " is a version that was sent")
                        .contains(sha);
                assertThat(r.header("X-Checksum-Sha256")).isEqualTo(sha);
            } else {
                assertThat(r.status()).isEqualTo(404);
            }
        }
    }

    /** After a clean start: no row without its blob, no blob without a row, nothing left in tmp/. */
    private static void assertBlobsMatchMetadata(Path data) throws Exception {
        Set<String> referenced = new HashSet<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("coffer.db"));
                ResultSet rs = db.createStatement().executeQuery("SELECT sha256 FROM files")) {
            while (rs.next()) {
                referenced.add(rs.getString(1));
            }
        }
        Set<String> stored = new HashSet<>();
        try (Stream<Path> walk = Files.walk(data.resolve("store").resolve("blobs"))) {
            walk.filter(Files::isRegularFile)
                    .forEach(p -> stored.add(p.getFileName().toString()));
        }
        assertThat(stored)
                .as("blobs on disk equal the blobs metadata refers to")
                .isEqualTo(referenced);
        try (Stream<Path> tmp = Files.list(data.resolve("store").resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
        assertThat(referenced).isNotEmpty();
    }
}
