package dev.coffer.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.bootstrap.Coffer;
import dev.coffer.common.MemoryOnly;
import dev.coffer.config.Settings;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verified-password cache, and one Argon2 verification per pair however many ask at once. */
class PasswordAuthenticatorTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path data;

    private Coffer.Services services;
    private final AtomicInteger checks = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private PasswordAuthenticator passwords;

    @BeforeEach
    void setUp() {
        services = Coffer.services(Settings.load(Map.of("data", data.toString()), Map.of(), null));
        UserService users = services.users();
        users.put("ci", new UserService.UserChange(PASSWORD, null, false, null, false));
        // the real Argon2 check, held until the test lets it finish
        passwords = new PasswordAuthenticator(users, services.invalidation(), Duration.ofMinutes(5), (user, pw) -> {
            checks.incrementAndGet();
            await(release);
            return users.verifyPassword(user, pw);
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        services.database().close();
    }

    @Test
    void concurrentRequestsWithTheSamePasswordShareOneVerification() throws Exception {
        List<Optional<User>> results = runConcurrently(8, i -> passwords.verify("ci", PASSWORD));

        assertThat(checks).hasValue(1);
        assertThat(results).hasSize(8).allSatisfy(r -> assertThat(r).map(User::username).contains("ci"));
        // and it is remembered: the next one checks nothing
        assertThat(passwords.verify("ci", PASSWORD)).isPresent();
        assertThat(checks).hasValue(1);
    }

    @Test
    void concurrentRequestsWithTheSameWrongPasswordShareOneFailedVerification() throws Exception {
        List<Optional<User>> results = runConcurrently(8, i -> passwords.verify("ci", "wrong"));

        assertThat(checks).hasValue(1);
        assertThat(results).hasSize(8).allSatisfy(r -> assertThat(r).isEmpty());
        // a failure is not remembered
        assertThat(passwords.verify("ci", "wrong")).isEmpty();
        assertThat(checks).hasValue(2);
    }

    @Test
    void differentPasswordsAreVerifiedSeparately() throws Exception {
        List<Optional<User>> results = runConcurrently(2, i -> passwords.verify("ci", i == 0 ? PASSWORD : "wrong"));

        assertThat(checks).hasValue(2);
        assertThat(results).hasSize(2);
        assertThat(results.stream().filter(Optional::isPresent)).hasSize(1);
    }

    @Test
    void whereNothingMayWaitAVerificationIsNeitherRunNorJoined() throws Exception {
        Thread first = new Thread(() -> passwords.verify("ci", PASSWORD));
        first.start();
        waitUntil(() -> checks.get() == 1 && first.getState() == Thread.State.WAITING);

        assertThatThrownBy(() -> MemoryOnly.call(() -> passwords.verify("ci", PASSWORD)))
                .isInstanceOf(MemoryOnly.WouldWait.class);
        assertThatThrownBy(() -> MemoryOnly.call(() -> passwords.verify("ci", "another")))
                .isInstanceOf(MemoryOnly.WouldWait.class);
        assertThat(checks).hasValue(1);

        release.countDown();
        first.join(60_000);
        assertThat(MemoryOnly.call(() -> passwords.verify("ci", PASSWORD))).isPresent();
    }

    @FunctionalInterface
    private interface Attempt {
        Optional<User> run(int i);
    }

    /** Starts {@code n} attempts, waits until all are parked (one hashing, the rest joined), then lets the hash finish. */
    private List<Optional<User>> runConcurrently(int n, Attempt attempt) throws Exception {
        ConcurrentLinkedQueue<Optional<User>> results = new ConcurrentLinkedQueue<>();
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
