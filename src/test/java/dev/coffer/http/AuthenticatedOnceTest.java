package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.bootstrap.Coffer;
import dev.coffer.config.Settings;
import dev.coffer.credential.PasswordAuthenticator.PasswordCheck;
import dev.coffer.testing.Bytes;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication has side effects (a failed password counts towards the lockout, a key records its
 * last use), so a request is authenticated once, wherever it is admitted: by the fast path alone,
 * by the fast path and then the router (a file too large for it, a folder, a refusal it leaves to
 * the router), after a hand-off to a thread that may wait (a password not yet remembered), or by
 * the router alone (HEAD, other routes). Counted here at the slow password check itself, which
 * every wrong password and every password not yet remembered reaches.
 */
class AuthenticatedOnceTest {
    private static final String ADMIN = TestServer.ADMIN_PASSWORD;

    @TempDir
    Path data;

    private final Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();

    private PasswordCheck counting(PasswordCheck real) {
        return (user, password) -> {
            checks.computeIfAbsent(user.username(), u -> new AtomicInteger()).incrementAndGet();
            return real.matches(user, password);
        };
    }

    private int checks(String user) {
        return checks.getOrDefault(user, new AtomicInteger()).get();
    }

    private Coffer start() {
        Map<String, String> opts = new HashMap<>();
        opts.put("host", "127.0.0.1");
        opts.put("port", "0");
        opts.put("data", data.toString());
        opts.put("shutdown.grace", "2s");
        opts.put("lockout", "100000");
        opts.put("fast.downloads", "true");
        if (System.getProperty(TestServer.BACKENDS_PROPERTY, "").equals("postgres-s3")) {
            TestServer.onPostgresAndS3(opts);
        }
        return Coffer.start(
                Settings.load(opts, Map.of(), null),
                Map.of("COFFER_ADMIN_PASSWORD", ADMIN),
                new PrintStream(OutputStream.nullOutputStream()),
                this::counting);
    }

    private record Probe(String method, String path, int granted) {}

    private static final List<Probe> PROBES = List.of(
            new Probe("GET", "/repository/libs/small.txt", 200), // the fast path serves it
            new Probe("GET", "/repository/libs/big.bin", 200), // the fast path admits, the router serves
            new Probe("GET", "/repository/libs/missing.txt", 404),
            new Probe("GET", "/repository/libs/dir/", 200),
            new Probe("GET", "/repository/libs/", 200),
            new Probe("HEAD", "/repository/libs/small.txt", 200), // the router alone
            new Probe("GET", "/api/storage/libs/small.txt", 200),
            new Probe("GET", "/api/me", 200));

    @Test
    void eachRequestChecksItsPasswordOnce() {
        try (Coffer coffer = start()) {
            Http anon = new Http("http://127.0.0.1:" + coffer.port());
            Http admin = anon.basic("admin", ADMIN);
            assertThat(admin.putJson("/api/repositories/libs", "{}").status()).isIn(200, 201);
            assertThat(admin.put("/repository/libs/small.txt", "small").status())
                    .isEqualTo(201);
            assertThat(admin.put("/repository/libs/big.bin", Bytes.pattern(200_000))
                            .status())
                    .isEqualTo(201);
            assertThat(admin.put("/repository/libs/dir/f.txt", "in a folder").status())
                    .isEqualTo(201);
            for (int i = 0; i < PROBES.size(); i++) {
                Probe p = PROBES.get(i);
                String user = "once" + i;
                assertThat(admin.putJson("/api/users/" + user, "{\"password\":\"" + user + "-password\"}")
                                .status())
                        .isEqualTo(201);
                assertThat(admin.putJson(
                                        "/api/permissions/" + user,
                                        "{\"repositories\":[\"libs\"],\"users\":{\"" + user + "\":[\"r\"]}}")
                                .status())
                        .isIn(200, 201);

                Http.Response wrong = anon.basic(user, "wrong-password")
                        .send(p.method(), p.path(), java.net.http.HttpRequest.BodyPublishers.noBody());
                assertThat(wrong.status())
                        .as("%s %s with a wrong password: %s", p.method(), p.path(), wrong)
                        .isEqualTo(401);
                assertThat(checks(user))
                        .as("checks for a wrong password on %s %s", p.method(), p.path())
                        .isEqualTo(1);

                // not remembered yet: on the fast path it is handed to a thread that may hash it
                Http.Response right = anon.basic(user, user + "-password")
                        .send(p.method(), p.path(), java.net.http.HttpRequest.BodyPublishers.noBody());
                assertThat(right.status())
                        .as("%s %s: %s", p.method(), p.path(), right)
                        .isEqualTo(p.granted());
                assertThat(checks(user))
                        .as("checks for the right password on %s %s", p.method(), p.path())
                        .isEqualTo(2);
            }
        }
    }
}
