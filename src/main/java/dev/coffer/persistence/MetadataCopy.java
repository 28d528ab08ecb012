package dev.coffer.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Copies every metadata table from one database to another (the embedded SQLite database into
 * PostgreSQL, for {@code coffer migrate}), row for row with the same ids, so that password
 * hashes, credential hashes and everything naming a user id keep working.
 *
 * <p>Columns are read by name and written by the target's column type: SQLite keeps booleans as
 * 0/1 and does not enforce lengths, PostgreSQL does both. The whole copy is one target
 * transaction: a failure leaves the target as empty as it was.
 */
public final class MetadataCopy {
    /**
     * Every table of db/migration, parents before children (foreign keys). A table that a later
     * migration adds and that is missing here stops the copy ({@link #checkSchema}), rather than
     * being left behind silently.
     */
    public static final List<String> TABLES = List.of(
            "users",
            "user_groups",
            "group_members",
            "repositories",
            "permission_targets",
            "files",
            "properties",
            "remote_cache",
            "npm_packages",
            "npm_versions",
            "npm_dist_tags",
            "access_keys",
            "session_tokens",
            "access_tokens",
            "audit_events",
            "login_failures",
            "login_locks");

    private static final int BATCH = 1000;

    private final DataSource source;
    private final DataSource target;

    /** @param source an SQLite database, @param target a PostgreSQL database (both migrated to the same version) */
    public MetadataCopy(DataSource source, DataSource target) {
        this.source = source;
        this.target = target;
    }

    /** Rows per table, in {@link #TABLES} order, with an order-independent digest of their content. */
    public record TableState(String table, long rows, String digest) {}

    /** The schema is not the one this version knows, or source and target differ. */
    public static final class SchemaMismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SchemaMismatch(String message) {
            super(message, null, false, false);
        }
    }

    /** Both databases hold exactly {@link #TABLES} (besides Flyway's), with the same columns. */
    public void checkSchema() throws SQLException {
        try (Connection s = source.getConnection();
                Connection t = target.getConnection()) {
            Set<String> known = new TreeSet<>(TABLES);
            Set<String> inSource = Catalog.sqliteTables(s);
            Set<String> inTarget = Catalog.postgresTables(t);
            if (!inSource.equals(known)) {
                throw new SchemaMismatch("the source database has tables " + inSource + "; this version of Coffer "
                        + "copies " + known + " (was it written by a newer Coffer?)");
            }
            if (!inTarget.equals(known)) {
                throw new SchemaMismatch(
                        "the target database has tables " + inTarget + "; this version of Coffer " + "copies " + known);
            }
            for (String table : TABLES) {
                Set<String> sc = new TreeSet<>(Catalog.columns(s, table).keySet());
                Set<String> tc = new TreeSet<>(Catalog.columns(t, table).keySet());
                if (!sc.equals(tc)) {
                    throw new SchemaMismatch(
                            "table " + table + " has columns " + sc + " in the source but " + tc + " in the target");
                }
            }
        }
    }

    /** Row counts of the target's tables that are not empty (empty map: nothing there yet). */
    public Map<String, Long> targetContent() throws SQLException {
        try (Connection t = target.getConnection()) {
            return Catalog.nonEmpty(t, TABLES);
        }
    }

    /**
     * Copies every table in one transaction, then moves each identity sequence past the highest id
     * the source ever handed out. Refuses (and writes nothing) if the target holds any row.
     *
     * @return the rows copied per table
     */
    public Map<String, Long> copy() throws SQLException {
        Map<String, Long> copied = new LinkedHashMap<>();
        try (Connection s = source.getConnection();
                Connection t = target.getConnection()) {
            boolean auto = t.getAutoCommit();
            t.setAutoCommit(false);
            try {
                // checked again inside the transaction that writes: a server started on the target
                // in the meantime must not get its rows mixed with these
                Map<String, Long> present = Catalog.nonEmpty(t, TABLES);
                if (!present.isEmpty()) {
                    throw new IllegalStateException("the target database is not empty: " + present);
                }
                for (String table : TABLES) {
                    try {
                        copied.put(table, copyTable(s, t, table));
                    } catch (SQLException e) {
                        throw new SQLException("copying table " + table + " failed: " + reason(e), e.getSQLState(), e);
                    }
                }
                for (String table : TABLES) {
                    IdentitySequences.reset(s, t, table);
                }
                t.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    t.rollback();
                } catch (SQLException ignored) {
                    // the failure that stopped the copy is the one worth reporting
                }
                throw e;
            } finally {
                t.setAutoCommit(auto);
            }
        }
        return copied;
    }

    /** Counts and content digests of every table, in source and target: equal lists mean an exact copy. */
    public List<TableState> sourceState() throws SQLException {
        return TableDigests.of(source, target, TABLES);
    }

    public List<TableState> targetState() throws SQLException {
        return TableDigests.of(target, target, TABLES);
    }

    private static long copyTable(Connection s, Connection t, String table) throws SQLException {
        Map<String, Integer> cols = Catalog.columns(t, table);
        String names = String.join(", ", cols.keySet());
        String marks = String.join(", ", java.util.Collections.nCopies(cols.size(), "?"));
        long rows = 0;
        try (Statement st = s.createStatement();
                PreparedStatement ins =
                        t.prepareStatement("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")")) {
            st.setFetchSize(BATCH);
            try (ResultSet rs = st.executeQuery("SELECT " + names + " FROM " + table)) {
                while (rs.next()) {
                    int i = 1;
                    for (Map.Entry<String, Integer> col : cols.entrySet()) {
                        Object v = Catalog.read(rs, col.getKey(), col.getValue());
                        if (v == null) {
                            ins.setNull(i++, col.getValue());
                        } else {
                            ins.setObject(i++, v, col.getValue());
                        }
                    }
                    ins.addBatch();
                    if (++rows % BATCH == 0) {
                        ins.executeBatch();
                    }
                }
            }
            if (rows % BATCH != 0) {
                ins.executeBatch();
            }
        }
        return rows;
    }

    /**
     * The database's own reason, without the statement: the driver's batch message quotes every
     * value of the failed row, and rows hold password and credential hashes.
     */
    private static String reason(SQLException e) {
        SQLException cause = e;
        if (e instanceof java.sql.BatchUpdateException && e.getNextException() != null) {
            cause = e.getNextException();
        }
        String m = String.valueOf(cause.getMessage());
        if (cause != e || !m.startsWith("Batch entry")) {
            return m.lines().findFirst().orElse(m); // PostgreSQL's Detail lines may quote the row, too
        }
        return "the database refused a row (SQL state " + e.getSQLState() + ")";
    }
}
