package dev.coffer.persistence;

import dev.coffer.audit.AuditEvent;
import dev.coffer.audit.AuditQuery;
import dev.coffer.audit.AuditStore;
import dev.coffer.audit.StoredEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The audit trail in {@code audit_events}. A row holds either one event or, for audited reads, a
 * batch of up to {@link #MAX_READS_PER_ROW} events of one username and outcome
 * ({@link AuditReadBatch}; {@code event_time} and {@code last_time} are the oldest and newest of
 * them). An event's id is its row's id times {@value #PER_ROW} plus its place in the row, so ids
 * order and page through both kinds alike.
 */
public final class JdbcAuditStore implements AuditStore {
    /** Ids per row: an event's id is {@code rowId * PER_ROW + index}. */
    static final int PER_ROW = 1024;

    static final int MAX_READS_PER_ROW = 1000;
    /**
     * A batch row spans at most this much time, so a time filter can use the index on
     * {@code event_time} with this margin.
     */
    static final long MAX_SPREAD_MILLIS = 60_000;

    private static final String BATCH_ACTION = "read-batch";
    private static final String COLS = "event_time, username, authenticated_by, credential_id, action, repo, path, "
            + "outcome, status, ip, user_agent, change_detail";

    private final Jdbc jdbc;

    public JdbcAuditStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    @Override
    public void insert(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO audit_events (" + COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        List<Object[]> rows = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            rows.add(new Object[] {
                e.time(),
                e.username(),
                e.authenticatedBy(),
                e.credentialId(),
                e.action(),
                e.repo(),
                e.path(),
                e.outcome(),
                e.status(),
                e.ip(),
                e.userAgent(),
                e.change()
            });
        }
        jdbc.batch(sql, rows);
    }

    private record Group(String username, String outcome) {}

    @Override
    public void insertReads(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        Map<Group, List<AuditEvent>> groups = new LinkedHashMap<>();
        for (AuditEvent e : events) {
            if (e.change() != null) {
                // a batch row has no place for it (AuditLog records such an event one by one)
                throw new IllegalArgumentException("a read event carries no change of settings");
            }
            groups.computeIfAbsent(new Group(e.username(), e.outcome()), g -> new ArrayList<>())
                    .add(e);
        }
        List<Object[]> rows = new ArrayList<>();
        for (Map.Entry<Group, List<AuditEvent>> g : groups.entrySet()) {
            List<AuditEvent> list = g.getValue();
            int from = 0;
            while (from < list.size()) {
                // a row closes at its size limit or when its events would span more than the margin
                long min = list.get(from).time();
                long max = min;
                int to = from + 1;
                while (to < list.size() && to - from < MAX_READS_PER_ROW) {
                    long t = list.get(to).time();
                    long lo = Math.min(min, t);
                    long hi = Math.max(max, t);
                    if (hi - lo > MAX_SPREAD_MILLIS) {
                        break;
                    }
                    min = lo;
                    max = hi;
                    to++;
                }
                List<AuditEvent> chunk = list.subList(from, to);
                rows.add(new Object[] {
                    min,
                    max,
                    chunk.size(),
                    g.getKey().username(),
                    BATCH_ACTION,
                    g.getKey().outcome(),
                    0,
                    AuditReadBatch.encode(chunk, min)
                });
                from = to;
            }
        }
        jdbc.batch(
                "INSERT INTO audit_events (event_time, last_time, event_count, username, action, outcome, status, "
                        + "read_batch) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows);
    }

    /** A row as stored: one event, or a batch of reads when {@code batch} is set. */
    private record Row(long id, AuditEvent event, String batch) {}

    @Override
    public List<StoredEvent> search(AuditQuery q) {
        List<StoredEvent> out = new ArrayList<>(Math.min(q.limit(), 256));
        Long maxRow = q.before() == null ? null : Math.floorDiv(q.before(), PER_ROW);
        while (true) {
            List<Row> rows = rows(q, maxRow);
            for (Row r : rows) {
                List<AuditEvent> events = r.batch() == null
                        ? List.of(r.event())
                        : AuditReadBatch.decode(
                                r.batch(),
                                r.event().time(),
                                r.event().username(),
                                r.event().outcome());
                for (int i = events.size() - 1; i >= 0; i--) {
                    long id = r.id() * PER_ROW + i;
                    AuditEvent e = events.get(i);
                    if (matches(q, id, e)) {
                        out.add(new StoredEvent(id, e));
                        if (out.size() == q.limit()) {
                            return out;
                        }
                    }
                }
            }
            if (rows.size() < q.limit()) {
                return out;
            }
            maxRow = rows.get(rows.size() - 1).id() - 1;
        }
    }

    private static boolean matches(AuditQuery q, long id, AuditEvent e) {
        return (q.before() == null || id < q.before())
                && (q.since() == null || e.time() >= q.since())
                && (q.until() == null || e.time() < q.until());
    }

    /** Rows that may hold matching events, newest first; the events themselves are checked by {@link #matches}. */
    private List<Row> rows(AuditQuery q, Long maxRow) {
        StringBuilder sql = new StringBuilder("SELECT id, " + COLS + ", read_batch FROM audit_events WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.since() != null) {
            // the index narrows by the oldest time a batch may start with; the newest decides
            sql.append(" AND event_time >= ? AND COALESCE(last_time, event_time) >= ?");
            args.add(q.since() - MAX_SPREAD_MILLIS);
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
        if (maxRow != null) {
            sql.append(" AND id <= ?");
            args.add(maxRow);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit());
        return jdbc.query(sql.toString(), JdbcAuditStore::map, args.toArray());
    }

    private static Row map(ResultSet rs) throws SQLException {
        return new Row(
                rs.getLong(1),
                new AuditEvent(
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getInt(10),
                        rs.getString(11),
                        rs.getString(12),
                        rs.getString(13)),
                rs.getString(14));
    }

    /** Removes every row whose newest event is older than {@code time}; returns how many events went. */
    @Override
    public int deleteBefore(long time) {
        String where = " FROM audit_events WHERE event_time < ? AND COALESCE(last_time, event_time) < ?";
        return jdbc.inTransaction(() -> {
            long n = jdbc.queryOne(
                            "SELECT COALESCE(SUM(COALESCE(event_count, 1)), 0)" + where,
                            rs -> rs.getLong(1),
                            time,
                            time)
                    .orElse(0L);
            jdbc.update("DELETE" + where, time, time);
            return (int) Math.min(n, Integer.MAX_VALUE);
        });
    }
}
