package dev.coffer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Digests;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
    private static TestServer server;
    private static Http admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        admin.putJson("/api/repositories/libs", "{}");
        admin.putJson("/api/users/alice", "{\"password\":\"alice-pw\"}");
        admin.putJson(
                "/api/permissions/alice-libs",
                "{\"repositories\":[\"libs\"],\"users\":{\"alice\":[\"r\",\"w\",\"d\"]}}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Many writers, one path: exactly one version wins, whole, and its metadata is its own. */
    @Test
    void concurrentPutsToOnePathLeaveExactlyOneOfThem() throws Exception {
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        Set<String> shas = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            byte[] body = new byte[50_000 + i * 10_000];
            new java.util.Random(i).nextBytes(body);
            shas.add(Digests.sha256(body));
            results.add(pool.submit(() -> {
                go.await();
                return admin.put("/repository/libs/contended.bin", body).status();
            }));
        }
        go.countDown();
        for (Future<Integer> f : results) {
            assertThat(f.get(60, TimeUnit.SECONDS)).isIn(200, 201);
        }
        pool.shutdown();
        Http.Response r = admin.get("/repository/libs/contended.bin");
        String got = Digests.sha256(r.bytes());
        assertThat(shas).contains(got);
        assertThat(r.header("X-Checksum-Sha256")).isEqualTo(got);
        assertThat(Long.parseLong(r.header("Content-Length"))).isEqualTo(r.bytes().length);
        assertThat(admin.get("/api/storage/libs/contended.bin")
                        .json()
                        .path("size")
                        .asLong())
                .isEqualTo(r.bytes().length);
        assertThat(results.stream()
                        .filter(f -> {
                            try {
                                return f.get() == 201;
                            } catch (Exception e) {
                                return false;
                            }
                        })
                        .count())
                .as("exactly one upload created the file")
                .isEqualTo(1);
    }

    /** A use that starts after the revoke returned is refused, for every kind of revocable secret. */
    @RepeatedTest(3)
    void noUseSucceedsAfterItsRevokeReturned() throws Exception {
        Http alice = server.anonymous().basic("alice", "alice-pw");
        String key = alice.post("/api/access-keys", "{}").json().path("key").asText();
        String keyId = alice.get("/api/access-keys").json().get(0).path("id").asText();
        for (var k : alice.get("/api/access-keys").json()) {
            if (!k.path("id").asText().equals(keyId)) {
                alice.delete("/api/access-keys/" + k.path("id").asText());
            }
        }
        String token = alice.header("Content-Type", "application/x-www-form-urlencoded")
                .post("/access/api/v1/tokens", "scope=applied-permissions/user")
                .json()
                .path("access_token")
                .asText();
        String tokenId =
                alice.bearer(token).get("/api/me").json().path("credentialId").asText();

        race(server.anonymous().header("X-Auth-AccessKey", key), () -> alice.delete("/api/access-keys/" + keyId));
        race(server.anonymous().bearer(token), () -> alice.delete("/access/api/v1/tokens/" + tokenId));
    }

    private static void race(Http user, Runnable revoke) throws Exception {
        AtomicLong revokedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean stop = new AtomicBoolean();
        List<String> violations = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> users = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            users.add(pool.submit(() -> {
                while (!stop.get()) {
                    long started = System.nanoTime();
                    int status = user.get("/api/me").status();
                    if (status == 200 && started > revokedAt.get()) {
                        synchronized (violations) {
                            violations.add(
                                    "200 for a request started " + (started - revokedAt.get()) + " ns after revoke");
                        }
                    }
                }
                return null;
            }));
        }
        Thread.sleep(150);
        revoke.run();
        revokedAt.set(System.nanoTime());
        Thread.sleep(300);
        stop.set(true);
        for (Future<?> f : users) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(violations).isEmpty();
        assertThat(user.get("/api/me").status()).isEqualTo(401);
    }
}
