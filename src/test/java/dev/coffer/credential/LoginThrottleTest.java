package dev.coffer.credential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.Clock;
import dev.coffer.common.Invalidation;
import dev.coffer.persistence.Database;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcLockoutStore;
import dev.coffer.testing.Parallel;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API.md §4 rule 6, with a clock the test moves, on the real (SQLite) lockout store; a subclass
 * runs the same on PostgreSQL. Every attempt reserves its slot before it is checked
 * (SECURITY-CHECKLIST item 5).
 */
class LoginThrottleTest {
    private static final String ADDR = "10.0.0.1";
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final Clock clock = now::get;

    @TempDir
    Path dir;

    private final List<Database> opened = new ArrayList<>();

    /** A new connection pool on this test's database (each node of a cluster has its own). */
    protected Database openDatabase() {
        return Database.sqlite(dir.resolve("coffer.db"));
    }

    private Database database() {
        Database db = openDatabase();
        opened.add(db);
        return db;
    }

    private LockoutStore store() {
        Database db = database();
        return new JdbcLockoutStore(new Jdbc(db.dataSource()), db.dialect());
    }

    @AfterEach
    void closeDatabases() {
        opened.forEach(Database::close);
    }

    private LoginThrottle throttle(int limit) {
        return throttle(limit, limit);
    }

    private LoginThrottle throttle(int limit, int addressLimit) {
        return new LoginThrottle(limit, addressLimit, WINDOW, clock, store(), new Invalidation());
    }

    /** Two nodes on one database whose invalidation events reach each other. */
    private LoginThrottle[] cluster(int limit) {
        Invalidation a = new Invalidation();
        Invalidation b = new Invalidation();
        a.forwardTo(b::receive);
        b.forwardTo(a::receive);
        return new LoginThrottle[] {
            new LoginThrottle(limit, limit, WINDOW, clock, store(), a),
            new LoginThrottle(limit, limit, WINDOW, clock, store(), b)
        };
    }

    /** Reserves (which must be granted) and fails one attempt; true when it locked the username. */
    private static boolean fail(LoginThrottle t, String user, String address) {
        return t.failed(granted(t, user, address));
    }

    private static void succeed(LoginThrottle t, String user, String address) {
        t.succeeded(granted(t, user, address));
    }

    private static LoginThrottle.Granted granted(LoginThrottle t, String user, String address) {
        LoginThrottle.Reservation r = t.reserve(user, address);
        assertThat(r).as("reservation of %s from %s", user, address).isInstanceOf(LoginThrottle.Granted.class);
        return (LoginThrottle.Granted) r;
    }

    @Test
    void failuresOnTwoNodesAddUpAndTheLockHoldsOnBoth() {
        LoginThrottle[] n = cluster(3);
        assertThat(fail(n[0], "alice", ADDR)).isFalse();
        assertThat(fail(n[1], "alice", "10.0.0.2")).isFalse();
        assertThat(fail(n[1], "alice", "10.0.0.3")).isTrue();
        assertThat(n[0].lockedFor("alice", "10.9.9.9")).isPresent();
        assertThat(n[1].lockedFor("alice", "10.9.9.9")).isPresent();
        assertThat(n[0].lockedFor("bob", "10.9.9.9")).isEmpty();
    }

    @Test
    void aSuccessOnOneNodeClearsFailuresCountedOnAnother() {
        LoginThrottle[] n = cluster(3);
        fail(n[0], "alice", ADDR);
        fail(n[0], "alice", ADDR);
        succeed(n[1], "alice", ADDR);
        assertThat(fail(n[0], "alice", ADDR)).isFalse();
        assertThat(fail(n[1], "alice", ADDR)).isFalse();
        assertThat(fail(n[0], "alice", ADDR)).isTrue();
    }

    @Test
    void aNodeThatMissedTheEventsSeesTheLockAfterAResync() {
        LoginThrottle a = throttle(3);
        Invalidation deaf = new Invalidation();
        LoginThrottle b = new LoginThrottle(3, 3, WINDOW, clock, store(), deaf);
        for (int i = 0; i < 3; i++) {
            fail(a, "alice", ADDR);
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
        assertThat(fail(t, "alice", ADDR)).isFalse();
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(fail(t, "alice", ADDR)).isFalse();
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(fail(t, "alice", ADDR)).isTrue();
        assertThat(t.lockedFor("alice", ADDR)).isPresent();
        // from any address: the lock is on the username
        assertThat(t.lockedFor("alice", "10.9.9.9")).isPresent();
    }

    @Test
    void defaultTenFailures() {
        LoginThrottle t = throttle(10);
        for (int i = 0; i < 9; i++) {
            assertThat(fail(t, "alice", ADDR)).isFalse();
        }
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(fail(t, "alice", ADDR)).isTrue();
        assertThat(t.lockedFor("alice", ADDR)).isPresent();
    }

    @Test
    void retryAfterIsTheRemainingLockInWholeSecondsRoundedUp() {
        LoginThrottle t = throttle(3);
        for (int i = 0; i < 3; i++) {
            fail(t, "alice", ADDR);
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
            fail(t, "alice", ADDR);
        }
        advance(WINDOW.plusSeconds(1));
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(fail(t, "alice", ADDR)).isFalse();
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        LoginThrottle t = throttle(3);
        fail(t, "alice", ADDR);
        fail(t, "alice", ADDR);
        advance(WINDOW.plusMillis(1));
        assertThat(fail(t, "alice", ADDR)).isFalse();
        assertThat(fail(t, "alice", ADDR)).isFalse();
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(fail(t, "alice", ADDR)).isTrue();
    }

    @Test
    void successResetsTheCount() {
        LoginThrottle t = throttle(3);
        fail(t, "alice", ADDR);
        fail(t, "alice", ADDR);
        succeed(t, "alice", ADDR);
        assertThat(fail(t, "alice", ADDR)).isFalse();
        assertThat(fail(t, "alice", ADDR)).isFalse();
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(fail(t, "alice", ADDR)).isTrue();
    }

    @Test
    void locksArePerUsername() {
        LoginThrottle t = throttle(3);
        for (int i = 0; i < 3; i++) {
            fail(t, "alice", "10.0.0." + i);
        }
        assertThat(t.lockedFor("alice", "10.0.0.7")).isPresent();
        assertThat(t.lockedFor("bob", "10.0.0.7")).isEmpty();
        assertThat(t.lockedFor("alicex", "10.0.0.7")).isEmpty();
        assertThat(t.lockedFor("Alice", "10.0.0.7")).isEmpty();
        // bob's own failures count separately
        assertThat(fail(t, "bob", "10.0.0.8")).isFalse();
        assertThat(t.lockedFor("bob", "10.0.0.8")).isEmpty();
    }

    @Test
    void anAddressLocksAfterLimitDistinctUsernames() {
        LoginThrottle t = throttle(3);
        fail(t, "u1", ADDR);
        fail(t, "u2", ADDR);
        assertThat(t.lockedFor("someone", ADDR)).isEmpty();
        fail(t, "u3", ADDR);
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
        for (int i = 0; i < 3; i++) {
            fail(t, "alice", ADDR);
        }
        for (int i = 0; i < 17; i++) {
            assertThat(t.reserve("alice", ADDR)).isInstanceOf(LoginThrottle.Refused.class);
        }
        assertThat(t.lockedFor("alice", ADDR)).isPresent();
        assertThat(t.lockedFor("bob", ADDR)).isEmpty();
        assertThat(t.lockedFor("carol", ADDR)).isEmpty();
    }

    @Test
    void distinctUsernamesOutsideTheWindowDoNotCount() {
        LoginThrottle t = throttle(3);
        fail(t, "u1", ADDR);
        fail(t, "u2", ADDR);
        advance(WINDOW.plusMillis(1));
        fail(t, "u3", ADDR);
        assertThat(t.lockedFor("someone", ADDR)).isEmpty();
    }

    @Test
    void successDoesNotClearAnExistingLock() {
        LoginThrottle t = throttle(3);
        LoginThrottle.Granted first = granted(t, "alice", ADDR);
        fail(t, "alice", ADDR);
        assertThat(fail(t, "alice", ADDR)).isTrue();
        t.succeeded(first);
        assertThat(t.lockedFor("alice", ADDR)).isPresent();
        assertThat(t.reserve("alice", ADDR)).isInstanceOf(LoginThrottle.Refused.class);
    }

    // ---- counting before checking

    @Test
    void anAttemptCountsFromItsReservationNotFromItsOutcome() {
        LoginThrottle t = throttle(3, 100);
        List<LoginThrottle.Granted> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inFlight.add(granted(t, "alice", ADDR));
        }
        // three are being checked, none has failed yet: a fourth is refused all the same
        advance(Duration.ofSeconds(10));
        LoginThrottle.Reservation fourth = t.reserve("alice", ADDR);
        assertThat(fourth).isInstanceOf(LoginThrottle.Refused.class);
        // until the oldest of the three leaves the window
        assertThat(((LoginThrottle.Refused) fourth).retryAfterSeconds()).isEqualTo(WINDOW.toSeconds() - 10);
        assertThat(t.lockedFor("alice", ADDR)).isEmpty();
        assertThat(t.failed(inFlight.get(0))).isFalse();
        assertThat(t.failed(inFlight.get(1))).isFalse();
        assertThat(t.failed(inFlight.get(2))).isTrue();
        assertThat(t.lockedFor("alice", ADDR)).isPresent();
        // another username is not affected
        assertThat(fail(t, "bob", ADDR)).isFalse();
    }

    @Test
    void aSuccessReleasesItsSlotInTheAddressCount() {
        LoginThrottle t = throttle(100, 2);
        succeed(t, "u1", ADDR);
        fail(t, "u2", ADDR);
        // u1 logged in: the address failed on one username so far, not two
        assertThat(t.lockedFor("someone", ADDR)).isEmpty();
        fail(t, "u3", ADDR);
        assertThat(t.lockedFor("someone", ADDR)).isPresent();
    }

    @Test
    void theAddressCountIsReservedBeforeTheCheckToo() {
        LoginThrottle t = throttle(100, 2);
        LoginThrottle.Granted u1 = granted(t, "u1", ADDR);
        LoginThrottle.Granted u2 = granted(t, "u2", ADDR);
        assertThat(t.reserve("u3", ADDR)).isInstanceOf(LoginThrottle.Refused.class);
        // a username the address already tries is not another distinct one
        assertThat(t.reserve("u1", ADDR)).isInstanceOf(LoginThrottle.Granted.class);
        assertThat(t.reserve("u3", "10.0.0.2")).isInstanceOf(LoginThrottle.Granted.class);
        t.failed(u1);
        t.failed(u2);
        assertThat(t.lockedFor("u3", ADDR)).isPresent();
    }

    @Test
    void aLockThisNodeHasNotHeardOfStillRefusesTheReservation() {
        LoginThrottle a = throttle(3);
        LoginThrottle deaf = new LoginThrottle(3, 3, WINDOW, clock, store(), new Invalidation());
        for (int i = 0; i < 3; i++) {
            fail(a, "alice", ADDR);
        }
        assertThat(deaf.lockedFor("alice", "10.0.0.9")).isEmpty();
        LoginThrottle.Reservation r = deaf.reserve("alice", "10.0.0.9");
        assertThat(r).isInstanceOf(LoginThrottle.Refused.class);
        assertThat(((LoginThrottle.Refused) r).retryAfterSeconds()).isEqualTo(WINDOW.toSeconds());
    }

    @Test
    void parallelAttemptsOnTwoNodesGetNoMoreSlotsThanTheLimit() throws Exception {
        LoginThrottle[] nodes = cluster(10);
        List<LoginThrottle.Reservation> results = Parallel.calls(60, i -> nodes[i % 2].reserve("alice", "10.0.1." + i));
        assertThat(results.stream().filter(LoginThrottle.Granted.class::isInstance))
                .hasSize(10);
        assertThat(results.stream().filter(LoginThrottle.Refused.class::isInstance))
                .hasSize(50);
        int locked = 0;
        for (LoginThrottle.Reservation r : results) {
            if (r instanceof LoginThrottle.Granted g && nodes[0].failed(g)) {
                locked++;
            }
        }
        assertThat(locked).isEqualTo(1);
        assertThat(nodes[0].lockedFor("alice", ADDR)).isPresent();
        assertThat(nodes[1].lockedFor("alice", ADDR)).isPresent();
    }

    @Test
    void parallelAttemptsOnManyUsernamesGetNoMoreAddressSlotsThanTheLimit() throws Exception {
        LoginThrottle[] nodes = cluster(10);
        List<LoginThrottle.Reservation> results = Parallel.calls(40, i -> nodes[i % 2].reserve("user" + i, ADDR));
        assertThat(results.stream().filter(LoginThrottle.Granted.class::isInstance))
                .hasSize(10);
    }

    // ---- what reaches the table

    @Test
    void whatWasTypedAsTheUsernameIsCountedByItsHashOnly() throws SQLException {
        LoginThrottle t = throttle(3);
        String key = Secrets.generate(SecretKind.ACCESS_KEY);
        String huge = "x".repeat(5000);
        String typedPassword = "Tr0ub4dor&3";
        fail(t, typedPassword, "10.0.0.7");
        fail(t, "alice", "10.0.0.8");
        assertThat(fail(t, key, ADDR)).isFalse();
        assertThat(fail(t, key, ADDR)).isFalse();
        fail(t, huge, ADDR);
        assertThat(fail(t, key, ADDR)).isTrue();
        assertThat(t.lockedFor(key, "10.0.0.2")).isPresent();
        assertThat(t.lockedFor(huge, "10.0.0.2")).isEmpty();
        try (Connection c = opened.get(0).dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT subject, username FROM login_failures "
                        + "UNION ALL SELECT subject, '' FROM login_locks");
                ResultSet rs = ps.executeQuery()) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertThat(rs.getString(1) + " " + rs.getString(2))
                        .doesNotContain(key)
                        .doesNotContain("xxxxxxxx")
                        .doesNotContain(typedPassword)
                        .doesNotContain("alice");
            }
            assertThat(rows).isGreaterThan(0);
        }
    }
}
