package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.bootstrap.Coffer;
import dev.coffer.config.Settings;
import dev.coffer.credential.PasswordAuthenticator.PasswordCheck;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 14: a storm of wrong passwords may not take the memory or hold up keys and
 * tokens. Password checks are bounded (here 1 at a time and 2 waiting); past that a password is
 * refused at once with 503 and Retry-After, and requests with a key, a token or a remembered
 * password are answered while every check is held.
 */
class PasswordStormTest {
    private static final String ADMIN = TestServer.ADMIN_PASSWORD;
    private static final String PASSWORD = "ci-password";

    @TempDir
    Path data;

    private volatile boolean holding;
    private final AtomicInteger held = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    /** The real check, held (untimed) once the test starts holding. */
    private PasswordCheck hold(PasswordCheck real) {
        return (user, password) -> {
            if (holding) {
                held.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return real.matches(user, password);
        };
    }

    private Coffer start(UnaryOperator<PasswordCheck> seam) {
        Map<String, String> opts = new HashMap<>();
        opts.put("host", "127.0.0.1");
        opts.put("port", "0");
        opts.put("data", data.toString());
        opts.put("shutdown.grace", "2s");
        opts.put("lockout", "100000");
        opts.put("password.concurrency", "1");
        opts.put("password.queue", "2");
        if (System.getProperty(TestServer.BACKENDS_PROPERTY, "").equals("postgres-s3")) {
            TestServer.onPostgresAndS3(opts);
        }
        return Coffer.start(
                Settings.load(opts, Map.of(), null),
                Map.of("COFFER_ADMIN_PASSWORD", ADMIN),
                new PrintStream(OutputStream.nullOutputStream()),
                seam);
    }

    private static void ok(Http.Response r, int... expected) {
        assertThat(r.status())
                .as(r.toString())
                .isIn(java.util.Arrays.stream(expected).boxed().toList());
    }

    @Test
    void pastTheBoundPasswordsAre503AtOnceWhileKeysAndTokensAreServed() throws Exception {
        try (Coffer coffer = start(this::hold)) {
            Http anon = new Http("http://127.0.0.1:" + coffer.port());
            Http admin = anon.basic("admin", ADMIN);
            ok(
                    admin.putJson(
                            "/api/repositories/libs",
                            Fixtures.json(Map.of("description", "libs", "anonymousRead", false))),
                    200,
                    201);
            List<String> users = List.of("ci", "u1", "u2", "u3", "u4");
            for (String u : users) {
                ok(admin.putJson("/api/users/" + u, Fixtures.json(Map.of("password", PASSWORD))), 200, 201);
            }
            ok(
                    admin.putJson(
                            "/api/permissions/reads",
                            Fixtures.json(Map.of(
                                    "name",
                                    "reads",
                                    "repositories",
                                    List.of("libs"),
                                    "includePatterns",
                                    List.of("**"),
                                    "excludePatterns",
                                    List.of(),
                                    "users",
                                    Map.of("ci", List.of("r")),
                                    "groups",
                                    Map.of()))),
                    200,
                    201);
            ok(admin.put("/repository/libs/f.txt", "content"), 201);
            Http ci = anon.basic("ci", PASSWORD);
            Http.Response key = ci.header("Content-Type", "application/json").post("/api/access-keys", "{}");
            ok(key, 201);
            Http.Response token = ci.header("Content-Type", "application/x-www-form-urlencoded")
                    .post("/access/api/v1/tokens", "description=t");
            ok(token, 200);
            Http withKey = anon.header("X-Auth-AccessKey", key.json().get("key").asText());
            Http withToken = anon.bearer(token.json().get("access_token").asText());

            holding = true;
            int storm = 12;
            CountDownLatch refused = new CountDownLatch(storm - 3);
            ExecutorService pool = Executors.newFixedThreadPool(storm + 16);
            try {
                List<CompletableFuture<Http.Response>> guesses = new ArrayList<>();
                for (int i = 0; i < storm; i++) {
                    String user = users.get(1 + i % 4);
                    Http guess = anon.basic(user, "wrong-" + i);
                    CompletableFuture<Http.Response> f =
                            CompletableFuture.supplyAsync(() -> guess.get("/repository/libs/f.txt"), pool);
                    // counted once f itself is done (a whenComplete stage completes only after its callback)
                    f.whenComplete((r, e) -> refused.countDown());
                    guesses.add(f);
                }
                // one check runs (held), two wait; the nine others are answered without waiting for them
                assertThat(refused.await(60, TimeUnit.SECONDS))
                        .as("nine answered while the checks are held")
                        .isTrue();
                assertThat(guesses.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join))
                        .hasSize(storm - 3)
                        .allSatisfy(r -> {
                            assertThat(r.status()).as(r.toString()).isEqualTo(503);
                            assertThat(r.errorCode()).isEqualTo("password_checks_busy");
                            assertThat(r.json().path("error").path("message").asText())
                                    .contains("access keys and tokens are not affected");
                            assertThat(r.header("Retry-After")).isEqualTo("1");
                        });

                // while the checks are held: keys, tokens and a remembered password are all served
                List<CompletableFuture<Http.Response>> served = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    Http h = i % 4 == 0 ? withToken : i % 4 == 1 ? ci : withKey;
                    served.add(CompletableFuture.supplyAsync(() -> h.get("/repository/libs/f.txt"), pool));
                }
                for (CompletableFuture<Http.Response> f : served) {
                    Http.Response r = f.get(60, TimeUnit.SECONDS);
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo("content");
                }
                assertThat(held).as("checks entered (and still held)").hasValue(1);
                assertThat(guesses.stream().filter(f -> !f.isDone()))
                        .as("the three admitted guesses")
                        .hasSize(3);

                release.countDown();
                for (CompletableFuture<Http.Response> f : guesses) {
                    Http.Response r = f.get(60, TimeUnit.SECONDS);
                    assertThat(r.status()).as(r.toString()).isIn(401, 503);
                }
                assertThat(guesses.stream().map(CompletableFuture::join).filter(r -> r.status() == 401))
                        .hasSize(3);
                assertThat(held).hasValue(3);
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }
}
