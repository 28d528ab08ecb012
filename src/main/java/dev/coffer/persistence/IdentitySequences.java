package dev.coffer.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * After rows are copied with their ids, PostgreSQL's sequences still start at 1: each is moved
 * past the highest id in use, and past the highest one SQLite ever handed out (AUTOINCREMENT never
 * reuses the id of a deleted row, and neither should the new database).
 */
final class IdentitySequences {
    private IdentitySequences() {}

    /** Moves the sequence of every identity column of {@code table} in the target {@code t}. */
    static void reset(Connection s, Connection t, String table) throws SQLException {
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
        if (!Catalog.sqliteTables(s, true).contains("sqlite_sequence")) {
            return 0; // created by SQLite only on the first AUTOINCREMENT insert
        }
        try (PreparedStatement ps = s.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
