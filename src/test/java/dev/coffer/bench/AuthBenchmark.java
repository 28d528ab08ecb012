package dev.coffer.bench;

import dev.coffer.authz.Decision;
import dev.coffer.authz.PermissionTarget;
import dev.coffer.authz.Scope;
import dev.coffer.bootstrap.Coffer;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.Clock;
import dev.coffer.config.Settings;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Authenticator;
import dev.coffer.credential.LoginThrottle;
import dev.coffer.credential.PasswordAuthenticator;
import dev.coffer.credential.PresentedCredentials;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcCredentialStore;
import dev.coffer.persistence.JdbcLockoutStore;
import dev.coffer.repository.RepositoryService;
import dev.coffer.testing.Folders;
import dev.coffer.testing.Http;
import dev.coffer.token.Issuer;
import dev.coffer.token.KeyRequest;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import dev.coffer.token.StoredCredential;
import dev.coffer.token.TokenRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What authenticate + authorize costs per request for each credential kind, over the real
 * services on a SQLite data folder, with 10 and with 100,000 stored access tokens. Each
 * operation is what the Guard does for a GET: turn the headers into a caller, then decide READ
 * on one path. Run with {@code ./mvnw -B -Pbench test-compile exec:exec@bench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class AuthBenchmark {
    private static final String REPO = "libs";
    private static final ArtifactPath PATH = ArtifactPath.of("com/example/lib/1.0/lib-1.0.jar");
    private static final String USER = "ci";
    private static final String PASSWORD = "bench-password-1";

    /** Access tokens in the database besides the one presented (all of the same user). */
    @Param({"10", "100000"})
    public int tokens;

    private Path data;
    private Coffer.Services services;
    private Authenticator authenticator;

    private PresentedCredentials password;
    private PresentedCredentials accessKey;
    private PresentedCredentials accessToken;
    private PresentedCredentials sessionToken;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        data = Files.createTempDirectory("coffer-bench");
        Settings settings = Settings.load(Map.of("data", data.toString()), Map.of(), null);
        services = Coffer.services(settings);
        RepositoryService repositories = services.repositories();
        UserService users = services.users();
        repositories.put(REPO, new RepositoryService.Change("benchmark", false));
        User user = users.put(USER, new UserService.UserChange(PASSWORD, null, false, null, false))
                .user();
        services.permissions()
                .put(new PermissionTarget(
                        "bench-read",
                        List.of(REPO),
                        List.of("**"),
                        List.of(),
                        Map.of(USER, EnumSet.of(Action.READ)),
                        Map.of()));

        insertTokens(user.id(), tokens);
        String token = services.issuing()
                .token(new TokenRequest(Issuer.COMMAND_LINE, user.username(), null, 0L, false, "measured"))
                .secret();
        String key = services.issuing()
                .key(new KeyRequest(new Issuer.Account(user.id(), user.username(), false, true), "measured", null))
                .secret();
        String session = services.credentials().createSession(user.id()).secret();

        LoginThrottle throttle = new LoginThrottle(
                10,
                10,
                Duration.ofMinutes(5),
                Clock.SYSTEM,
                new JdbcLockoutStore(
                        new Jdbc(services.database().dataSource()),
                        services.database().dialect()),
                services.invalidation());
        PasswordAuthenticator passwords = new PasswordAuthenticator(
                services.users(),
                services.invalidation(),
                Duration.ofMinutes(5),
                throttle,
                new dev.coffer.credential.PasswordWorkers(1, 64));
        authenticator = new Authenticator(passwords, services.credentials(), users, throttle);

        password =
                new PresentedCredentials(Http.basicAuthorization(USER, PASSWORD), null, null, null, null, "127.0.0.1");
        accessKey = new PresentedCredentials(null, key, null, null, null, "127.0.0.1");
        accessToken = new PresentedCredentials("Bearer " + token, null, null, null, null, "127.0.0.1");
        sessionToken = new PresentedCredentials(null, null, session, String.valueOf(user.id()), null, "127.0.0.1");

        // every kind must really be allowed, or we would be measuring a rejection
        for (PresentedCredentials pc : List.of(password, accessKey, accessToken, sessionToken)) {
            Decision d = authorize(pc);
            if (d == null || !d.allowed()) {
                throw new IllegalStateException("benchmark set-up is wrong: " + d);
            }
        }
    }

    /** N access tokens with real secrets' hashes, in one transaction (the service inserts one by one). */
    private void insertTokens(long userId, int n) {
        Jdbc jdbc = new Jdbc(services.database().dataSource());
        JdbcCredentialStore store = new JdbcCredentialStore(jdbc);
        long now = System.currentTimeMillis();
        String scope = Scope.USER.toString();
        int batch = 10_000;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            int start = from;
            jdbc.inTransaction(() -> {
                for (int i = start; i < to; i++) {
                    String secret = Secrets.generate(SecretKind.ACCESS_TOKEN);
                    store.insert(new StoredCredential(
                            SecretKind.ACCESS_TOKEN,
                            UUID.randomUUID().toString(),
                            userId,
                            Secrets.hash(secret),
                            null,
                            scope,
                            "filler " + i,
                            "bench",
                            now,
                            null,
                            null,
                            null));
                }
                return null;
            });
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        services.credentials().close();
        services.database().close();
        Folders.delete(data);
    }

    private Decision authorize(PresentedCredentials pc) {
        AuthResult r = authenticator.authenticate(pc);
        if (r instanceof AuthResult.Accepted a) {
            return services.access().decide(a.caller(), Action.READ, REPO, PATH);
        }
        return null;
    }

    @Benchmark
    public Decision password() {
        return authorize(password);
    }

    @Benchmark
    public Decision accessKey() {
        return authorize(accessKey);
    }

    @Benchmark
    public Decision accessToken() {
        return authorize(accessToken);
    }

    @Benchmark
    public Decision sessionToken() {
        return authorize(sessionToken);
    }
}
