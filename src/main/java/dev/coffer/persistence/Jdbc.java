package dev.coffer.persistence;

import dev.coffer.common.CofferException;
import dev.coffer.common.MemoryOnly;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Thin JDBC helper: every SQLException leaves here classified. A database that cannot be reached
 * or is busy is {@code Unavailable} (503); nothing is ever reported as "not found" for an outage.
 */
public final class Jdbc {
    private final DataSource dataSource;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    public Jdbc(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(mapper.map(rs));
                    }
                    return out;
                }
            }
        });
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = query(sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public int update(String sql, Object... args) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                return ps.executeUpdate();
            }
        });
    }

    /** One statement prepared once and run for every row, in one transaction (batched writers). */
    public void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        inTransaction(() -> withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    bind(ps, row);
                    ps.addBatch();
                }
                ps.executeBatch();
                return null;
            }
        }));
    }

    private volatile Boolean postgres;

    /**
     * True when the database is PostgreSQL (asked of the driver once): for the few statements that
     * only it has, such as advisory locks.
     */
    public boolean isPostgres() {
        Boolean p = postgres;
        if (p == null) {
            p = withConnection(c -> c.getMetaData()
                    .getDatabaseProductName()
                    .toLowerCase(java.util.Locale.ROOT)
                    .contains("postgres"));
            postgres = p;
        }
        return p;
    }

    /** Runs {@code work} in one transaction; nested calls join the outer one. */
    public <T> T inTransaction(Work<T> work) {
        MemoryOnly.check();
        if (current.get() != null) {
            try {
                return work.run();
            } catch (SQLException e) {
                throw classify(e);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            current.set(c);
            try {
                T result = work.run();
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                if (e instanceof SQLException se) {
                    throw classify(se);
                }
                throw (RuntimeException) e;
            } finally {
                current.remove();
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw classify(e);
        }
    }

    private interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        MemoryOnly.check();
        Connection tx = current.get();
        try {
            if (tx != null) {
                return work.run(tx);
            }
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw classify(e);
        }
    }

    /**
     * A broken connection usually means the server restarted, so every pooled connection is dead:
     * retire them all at once instead of letting each fail one more request.
     */
    private RuntimeException classify(SQLException e) {
        String state = e.getSQLState();
        if (state != null
                && (state.startsWith("08") || state.startsWith("57P"))
                && dataSource instanceof com.zaxxer.hikari.HikariDataSource pool) {
            com.zaxxer.hikari.HikariPoolMXBean bean = pool.getHikariPoolMXBean();
            if (bean != null) {
                bean.softEvictConnections();
            }
        }
        return classifyState(e);
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
    }

    /** Unique/foreign-key violations are conflicts (the caller's fault); anything else is an outage. */
    static RuntimeException classifyState(SQLException e) {
        String state = e.getSQLState();
        String msg = String.valueOf(e.getMessage());
        if ((state != null && state.startsWith("23")) || msg.contains("CONSTRAINT")) {
            return new CofferException(
                    new dev.coffer.common.Failure.Conflict(
                            "constraint_violation", "the change conflicts with existing data"),
                    e);
        }
        return CofferException.unavailable("the metadata database is unavailable", e);
    }
}
