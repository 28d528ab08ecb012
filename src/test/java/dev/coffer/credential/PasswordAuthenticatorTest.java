package dev.coffer.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.bootstrap.Coffer;
import dev.coffer.common.Clock;
import dev.coffer.common.Failure;
import dev.coffer.common.MemoryOnly;
import dev.coffer.config.Settings;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcLockoutStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verified-password cache; one Argon2 verification, and one counted attempt, per pair however
 * many ask at once; the same work for unknown and disabled users; a bound on checks at once.
 */
class PasswordAuthenticatorTest {
    private static final String PASSWORD = "correct horse battery";
    private static final String ADDR = "10.0.0.1";
    private static final int LIMIT = 3;

    @TempDir
    Path data;

    private Coffer.Services services;
    private final AtomicInteger checks = new AtomicInteger();
    private final ConcurrentLinkedQueue<User> checked = new ConcurrentLinkedQueue<>();
    /** Open unless a test holds the checks; a held check is WAITING, like one joined to another's. */
    private volatile CountDownLatch release = new CountDownLatch(0);

    private LoginThrottle throttle;
    private PasswordWorkers workers;
    private PasswordAuthenticator passwords;

    @BeforeEach
    void setUp() {
        services = Coffer.services(Settings.load(Map.of("data", data.toString()), Map.of(), null));
        users().put("ci", new UserService.UserChange(PASSWORD, null, false, null, false));
        throttle = new LoginThrottle(
                LIMIT,
                100,
                Duration.ofMinutes(5),
                Clock.SYSTEM,
                new JdbcLockoutStore(
                        new Jdbc(services.database().dataSource()),
                        services.database().dialect()),
                services.invalidation());
        passwords = authenticator(2, 64);
    }

    /** The real Argon2 check, held while a test holds {@link #release}. */
    private PasswordAuthenticator authenticator(int threads, int queue) {
        if (workers != null) {
            workers.close();
        }
        workers = new PasswordWorkers(threads, queue);
        UserService users = users();
        PasswordAuthenticator p = new PasswordAuthenticator(
                users, services.invalidation(), Duration.ofMinutes(5), throttle, workers, (user, pw) -> {
                    checks.incrementAndGet();
                    checked.add(user);
                    await(release);
                    return users.verifyPassword(user, pw);
                });
        // the decoy is made on the workers when they start: let that finish, so the bound is all the tests'
        PasswordWorkers.await(workers.submit(() -> null).orElseThrow());
        return p;
    }

    private UserService users() {
        return services.users();
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        workers.close();
        services.database().close();
    }

    private PasswordAuthenticator.Verdict verify(String user, String password) {
        return passwords.verify(user, password, ADDR);
    }

    @Test
    void concurrentRequestsWithTheSamePasswordShareOneVerification() throws Exception {
        List<PasswordAuthenticator.Verdict> results = runConcurrently(8, i -> verify("ci", PASSWORD));

        assertThat(checks).hasValue(1);
        assertThat(results)
                .hasSize(8)
                .allSatisfy(r -> assertThat(r)
                        .isInstanceOfSatisfying(
                                PasswordAuthenticator.Verified.class,
                                v -> assertThat(v.user().username()).isEqualTo("ci")));
        // and it is remembered: the next one checks nothing
        assertThat(verify("ci", PASSWORD)).isInstanceOf(PasswordAuthenticator.Verified.class);
        assertThat(checks).hasValue(1);
    }

    @Test
    void concurrentRequestsWithTheSameWrongPasswordShareOneFailedVerificationAndCountOnce() throws Exception {
        List<PasswordAuthenticator.Verdict> results = runConcurrently(8, i -> verify("ci", "wrong"));

        assertThat(checks).hasValue(1);
        assertThat(results).hasSize(8).allSatisfy(r -> assertThat(r).isInstanceOf(PasswordAuthenticator.Wrong.class));
        // a failure is not remembered, and the eight were one attempt of three allowed
        assertThat(verify("ci", "wrong")).isInstanceOf(PasswordAuthenticator.Wrong.class);
        assertThat(checks).hasValue(2);
        assertThat(throttle.lockedFor("ci", ADDR)).isEmpty();
        assertThat(verify("ci", "wrong again")).isInstanceOf(PasswordAuthenticator.Wrong.class);
        assertThat(throttle.lockedFor("ci", ADDR)).isPresent();
    }

    @Test
    void aBuildsParallelConnectionsAreOneAttemptAndNeverLockTheUserOut() throws Exception {
        // two of three failures already counted: 32 reservations would be refused, one is granted
        verify("ci", "typo-1");
        verify("ci", "typo-2");
        List<PasswordAuthenticator.Verdict> results = runConcurrently(32, i -> verify("ci", PASSWORD));

        assertThat(checks).hasValue(3);
        assertThat(results)
                .hasSize(32)
                .allSatisfy(r -> assertThat(r).isInstanceOf(PasswordAuthenticator.Verified.class));
        // and the success started the count again
        verify("ci", "typo-3");
        verify("ci", "typo-4");
        assertThat(throttle.lockedFor("ci", ADDR)).isEmpty();
    }

    @Test
    void differentPasswordsAreVerifiedSeparately() throws Exception {
        List<PasswordAuthenticator.Verdict> results =
                runConcurrently(2, i -> verify("ci", i == 0 ? PASSWORD : "wrong"));

        assertThat(checks).hasValue(2);
        assertThat(results).hasSize(2);
        assertThat(results.stream().filter(PasswordAuthenticator.Verified.class::isInstance))
                .hasSize(1);
    }

    @Test
    void anUnknownUsernameIsCheckedAgainstADecoyMadeLikeARealHashAndCounted() {
        assertThat(verify("nobody", PASSWORD)).isInstanceOf(PasswordAuthenticator.Wrong.class);

        assertThat(checks).hasValue(1);
        String decoy = checked.peek().passwordHash();
        String real = users().find("ci").orElseThrow().passwordHash();
        // $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>: the same algorithm, parameters and lengths
        String[] d = decoy.split("\\$");
        String[] r = real.split("\\$");
        assertThat(d).hasSameSizeAs(r);
        assertThat(List.of(d[1], d[2], d[3]))
                .isEqualTo(List.of(r[1], r[2], r[3]))
                .first()
                .isEqualTo("argon2id");
        assertThat(d[4]).hasSameSizeAs(r[4]).isNotEqualTo(r[4]);
        assertThat(d[5]).hasSameSizeAs(r[5]);
        // made once: the next unknown name is checked against the same decoy
        verify("nobody-else", PASSWORD);
        assertThat(checked).extracting(User::passwordHash).containsExactly(decoy, decoy);
        // and an unknown name is counted and locked like a known one
        verify("nobody", "again");
        assertThat(throttle.lockedFor("nobody", ADDR)).isEmpty();
        verify("nobody", "a third time");
        assertThat(throttle.lockedFor("nobody", ADDR)).isPresent();
    }

    @Test
    void aDisabledAccountIsCheckedLikeAnyOtherAndNeverRemembered() {
        users().put("ci", new UserService.UserChange(null, null, null, null, true));

        assertThat(verify("ci", PASSWORD)).isInstanceOf(PasswordAuthenticator.Wrong.class);
        assertThat(verify("ci", PASSWORD)).isInstanceOf(PasswordAuthenticator.Wrong.class);
        assertThat(checks).hasValue(2);
    }

    @Test
    void pastTheQueueAPasswordIsRefusedAtOnceUncountedAndUnchecked() throws Exception {
        passwords = authenticator(1, 1);
        assertThat(verify("ci", PASSWORD)).isInstanceOf(PasswordAuthenticator.Verified.class);
        release = new CountDownLatch(1);
        Thread running = new Thread(() -> verify("ci", "wrong-1"));
        running.start();
        waitUntil(() -> checks.get() == 2);
        Thread queued = new Thread(() -> verify("ci", "wrong-2"));
        queued.start();
        waitUntil(() -> queued.getState() == Thread.State.WAITING);

        for (String user : List.of("ci", "nobody")) {
            PasswordAuthenticator.Verdict busy = verify(user, "wrong-3");
            assertThat(busy).isInstanceOfSatisfying(PasswordAuthenticator.Refused.class, r -> {
                assertThat(r.failure()).isInstanceOf(Failure.Busy.class);
                assertThat(r.failure().code()).isEqualTo("password_checks_busy");
                assertThat(r.failure().message()).contains("access keys and tokens are not affected");
            });
        }
        // a remembered password needs no check, busy or not
        assertThat(verify("ci", PASSWORD)).isInstanceOf(PasswordAuthenticator.Verified.class);
        assertThat(checks).hasValue(2);

        release.countDown();
        running.join(60_000);
        queued.join(60_000);
        assertThat(checks).hasValue(3);
        // the refused ones were not attempts: the third of three is still to come
        assertThat(throttle.lockedFor("ci", ADDR)).isEmpty();
        assertThat(verify("ci", "wrong-4")).isInstanceOf(PasswordAuthenticator.Wrong.class);
        assertThat(throttle.lockedFor("ci", ADDR)).isPresent();
    }

    @Test
    void whereNothingMayWaitAVerificationIsNeitherRunNorJoined() throws Exception {
        release = new CountDownLatch(1);
        Thread first = new Thread(() -> verify("ci", PASSWORD));
        first.start();
        waitUntil(() -> checks.get() == 1 && first.getState() == Thread.State.WAITING);

        assertThatThrownBy(() -> MemoryOnly.call(() -> verify("ci", PASSWORD)))
                .isInstanceOf(MemoryOnly.WouldWait.class);
        assertThatThrownBy(() -> MemoryOnly.call(() -> verify("ci", "another")))
                .isInstanceOf(MemoryOnly.WouldWait.class);
        assertThat(checks).hasValue(1);

        release.countDown();
        first.join(60_000);
        assertThat(MemoryOnly.call(() -> verify("ci", PASSWORD))).isInstanceOf(PasswordAuthenticator.Verified.class);
    }

    @FunctionalInterface
    private interface Attempt {
        PasswordAuthenticator.Verdict run(int i);
    }

    /** Starts {@code n} attempts, waits until all are parked (one hashing, the rest joined), then lets the hash finish. */
    private List<PasswordAuthenticator.Verdict> runConcurrently(int n, Attempt attempt) throws Exception {
        release = new CountDownLatch(1);
        ConcurrentLinkedQueue<PasswordAuthenticator.Verdict> results = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            threads.add(new Thread(() -> results.add(attempt.run(k))));
        }
        threads.forEach(Thread::start);
        waitUntil(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        release.countDown();
        for (Thread t : threads) {
            t.join(60_000);
        }
        return new ArrayList<>(results);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Untimed, so a thread held here is WAITING, like one joined to another's verification. */
    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
