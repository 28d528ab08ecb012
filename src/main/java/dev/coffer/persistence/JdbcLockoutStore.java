package dev.coffer.persistence;

import dev.coffer.credential.LockoutStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

public final class JdbcLockoutStore implements LockoutStore {
    private final Jdbc jdbc;

    public JdbcLockoutStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    @Override
    public int recordFailure(String subject, String username, long at, long since) {
        return record(subject, username, at, since, "COUNT(*)");
    }

    @Override
    public int recordDistinctFailure(String subject, String username, long at, long since) {
        return record(subject, username, at, since, "COUNT(DISTINCT username)");
    }

    private int record(String subject, String username, long at, long since, String count) {
        return jdbc.inTransaction(() -> {
            insert(subject, username, at);
            return jdbc.queryOne("SELECT " + count + " FROM login_failures WHERE subject = ? AND at > ?",
                    rs -> rs.getInt(1), subject, since).orElse(0);
        });
    }

    private void insert(String subject, String username, long at) {
        jdbc.update("INSERT INTO login_failures (subject, username, at) VALUES (?, ?, ?)", subject, username, at);
    }

    @Override
    public void clearFailures(String subject) {
        jdbc.update("DELETE FROM login_failures WHERE subject = ?", subject);
    }

    @Override
    public void lock(String subject, long until) {
        jdbc.update("INSERT INTO login_locks (subject, locked_until) VALUES (?, ?) ON CONFLICT (subject) "
                + "DO UPDATE SET locked_until = excluded.locked_until", subject, until);
    }

    @Override
    public Map<String, Long> locks(long now) {
        Map<String, Long> out = new HashMap<>();
        jdbc.query("SELECT subject, locked_until FROM login_locks WHERE locked_until > ?",
                rs -> out.put(rs.getString(1), rs.getLong(2)), now);
        return out;
    }

    @Override
    public Set<String> usernamesWithFailures(long since) {
        return new HashSet<>(jdbc.query("SELECT DISTINCT username FROM login_failures WHERE subject LIKE 'u:%' AND at > ?",
                rs -> rs.getString(1), since));
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
