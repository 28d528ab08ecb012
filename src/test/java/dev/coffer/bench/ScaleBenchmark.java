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
import dev.coffer.identity.Group;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import dev.coffer.permission.PermissionTargetStore;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcCredentialStore;
import dev.coffer.persistence.JdbcLockoutStore;
import dev.coffer.persistence.JdbcPermissionTargetStore;
import dev.coffer.persistence.JdbcRepositoryStore;
import dev.coffer.persistence.JdbcUserStore;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import dev.coffer.testing.Folders;
import dev.coffer.token.Issuer;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import dev.coffer.token.StoredCredential;
import dev.coffer.token.TokenRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Issue 8's scale of state: authenticate + authorize (an access token reading one path) with 10,
 * 10,000 and 1,000,000 stored tokens and 10, 1,000 and 100,000 permission targets, in a JVM
 * limited to a 512 MiB heap. The per-request cost should stay flat, because a warm request
 * touches only the one cached credential and the index buckets of its own user, groups and
 * repository. After set-up each trial prints the heap in use after a full GC.
 *
 * <p>{@code ./mvnw -B -Pbench test-compile exec:exec@bench -Dbench.include=ScaleBenchmark}
 * (about 4 minutes; the stored tokens are made once per count, under target/bench-data, and
 * copied for each trial).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx512m"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class ScaleBenchmark {
    private static final String REPO = "libs";
    private static final ArtifactPath PATH = ArtifactPath.of("com/example/lib/1.0/lib-1.0.jar");
    private static final String USER = "ci";
    private static final List<String> GROUPS = List.of("group-1", "group-2", "group-3");

    @Param({"10", "10000", "1000000"})
    public int tokens;

    @Param({"10", "1000", "100000"})
    public int targets;

    private Path data;
    private Coffer.Services services;
    private Authenticator authenticator;
    private PresentedCredentials accessToken;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        data = Files.createTempDirectory("coffer-scale");
        Files.copy(storedTokens(tokens), data.resolve("coffer.db"), StandardCopyOption.REPLACE_EXISTING);
        services = Coffer.services(Settings.load(Map.of("data", data.toString()), Map.of(), null));
        User user = services.users().find(USER).orElseThrow();
        insertTargets(targets);
        services.permissions().reload();
        String token = services.issuing()
                .token(new TokenRequest(Issuer.COMMAND_LINE, user.username(), null, 0L, false, "measured"))
                .secret();
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
        authenticator = new Authenticator(passwords, services.credentials(), services.users(), throttle);
        accessToken = new PresentedCredentials("Bearer " + token, null, null, null, null, "127.0.0.1");
        Decision d = authorize();
        if (d == null || !d.allowed()) {
            throw new IllegalStateException("benchmark set-up is wrong: " + d);
        }
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(
                "%n[scale] %d tokens, %d targets: heap in use after GC %d MiB (max %d MiB)%n",
                tokens, targets, used >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }

    /** A data folder with the user, repository, groups and N filler tokens, made once per N and kept. */
    private static Path storedTokens(int n) throws IOException {
        Path dir = Path.of("target", "bench-data", "tokens-" + n);
        Path db = dir.resolve("coffer.db");
        if (Files.exists(db)) {
            return db;
        }
        Path tmp = Files.createTempDirectory("coffer-scale-template");
        Coffer.Services s = Coffer.services(Settings.load(Map.of("data", tmp.toString()), Map.of(), null));
        try {
            s.repositories().put(REPO, new RepositoryService.Change("benchmark", false));
            for (String g : GROUPS) {
                s.users().putGroup(g, "", List.of());
            }
            User user = s.users()
                    .put(USER, new UserService.UserChange("bench-password-1", null, false, GROUPS, false))
                    .user();
            Jdbc jdbc = new Jdbc(s.database().dataSource());
            JdbcCredentialStore store = new JdbcCredentialStore(jdbc);
            long now = System.currentTimeMillis();
            String scope = Scope.USER.toString();
            for (int from = 0; from < n; from += 20_000) {
                int start = from;
                int to = Math.min(n, from + 20_000);
                jdbc.inTransaction(() -> {
                    for (int i = start; i < to; i++) {
                        String secret = Secrets.generate(SecretKind.ACCESS_TOKEN);
                        store.insert(new StoredCredential(
                                SecretKind.ACCESS_TOKEN,
                                UUID.randomUUID().toString(),
                                user.id(),
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
        } finally {
            s.credentials().close();
            s.database().close();
        }
        Files.createDirectories(dir);
        Files.copy(tmp.resolve("coffer.db"), db);
        Folders.delete(tmp);
        return db;
    }

    /**
     * N targets spread over about a thousand repositories, five thousand users and three hundred
     * groups; 1 % of them are on the benchmark's repository, some naming the caller's groups.
     */
    private void insertTargets(int n) {
        Jdbc jdbc = new Jdbc(services.database().dataSource());
        JdbcPermissionTargetStore store =
                new JdbcPermissionTargetStore(jdbc, services.database().dialect());
        long now = System.currentTimeMillis();
        jdbc.inTransaction(() -> {
            // a target may name only users, groups and repositories that exist
            JdbcUserStore users = new JdbcUserStore(jdbc, store);
            JdbcRepositoryStore repos = new JdbcRepositoryStore(jdbc);
            for (int i = 0; i < Math.min(n, 5000); i++) {
                if (users.findUser("user-" + i).isEmpty()) {
                    users.insertUser(new User(0, "user-" + i, "not-a-hash", null, false, false, Set.of(), now, now));
                }
            }
            for (int i = 0; i < Math.min(n, 300); i++) {
                users.upsertGroup(new Group("group-" + i, "", now, now));
            }
            for (int i = 0; i < Math.min(n, 997); i++) {
                repos.upsert(new Repository("repo-" + i, "", false, now, now));
            }
            save(
                    store,
                    new PermissionTarget(
                            "bench-read",
                            List.of(REPO),
                            List.of("**"),
                            List.of(),
                            Map.of(USER, EnumSet.of(Action.READ)),
                            Map.of()),
                    now);
            for (int i = 0; i < n - 1; i++) {
                String repo = i % 100 == 0 ? REPO : "repo-" + (i % 997);
                save(
                        store,
                        new PermissionTarget(
                                "t-" + i,
                                List.of(repo),
                                List.of("org" + i + "/**"),
                                List.of("**/*.tmp"),
                                Map.of("user-" + (i % 5000), EnumSet.of(Action.READ, Action.WRITE)),
                                Map.of("group-" + (i % 300), EnumSet.of(Action.READ))),
                        now);
            }
            return null;
        });
    }

    private static void save(JdbcPermissionTargetStore store, PermissionTarget t, long now) {
        if (!(store.save(t, now) instanceof PermissionTargetStore.Written)) {
            throw new IllegalStateException("benchmark set-up is wrong: target " + t.name() + " refused");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        services.credentials().close();
        services.database().close();
        Folders.delete(data);
    }

    private Decision authorize() {
        AuthResult r = authenticator.authenticate(accessToken);
        if (r instanceof AuthResult.Accepted a) {
            return services.access().decide(a.caller(), Action.READ, REPO, PATH);
        }
        return null;
    }

    @Benchmark
    public Decision accessToken() {
        return authorize();
    }
}
