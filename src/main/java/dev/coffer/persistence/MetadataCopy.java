package dev.coffer.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
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
    public static final List<String> TABLES = List.of("users", "user_groups", "group_members", "repositories",
            "permission_targets", "files", "properties", "access_keys", "session_tokens", "access_tokens",
            "audit_events", "login_failures", "login_locks");
    private static final String FLYWAY = "flyway_schema_history";
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
        try (Connection s = source.getConnection(); Connection t = target.getConnection()) {
            Set<String> known = new TreeSet<>(TABLES);
            Set<String> inSource = sqliteTables(s);
            Set<String> inTarget = postgresTables(t);
            if (!inSource.equals(known)) {
                throw new SchemaMismatch("the source database has tables " + inSource + "; this version of Coffer "
                        + "copies " + known + " (was it written by a newer Coffer?)");
            }
            if (!inTarget.equals(known)) {
                throw new SchemaMismatch("the target database has tables " + inTarget + "; this version of Coffer "
                        + "copies " + known);
            }
            for (String table : TABLES) {
                Set<String> sc = new TreeSet<>(columns(s, table).keySet());
                Set<String> tc = new TreeSet<>(columns(t, table).keySet());
                if (!sc.equals(tc)) {
                    throw new SchemaMismatch("table " + table + " has columns " + sc + " in the source but " + tc
                            + " in the target");
                }
            }
        }
    }

    /** Row counts of the target's tables that are not empty (empty map: nothing there yet). */
    public Map<String, Long> targetContent() throws SQLException {
        try (Connection t = target.getConnection()) {
            return nonEmpty(t);
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
        try (Connection s = source.getConnection(); Connection t = target.getConnection()) {
            boolean auto = t.getAutoCommit();
            t.setAutoCommit(false);
            try {
                // checked again inside the transaction that writes: a server started on the target
                // in the meantime must not get its rows mixed with these
                Map<String, Long> present = nonEmpty(t);
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
                    resetIdentities(s, t, table);
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
        return state(source, target);
    }

    public List<TableState> targetState() throws SQLException {
        return state(target, target);
    }

    private static List<TableState> state(DataSource db, DataSource typesFrom) throws SQLException {
        List<TableState> states = new ArrayList<>();
        try (Connection c = db.getConnection(); Connection types = typesFrom.getConnection()) {
            for (String table : TABLES) {
                Map<String, Integer> cols = columns(types, table);
                long rows = 0;
                long sum = 0;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    while (rs.next()) {
                        rows++;
                        sum += rowHash(rs, cols);
                    }
                }
                states.add(new TableState(table, rows, Long.toHexString(sum)));
            }
        }
        return states;
    }

    /**
     * One row as text, by the target's column types (so SQLite's 1 and PostgreSQL's true agree),
     * hashed to 64 bits. Summing the row hashes gives a digest that does not depend on row order.
     */
    private static long rowHash(ResultSet rs, Map<String, Integer> cols) throws SQLException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Integer> col : cols.entrySet()) {
            Object v = read(rs, col.getKey(), col.getValue());
            sb.append(col.getKey()).append('=').append(v == null ? "\u0000null" : v.toString()).append('\u0001');
        }
        byte[] h = sha256().digest(sb.toString().getBytes(StandardCharsets.UTF_8));
        long x = 0;
        for (int i = 0; i < 8; i++) {
            x = (x << 8) | (h[i] & 0xff);
        }
        return x;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long copyTable(Connection s, Connection t, String table) throws SQLException {
        Map<String, Integer> cols = columns(t, table);
        String names = String.join(", ", cols.keySet());
        String marks = String.join(", ", java.util.Collections.nCopies(cols.size(), "?"));
        long rows = 0;
        try (Statement st = s.createStatement();
                PreparedStatement ins = t.prepareStatement("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")")) {
            st.setFetchSize(BATCH);
            try (ResultSet rs = st.executeQuery("SELECT " + names + " FROM " + table)) {
                while (rs.next()) {
                    int i = 1;
                    for (Map.Entry<String, Integer> col : cols.entrySet()) {
                        Object v = read(rs, col.getKey(), col.getValue());
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

    /** A value read as the Java type that the target column takes; null for SQL NULL. */
    private static Object read(ResultSet rs, String column, int type) throws SQLException {
        Object v = switch (type) {
            case Types.BOOLEAN, Types.BIT -> rs.getBoolean(column);
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> rs.getLong(column);
            case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.NVARCHAR, Types.NCHAR, Types.CLOB ->
                    rs.getString(column);
            default -> throw new SchemaMismatch("column " + column + " has a type (" + type
                    + ") that the copy does not know");
        };
        return rs.wasNull() ? null : v;
    }

    /**
     * Moves the sequence of every identity column past the highest id in use, and past the
     * highest one SQLite ever handed out (AUTOINCREMENT never reuses the id of a deleted row, and
     * neither should the new database).
     */
    private static void resetIdentities(Connection s, Connection t, String table) throws SQLException {
        List<String> identities = new ArrayList<>();
        try (PreparedStatement ps = t.prepareStatement("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ?"
                + " AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    identities.add(rs.getString(1));
                }
            }
        }
        for (String column : identities) {
            long high = Math.max(max(t, table, column), sqliteSequence(s, table));
            if (high < 1) {
                continue; // nothing handed out yet: the sequence starts at 1 as it is
            }
            try (PreparedStatement ps = t.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), ?, true)")) {
                ps.setString(1, table);
                ps.setString(2, column);
                ps.setLong(3, high);
                ps.executeQuery().close();
            }
        }
    }

    private static long max(Connection c, String table, String column) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(" + column + "), 0) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long sqliteSequence(Connection s, String table) throws SQLException {
        if (!sqliteTables(s, true).contains("sqlite_sequence")) {
            return 0; // created by SQLite only on the first AUTOINCREMENT insert
        }
        try (PreparedStatement ps = s.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static Map<String, Long> nonEmpty(Connection c) throws SQLException {
        Map<String, Long> present = new LinkedHashMap<>();
        for (String table : TABLES) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    present.put(table, rs.getLong(1));
                }
            }
        }
        return present;
    }

    /** Column names (lower case) and JDBC types of a table, in the table's order. */
    private static Map<String, Integer> columns(Connection c, String table) throws SQLException {
        Map<String, Integer> cols = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.put(md.getColumnName(i).toLowerCase(java.util.Locale.ROOT), md.getColumnType(i));
            }
        }
        return cols;
    }

    private static Set<String> sqliteTables(Connection s) throws SQLException {
        return sqliteTables(s, false);
    }

    private static Set<String> sqliteTables(Connection s, boolean internal) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Statement st = s.createStatement();
                ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                String name = rs.getString(1).toLowerCase(java.util.Locale.ROOT);
                if (internal || (!name.startsWith("sqlite_") && !name.equals(FLYWAY))) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    private static Set<String> postgresTables(Connection t) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Statement st = t.createStatement(); ResultSet rs = st.executeQuery("SELECT table_name FROM"
                + " information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
            while (rs.next()) {
                String name = rs.getString(1).toLowerCase(java.util.Locale.ROOT);
                if (!name.equals(FLYWAY)) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }
}
