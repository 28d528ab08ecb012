package dev.coffer.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Row counts and order-independent content digests of tables, by which migrate proves that a copy
 * is exact: equal lists for source and target mean equal tables.
 */
final class TableDigests {
    private TableDigests() {}

    /** {@code tables} of {@code db}, each value read by the column types of {@code typesFrom}. */
    static List<MetadataCopy.TableState> of(DataSource db, DataSource typesFrom, List<String> tables)
            throws SQLException {
        List<MetadataCopy.TableState> states = new ArrayList<>();
        try (Connection c = db.getConnection();
                Connection types = typesFrom.getConnection()) {
            for (String table : tables) {
                Map<String, Integer> cols = Catalog.columns(types, table);
                long rows = 0;
                long sum = 0;
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    while (rs.next()) {
                        rows++;
                        sum += rowHash(rs, cols);
                    }
                }
                states.add(new MetadataCopy.TableState(table, rows, Long.toHexString(sum)));
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
            Object v = Catalog.read(rs, col.getKey(), col.getValue());
            sb.append(col.getKey())
                    .append('=')
                    .append(v == null ? "\u0000null" : v.toString())
                    .append('\u0001');
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
}
