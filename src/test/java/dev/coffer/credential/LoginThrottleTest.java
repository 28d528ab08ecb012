package dev.coffer.credential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.Clock;
import dev.coffer.common.Invalidation;
import dev.coffer.persistence.Database;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcLockoutStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API.md §4 rule 6, with a clock the test moves, on the real (SQLite) lockout store. */
class LoginThrottleTest {
    private static final String ADDR = "10.0.0.1";
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final Clock clock = now::get;

    @TempDir
    Path dir;
    private Database db;

    private LockoutStore store() {
        if (db == null) {
            db = Database.sqlite(dir.resolve("coffer.db"));
        }
        return new JdbcLockoutStore(new Jdbc(db.dataSource()));
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    private LoginThrottle throttle(int limit) {
        return new LoginThrottle(limit, limit, WINDOW, clock, store(), new Invalidation());
    }

    /** Two nodes on one database whose invalidation events reach each other. */
    private LoginThrottle[] cluster(int limit) {
        Invalidation a = new Invalidation();
        Invalidation b = new Invalidation();
        a.forwardTo(b::receive);
        b.forwardTo(a::receive);
        return new LoginThrottle[] {new LoginThrottle(limit, limit, WINDOW, clock, store(), a),
                new LoginThrottle(limit, limit, WINDOW, clock, store(), b)};
    }

    @Test
    void failuresOnTwoNodesAddUpAndTheLockHoldsOnBoth() {
        LoginThrottle[] n = cluster(3);
        assertThat(n[0].failed("alice", ADDR)).isFalse();
        assertThat(n[1].failed("alice", "10.0.0.2")).isFalse();
        assertThat(n[1].failed("alice", "10.0.0.3")).isTrue();
        assertThat(n[0].lockedFor("alice", "10.9.9.9")).isPresent();
        assertThat(n[1].lockedFor("alice", "10.9.9.9")).isPresent();
        assertThat(n[0].lockedFor("bob", "10.9.9.9")).isEmpty();
    }

    @Test
    void aSuccessOnOneNodeClearsFailuresCountedOnAnother() {
        LoginThrottle[] n = cluster(3);
        n[0].failed("alice", ADDR);
        n[0].failed("alice", ADDR);
        n[1].succeeded("alice");
        assertThat(n[0].failed("alice", ADDR)).isFalse();
        assertThat(n[1].failed("alice", ADDR)).isFalse();
        assertThat(n[0].failed("alice", ADDR)).isTrue();
    }

    @Test
    void aNodeThatMissedTheEventsSeesTheLockAfterAResync() {
        LoginThrottle a = throttle(3);
        Invalidation deaf = new Invalidation();
        LoginThrottle b = new LoginThrottle(3, 3, WINDOW, clock, store(), deaf);
        for (int i = 0; i < 3; i++) {
            a.failed("alice", ADDR);
        }
        assertThat(b.lockedFor("alice", ADDR)).isEmpty();
        deaf.receive(new Invalidation.Everything());
        assertThat(b.lockedFor("alice", ADDR)).isPresent();
        // and a node that starts later reads the lock at once
        assertThat(throttle(3).lockedFor("alice", ADDR)).isPresent();
    }

    private void advance(Duration d) {
        now.addAndGet(d.toMillis());
    }

    @Test
    void notLockedAtFirst() {
        LoginThrottle t = throttle(3);
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
    }

    @Test
    void nFailuresLockTheUsername() {
        LoginThrottle t = throttle(3);
        assertThat(t.failed("alice", ADDR)).isFalse();
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(t.failed("alice", ADDR)).isFalse();
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(t.failed("alice", ADDR)).isTrue();
        assertThat(t.lockedFor("alice", ADDR)).isPresent();
        // from any address: the lock is on the username
        assertThat(t.lockedFor("alice", "10.9.9.9")).isPresent();
    }

    @Test
    void defaultTenFailures() {
        LoginThrottle t = throttle(10);
        for (int i = 0; i < 9; i++) {
            assertThat(t.failed("alice", ADDR)).isFalse();
        }
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(t.failed("alice", ADDR)).isTrue();
        assertThat(t.lockedFor("alice", ADDR)).isPresent();
    }

    @Test
    void retryAfterIsTheRemainingLockInWholeSecondsRoundedUp() {
        LoginThrottle t = throttle(3);
        for (int i = 0; i < 3; i++) {
            t.failed("alice", ADDR);
        }
        assertThat(t.lockedFor("alice", ADDR).getAsLong()).isEqualTo(WINDOW.toSeconds());
        advance(Duration.ofSeconds(100));
        assertThat(t.lockedFor("alice", ADDR).getAsLong()).isEqualTo(WINDOW.toSeconds() - 100);
        advance(Duration.ofMillis(WINDOW.toMillis() - 100_000 - 500));
        assertThat(t.lockedFor("alice", ADDR).getAsLong()).isEqualTo(1);
        advance(Duration.ofMillis(499));
        assertThat(t.lockedFor("alice", ADDR).getAsLong()).isEqualTo(1);
        advance(Duration.ofMillis(1));
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
    }

    @Test
    void unlocksAfterTheWindowAndCountsAfresh() {
        LoginThrottle t = throttle(3);
        for (int i = 0; i < 3; i++) {
            t.failed("alice", ADDR);
        }
        advance(WINDOW.plusSeconds(1));
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(t.failed("alice", ADDR)).isFalse();
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        LoginThrottle t = throttle(3);
        t.failed("alice", ADDR);
        t.failed("alice", ADDR);
        advance(WINDOW.plusMillis(1));
        assertThat(t.failed("alice", ADDR)).isFalse();
        assertThat(t.failed("alice", ADDR)).isFalse();
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(t.failed("alice", ADDR)).isTrue();
    }

    @Test
    void successResetsTheCount() {
        LoginThrottle t = throttle(3);
        t.failed("alice", ADDR);
        t.failed("alice", ADDR);
        t.succeeded("alice");
        assertThat(t.failed("alice", ADDR)).isFalse();
        assertThat(t.failed("alice", ADDR)).isFalse();
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(t.failed("alice", ADDR)).isTrue();
    }

    @Test
    void locksArePerUsername() {
        LoginThrottle t = throttle(3);
        for (int i = 0; i < 3; i++) {
            t.failed("alice", "10.0.0." + i);
        }
        assertThat(t.lockedFor("alice", "10.0.0.7")).isPresent();
        assertThat(t.lockedFor("bob", "10.0.0.7")).isEmpty();
        assertThat(t.lockedFor("alicex", "10.0.0.7")).isEmpty();
        assertThat(t.lockedFor("Alice", "10.0.0.7")).isEmpty();
        // bob's own failures count separately
        assertThat(t.failed("bob", "10.0.0.8")).isFalse();
        assertThat(t.lockedFor("bob", "10.0.0.8")).isEmpty();
    }

    @Test
    void anAddressLocksAfterLimitDistinctUsernames() {
        LoginThrottle t = throttle(3);
        t.failed("u1", ADDR);
        t.failed("u2", ADDR);
        assertThat(t.lockedFor("someone", ADDR)).isEmpty();
        t.failed("u3", ADDR);
        assertThat(t.lockedFor("someone", ADDR)).isPresent();
        assertThat(t.lockedFor("someone", ADDR).getAsLong()).isEqualTo(WINDOW.toSeconds());
        // another address is not affected, nor are the usernames (each failed once)
        assertThat(t.lockedFor("someone", "10.0.0.2")).isEmpty();
        assertThat(t.lockedFor("u1", "10.0.0.2")).isEmpty();
        advance(WINDOW);
        assertThat(t.lockedFor("someone", ADDR)).isEmpty();
    }

    @Test
    void manyFailuresOfOneUsernameDoNotLockTheAddress() {
        LoginThrottle t = throttle(3);
        for (int i = 0; i < 20; i++) {
            t.failed("alice", ADDR);
        }
        assertThat(t.lockedFor("alice", ADDR)).isPresent();
        assertThat(t.lockedFor("bob", ADDR)).isEmpty();
        assertThat(t.lockedFor("carol", ADDR)).isEmpty();
    }

    @Test
    void distinctUsernamesOutsideTheWindowDoNotCount() {
        LoginThrottle t = throttle(3);
        t.failed("u1", ADDR);
        t.failed("u2", ADDR);
        advance(WINDOW.plusMillis(1));
        t.failed("u3", ADDR);
        assertThat(t.lockedFor("someone", ADDR)).isEmpty();
    }

    @Test
    void successDoesNotClearAnExistingLock() {
        LoginThrottle t = throttle(3);
        for (int i = 0; i < 3; i++) {
            t.failed("alice", ADDR);
        }
        t.succeeded("alice");
        assertThat(t.lockedFor("alice", ADDR)).isPresent();
    }
}
