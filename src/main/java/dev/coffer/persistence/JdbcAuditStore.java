package dev.coffer.persistence;

import dev.coffer.audit.AuditEvent;
import dev.coffer.audit.AuditQuery;
import dev.coffer.audit.AuditStore;
import dev.coffer.audit.StoredEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

public final class JdbcAuditStore implements AuditStore {
    private static final String COLS = "event_time, username, authenticated_by, credential_id, action, repo, path, "
            + "outcome, status, ip, user_agent";

    private final Jdbc jdbc;

    public JdbcAuditStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    @Override
    public void insert(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO audit_events (" + COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        // prepared once per batch: download audit rows are the busiest writer of all
        List<Object[]> rows = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            rows.add(new Object[] {e.time(), e.username(), e.authenticatedBy(), e.credentialId(), e.action(), e.repo(),
                e.path(), e.outcome(), e.status(), e.ip(), e.userAgent()});
        }
        jdbc.batch(sql, rows);
    }

    @Override
    public List<StoredEvent> search(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT id, " + COLS + " FROM audit_events WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.since() != null) {
            sql.append(" AND event_time >= ?");
            args.add(q.since());
        }
        if (q.until() != null) {
            sql.append(" AND event_time < ?");
            args.add(q.until());
        }
        if (q.username() != null) {
            sql.append(" AND username = ?");
            args.add(q.username());
        }
        if (q.outcome() != null) {
            sql.append(" AND outcome = ?");
            args.add(q.outcome());
        }
        if (q.before() != null) {
            sql.append(" AND id < ?");
            args.add(q.before());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit());
        return jdbc.query(sql.toString(), JdbcAuditStore::map, args.toArray());
    }

    private static StoredEvent map(ResultSet rs) throws SQLException {
        return new StoredEvent(rs.getLong(1), new AuditEvent(rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10),
                rs.getString(11), rs.getString(12)));
    }

    @Override
    public int deleteBefore(long time) {
        return jdbc.update("DELETE FROM audit_events WHERE event_time < ?", time);
    }
}
