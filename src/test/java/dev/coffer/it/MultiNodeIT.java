package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Bytes;
import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Folders;
import dev.coffer.testing.Http;
import dev.coffer.testing.PostgresServer;
import dev.coffer.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Coffer processes on one PostgreSQL database and one S3 bucket, as behind a load balancer.
 * Changes made through one node are enforced by the other within one second: the resync timer is
 * set to an hour, so only the LISTEN/NOTIFY events can do it. The last test kills a node in the
 * middle of uploads and checks that the other serves everything that was acknowledged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeIT {
    private static final String PW = "multi-node-admin-pw";
    /** The deadline the issue sets for a change to reach the other node. */
    private static final long ONE_SECOND_MS = 1_000;

    private static final List<Path> dirs = new ArrayList<>();
    private static Map<String, String> env;
    private static CofferProcess a;
    private static CofferProcess b;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        PostgresServer.Db db = PostgresServer.assumeAvailable().createDatabase("multinode");
        S3ProxyServer s3 = S3ProxyServer.assumeAvailable();
        env = new HashMap<>(Map.of(
                "COFFER_DATABASE_URL",
                db.url(),
                "COFFER_DATABASE_USER",
                db.user(),
                "COFFER_DATABASE_PASSWORD",
                db.password(),
                "COFFER_STORAGE",
                "s3",
                "COFFER_S3_ENDPOINT",
                s3.endpoint(),
                "COFFER_S3_REGION",
                S3ProxyServer.REGION,
                "COFFER_S3_BUCKET",
                s3.createBucket("multinode"),
                "COFFER_S3_PATH_STYLE",
                "true",
                "COFFER_S3_ACCESS_KEY",
                S3ProxyServer.ACCESS_KEY));
        env.put("COFFER_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY);
        env.put("COFFER_ADMIN_PASSWORD", PW);
        env.put("COFFER_LOCKOUT", "3");
        env.put("COFFER_CLUSTER_RESYNC", "1h");
        a = node();
        b = node();
    }

    private static CofferProcess node() throws Exception {
        Path data = Files.createTempDirectory("coffer-node");
        dirs.add(data);
        return CofferProcess.start(data, List.of(), env);
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (CofferProcess p : new CofferProcess[] {a, b}) {
            if (p != null) {
                p.close();
            }
        }
        dirs.forEach(Folders::delete); // the nodes' data folders were left behind before
    }

    private static void ok(Http.Response r, String what) {
        assertThat(r.status()).as("%s: %s", what, r).isBetween(200, 204);
    }

    /** A repository, a user with a password, and read+write for the user on it, all through node A. */
    private static String[] repoAndUser(boolean anonymousRead) {
        String repo = Fixtures.unique("repo");
        String user = Fixtures.unique("user");
        Fixtures.repo(a, repo, anonymousRead);
        Fixtures.user(a, user, "pw-" + user);
        Fixtures.grantUser(a, repo + "-rw", repo, user, "rwd");
        return new String[] {repo, user};
    }

    /**
     * Polls the other node with {@code request} until {@code done} holds for its status; returns the
     * time it took after the change, failing when it exceeds one second.
     */
    private static long untilOnB(
            long changedAt, java.util.function.Supplier<Http.Response> request, IntPredicate done, String what)
            throws InterruptedException {
        return untilOther(changedAt, request, r -> done.test(r.status()), what);
    }

    private static long untilOther(
            long changedAt,
            java.util.function.Supplier<Http.Response> request,
            java.util.function.Predicate<Http.Response> done,
            String what)
            throws InterruptedException {
        Http.Response last = null;
        while (System.nanoTime() - changedAt < TimeUnit.SECONDS.toNanos(5)) {
            last = request.get();
            if (done.test(last)) {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changedAt);
                System.out.printf("multi-node: %s reached the other node after %d ms%n", what, ms);
                assertThat(ms)
                        .as("%s must reach the other node within one second", what)
                        .isLessThan(ONE_SECOND_MS);
                return ms;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(what + " never reached the other node; last answer " + last);
    }

    @Test
    @Order(1)
    void anUploadThroughOneNodeIsDownloadableThroughTheOther() throws Exception {
        String[] ru = repoAndUser(false);
        Http userA = new Http(a.base()).basic(ru[1], "pw-" + ru[1]);
        Http userB = new Http(b.base()).basic(ru[1], "pw-" + ru[1]);
        byte[] big = Bytes.random(7, 12 * 1024 * 1024);
        ok(userA.put("/repository/" + ru[0] + "/com/acme/big.bin", big), "upload through A");
        Http.Response got = userB.get("/repository/" + ru[0] + "/com/acme/big.bin");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.bytes()).isEqualTo(big);
        ok(userB.put("/repository/" + ru[0] + "/com/acme/small.txt", "from B"), "upload through B");
        assertThat(userA.get("/repository/" + ru[0] + "/com/acme/small.txt").body())
                .isEqualTo("from B");
        // A has the file's record cached now; B's delete reaches it like any other change
        long t = System.nanoTime();
        ok(userB.delete("/repository/" + ru[0] + "/com/acme/small.txt"), "delete through B");
        untilOnB(t, () -> userA.get("/repository/" + ru[0] + "/com/acme/small.txt"), s -> s == 404, "a delete");
        // an overwrite through A is what B serves next
        ok(userA.put("/repository/" + ru[0] + "/com/acme/big.bin", "replaced"), "overwrite through A");
        untilOther(
                System.nanoTime(),
                () -> userB.get("/repository/" + ru[0] + "/com/acme/big.bin"),
                r -> r.body().equals("replaced"),
                "an overwrite");
    }

    @Test
    @Order(2)
    void theAnonymousReadSwitchFlippedOnOneNodeHoldsOnTheOther() throws Exception {
        String[] ru = repoAndUser(false);
        ok(a.admin().put("/repository/" + ru[0] + "/pub.txt", "public now"), "upload");
        Http anonymousB = new Http(b.base());
        String url = "/repository/" + ru[0] + "/pub.txt";
        assertThat(anonymousB.get(url).status()).isEqualTo(401);
        long t = System.nanoTime();
        ok(a.admin().putJson("/api/repositories/" + ru[0], "{\"anonymousRead\":true}"), "make public");
        untilOnB(t, () -> anonymousB.get(url), s -> s == 200, "anonymousRead on");
        t = System.nanoTime();
        ok(a.admin().putJson("/api/repositories/" + ru[0], "{\"anonymousRead\":false}"), "make private");
        untilOnB(t, () -> anonymousB.get(url), s -> s == 401, "anonymousRead off");
    }

    @Test
    @Order(3)
    void aRevokedAccessKeyStopsWorkingOnTheOtherNodeWithinASecond() throws Exception {
        String[] ru = repoAndUser(false);
        ok(a.admin().put("/repository/" + ru[0] + "/a.txt", "a"), "upload");
        Http userA = new Http(a.base()).basic(ru[1], "pw-" + ru[1]);
        JsonNode created = Fixtures.key(userA, Map.of("description", "ci"));
        String key = created.get("key").asText();
        String id = created.get("id").asText();
        Http keyB = new Http(b.base()).header("X-Auth-AccessKey", key);
        assertThat(keyB.get("/repository/" + ru[0] + "/a.txt").status())
                .as("warm B's cache")
                .isEqualTo(200);
        long t = System.nanoTime();
        assertThat(userA.delete("/api/access-keys/" + id).status()).isEqualTo(204);
        untilOnB(t, () -> keyB.get("/repository/" + ru[0] + "/a.txt"), s -> s == 401, "access key revoke");
    }

    @Test
    @Order(4)
    void aRevokedAccessTokenStopsWorkingOnTheOtherNodeWithinASecond() throws Exception {
        String[] ru = repoAndUser(false);
        ok(a.admin().put("/repository/" + ru[0] + "/a.txt", "a"), "upload");
        Http userA = new Http(a.base()).basic(ru[1], "pw-" + ru[1]);
        JsonNode created = Fixtures.token(userA, "scope=" + Fixtures.enc("artifact:" + ru[0] + "/**:r"));
        String token = created.get("access_token").asText();
        String id = created.get("token_id").asText();
        Http tokenB = new Http(b.base()).bearer(token);
        assertThat(tokenB.get("/repository/" + ru[0] + "/a.txt").status()).isEqualTo(200);
        long t = System.nanoTime();
        assertThat(userA.delete("/access/api/v1/tokens/" + id).status()).isEqualTo(200);
        untilOnB(t, () -> tokenB.get("/repository/" + ru[0] + "/a.txt"), s -> s == 401, "access token revoke");
    }

    @Test
    @Order(5)
    void disablingAUserOnOneNodeStopsTheirKeyOnTheOther() throws Exception {
        String[] ru = repoAndUser(false);
        ok(a.admin().put("/repository/" + ru[0] + "/a.txt", "a"), "upload");
        String key = Fixtures.key(new Http(a.base()).basic(ru[1], "pw-" + ru[1]), Map.of("description", "ci"))
                .get("key")
                .asText();
        Http keyB = new Http(b.base()).header("X-Auth-AccessKey", key);
        Http passwordB = new Http(b.base()).basic(ru[1], "pw-" + ru[1]);
        assertThat(keyB.get("/repository/" + ru[0] + "/a.txt").status()).isEqualTo(200);
        assertThat(passwordB.get("/repository/" + ru[0] + "/a.txt").status()).isEqualTo(200);
        long t = System.nanoTime();
        ok(a.admin().putJson("/api/users/" + ru[1], Fixtures.json(Map.of("disabled", true))), "disable");
        untilOnB(t, () -> keyB.get("/repository/" + ru[0] + "/a.txt"), s -> s == 401, "user disabled (key)");
        assertThat(passwordB.get("/repository/" + ru[0] + "/a.txt").status())
                .as("and the password")
                .isEqualTo(401);
    }

    @Test
    @Order(6)
    void aRemovedPermissionIsEnforcedOnTheOtherNodeWithinASecond() throws Exception {
        String[] ru = repoAndUser(false);
        ok(a.admin().put("/repository/" + ru[0] + "/a.txt", "a"), "upload");
        Http userB = new Http(b.base()).basic(ru[1], "pw-" + ru[1]);
        assertThat(userB.get("/repository/" + ru[0] + "/a.txt").status()).isEqualTo(200);
        long t = System.nanoTime();
        ok(a.admin().delete("/api/permissions/" + ru[0] + "-rw"), "remove permission");
        untilOnB(t, () -> userB.get("/repository/" + ru[0] + "/a.txt"), s -> s == 403, "permission removed");
    }

    @Test
    @Order(7)
    void failedLoginsOnBothNodesAddUpToOneLockHonouredByBoth() throws Exception {
        String[] ru = repoAndUser(false);
        String url = "/repository/" + ru[0] + "/";
        Http wrongA = new Http(a.base()).basic(ru[1], "wrong");
        Http wrongB = new Http(b.base()).basic(ru[1], "wrong");
        assertThat(wrongA.get(url).status()).isEqualTo(401);
        assertThat(wrongB.get(url).status()).isEqualTo(401);
        long t = System.nanoTime();
        assertThat(wrongA.get(url).status())
                .as("the third failure (limit 3) locks")
                .isIn(401, 429);
        Http rightB = new Http(b.base()).basic(ru[1], "pw-" + ru[1]);
        Http rightA = new Http(a.base()).basic(ru[1], "pw-" + ru[1]);
        untilOnB(t, () -> rightB.get(url), s -> s == 429, "login lock");
        Http.Response lockedA = rightA.get(url);
        assertThat(lockedA.status()).isEqualTo(429);
        assertThat(lockedA.header("Retry-After")).isNotBlank();
    }

    @Test
    @Order(8)
    void aSessionOpenedOnOneNodeWorksOnTheOtherAndALogoutEndsItThere() throws Exception {
        String[] ru = repoAndUser(false);
        ok(a.admin().put("/repository/" + ru[0] + "/a.txt", "a"), "upload");
        JsonNode login = Fixtures.session(a, ru[1], "pw-" + ru[1]);
        String token = login.get("token").asText();
        String userId = login.get("user_id").asText();
        Http sessionB = new Http(b.base()).header("X-Auth-Token", token).header("X-Auth-UserId", userId);
        Http sessionA = new Http(a.base()).header("X-Auth-Token", token).header("X-Auth-UserId", userId);
        assertThat(sessionB.get("/repository/" + ru[0] + "/a.txt").status()).isEqualTo(200);
        assertThat(sessionA.get("/repository/" + ru[0] + "/a.txt").status())
                .as("warm A's cache")
                .isEqualTo(200);
        long t = System.nanoTime();
        assertThat(sessionB.delete("/api/tokens/" + token).status()).isEqualTo(204);
        // the logout went through B; now A is "the other node"
        untilOnB(t, () -> sessionA.get("/repository/" + ru[0] + "/a.txt"), s -> s == 401, "a logout");
    }

    @Test
    @Order(100)
    void killingANodeMidUploadLosesNothingItAcknowledged() throws Exception {
        String[] ru = repoAndUser(false);
        String pw = "pw-" + ru[1];
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // path -> sha256 of the 201'd content
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        for (int i = 0; i < 60; i++) {
            int n = i;
            pool.submit(() -> {
                byte[] body = Bytes.random(n, 100_000 + (n % 5) * 400_000);
                String path = "/repository/" + ru[0] + "/kill/f" + n + ".bin";
                try {
                    Http.Response r = new Http(a.base()).basic(ru[1], pw).put(path, body);
                    answers.merge(String.valueOf(r.status()), 1, Integer::sum);
                    if (r.status() == 201) {
                        acknowledged.put(path, Digests.sha256(body));
                    }
                } catch (RuntimeException e) {
                    // the node died under this upload: not acknowledged
                    answers.merge("no answer", 1, Integer::sum);
                }
                return null;
            });
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (acknowledged.size() < 10 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        a.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL, mid-flight
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        System.out.printf(
                "multi-node: %d uploads acknowledged before node A was killed (answers: %s)%n",
                acknowledged.size(), answers);
        assertThat(acknowledged).as("some uploads finished before the kill").isNotEmpty();

        Http userB = new Http(b.base()).basic(ru[1], pw);
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            Http.Response r = userB.get(e.getKey());
            assertThat(r.status())
                    .as("acknowledged %s through the surviving node", e.getKey())
                    .isEqualTo(200);
            assertThat(Digests.sha256(r.bytes())).isEqualTo(e.getValue());
        }
        // the surviving node keeps taking writes, and a restarted node joins again
        ok(userB.put("/repository/" + ru[0] + "/after-kill.txt", "still here"), "upload after the kill");
        a.close(); // the killed node's log folder, left behind before
        a = node();
        assertThat(new Http(a.base())
                        .basic(ru[1], pw)
                        .get("/repository/" + ru[0] + "/after-kill.txt")
                        .body())
                .isEqualTo("still here");
    }
}
