package dev.coffer.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link MetadataCopy} asks of either database about its tables: which tables there are,
 * their columns and types, which hold rows; and how a column is read so that SQLite's loose
 * typing and PostgreSQL's strict one give equal values.
 */
final class Catalog {
    private static final String FLYWAY = "flyway_schema_history";

    private Catalog() {}

    /** Column names (lower case) and JDBC types of a table, in the table's order. */
    static Map<String, Integer> columns(Connection c, String table) throws SQLException {
        Map<String, Integer> cols = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.put(md.getColumnName(i).toLowerCase(Locale.ROOT), md.getColumnType(i));
            }
        }
        return cols;
    }

    /** Row counts of those of {@code tables} that are not empty. */
    static Map<String, Long> nonEmpty(Connection c, Iterable<String> tables) throws SQLException {
        Map<String, Long> present = new LinkedHashMap<>();
        for (String table : tables) {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    present.put(table, rs.getLong(1));
                }
            }
        }
        return present;
    }

    /** A value read as the Java type that the target column takes; null for SQL NULL. */
    static Object read(ResultSet rs, String column, int type) throws SQLException {
        Object v = switch (type) {
            case Types.BOOLEAN, Types.BIT -> rs.getBoolean(column);
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> rs.getLong(column);
            case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.NVARCHAR, Types.NCHAR, Types.CLOB ->
                rs.getString(column);
            default ->
                throw new MetadataCopy.SchemaMismatch(
                        "column " + column + " has a type (" + type + ") that the copy does not know");
        };
        return rs.wasNull() ? null : v;
    }

    /** The SQLite database's own tables (not SQLite's, not Flyway's). */
    static Set<String> sqliteTables(Connection s) throws SQLException {
        return sqliteTables(s, false);
    }

    /** @param internal also SQLite's own tables (sqlite_sequence, ...) and Flyway's */
    static Set<String> sqliteTables(Connection s, boolean internal) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Statement st = s.createStatement();
                ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                String name = rs.getString(1).toLowerCase(Locale.ROOT);
                if (internal || (!name.startsWith("sqlite_") && !name.equals(FLYWAY))) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    /** The PostgreSQL schema's tables, Flyway's aside. */
    static Set<String> postgresTables(Connection t) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Statement st = t.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT table_name FROM"
                                + " information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
            while (rs.next()) {
                String name = rs.getString(1).toLowerCase(Locale.ROOT);
                if (!name.equals(FLYWAY)) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }
}
