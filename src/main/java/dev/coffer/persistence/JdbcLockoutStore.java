package dev.coffer.persistence;

import dev.coffer.credential.LockoutStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Login attempts in {@code login_failures} (one row per attempt: reserved before the password is
 * checked, kept when it fails) and locks in {@code login_locks}.
 *
 * <p>A reservation counts and inserts in one transaction that is serialised per subject: on
 * SQLite every write transaction is (one writer, BEGIN IMMEDIATE); on PostgreSQL a transaction
 * advisory lock per subject makes the second of two parallel reservations, on any node, wait for
 * the first to commit and then count its row (READ COMMITTED: each statement sees what committed
 * before it began). Advisory locks rather than row locks, so that the purge, which deletes many
 * rows at once, can never deadlock with a reservation.
 */
public final class JdbcLockoutStore implements LockoutStore {
    // the two-key advisory lock space (separate from the one-key space of PostgresBlobLocks); users
    // are always locked before addresses, so two reservations never wait for each other in a cycle
    private static final int USER_LOCKS = 0x4c4f0001;
    private static final int ADDRESS_LOCKS = 0x4c4f0002;

    private final Jdbc jdbc;
    private final boolean advisoryLocks;

    public JdbcLockoutStore(Jdbc jdbc, Database.Dialect dialect) {
        this.jdbc = Objects.requireNonNull(jdbc);
        this.advisoryLocks = dialect == Database.Dialect.POSTGRESQL;
    }

    private record Window(int count, long oldest) {}

    @Override
    public Reserved reserve(Attempt a) {
        return jdbc.inTransaction(() -> {
            if (advisoryLocks) {
                jdbc.query(
                        "SELECT pg_advisory_xact_lock(?, ?)",
                        rs -> null,
                        USER_LOCKS,
                        a.userSubject().hashCode());
                jdbc.query(
                        "SELECT pg_advisory_xact_lock(?, ?)",
                        rs -> null,
                        ADDRESS_LOCKS,
                        a.addressSubject().hashCode());
            }
            long window = a.now() - a.since();
            long locked = jdbc.queryOne(
                            "SELECT MAX(locked_until) FROM login_locks WHERE subject IN (?, ?)",
                            rs -> rs.getLong(1),
                            a.userSubject(),
                            a.addressSubject())
                    .orElse(0L);
            if (locked > a.now()) {
                return new Refused(locked);
            }
            Window user = window("COUNT(*)", a.userSubject(), a.since());
            if (user.count() >= a.limit()) {
                return new Refused(user.oldest() + window);
            }
            Window address = window("COUNT(DISTINCT username)", a.addressSubject(), a.since());
            boolean known = jdbc.queryOne(
                            "SELECT 1 FROM login_failures WHERE subject = ? AND username = ? AND at > ?",
                            rs -> 1,
                            a.addressSubject(),
                            a.username(),
                            a.since())
                    .isPresent();
            if (!known && address.count() >= a.addressLimit()) {
                return new Refused(address.oldest() + window);
            }
            long userRow = insert(a.userSubject(), a.username(), a.now());
            long addressRow = insert(a.addressSubject(), a.username(), a.now());
            return new Granted(
                    new Slot(userRow, addressRow, user.count() + 1, known ? address.count() : address.count() + 1));
        });
    }

    private Window window(String count, String subject, long since) {
        return jdbc.queryOne(
                        "SELECT " + count + ", MIN(at) FROM login_failures WHERE subject = ? AND at > ?",
                        rs -> new Window(rs.getInt(1), rs.getLong(2)),
                        subject,
                        since)
                .orElse(new Window(0, 0));
    }

    private long insert(String subject, String username, long at) {
        return jdbc.queryOne(
                        "INSERT INTO login_failures (subject, username, at) VALUES (?, ?, ?) RETURNING id",
                        rs -> rs.getLong(1),
                        subject,
                        username,
                        at)
                .orElseThrow();
    }

    @Override
    public void release(String userSubject, Slot slot) {
        jdbc.inTransaction(() -> {
            jdbc.update("DELETE FROM login_failures WHERE subject = ?", userSubject);
            jdbc.update("DELETE FROM login_failures WHERE id = ?", slot.addressRow());
            return null;
        });
    }

    @Override
    public void clearFailures(String subject) {
        jdbc.update("DELETE FROM login_failures WHERE subject = ?", subject);
    }

    @Override
    public void lock(String subject, long until) {
        jdbc.update(
                "INSERT INTO login_locks (subject, locked_until) VALUES (?, ?) ON CONFLICT (subject) "
                        + "DO UPDATE SET locked_until = excluded.locked_until",
                subject,
                until);
    }

    @Override
    public Map<String, Long> locks(long now) {
        Map<String, Long> out = new HashMap<>();
        jdbc.query(
                "SELECT subject, locked_until FROM login_locks WHERE locked_until > ?",
                rs -> out.put(rs.getString(1), rs.getLong(2)),
                now);
        return out;
    }

    @Override
    public void purge(long before) {
        jdbc.inTransaction(() -> {
            jdbc.update("DELETE FROM login_failures WHERE at <= ?", before);
            jdbc.update("DELETE FROM login_locks WHERE locked_until <= ?", before);
            return null;
        });
    }
}
