package dev.coffer.bootstrap;

import dev.coffer.persistence.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * The source side of {@code coffer migrate}: a consistent copy of the embedded database, so that
 * the source itself is only ever read, and that copy opened at this version's schema.
 */
final class SourceSnapshot {
    private SourceSnapshot() {}

    /**
     * A consistent copy of the source database. Stopped cleanly, it is one file (no WAL), copied
     * as is: even a read-only SQLite connection would create -wal and -shm files beside it. With a
     * WAL (a server runs, or crashed) it is read through a read-only connection with {@code
     * VACUUM INTO}, which sees one consistent state.
     */
    static void take(Path db, Path to) throws IOException {
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        if (!Files.exists(wal)) {
            Files.copy(db, to);
            return;
        }
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true);
        cfg.setBusyTimeout(15_000);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath(), cfg.toProperties());
                Statement st = c.createStatement()) {
            st.execute("VACUUM INTO '" + to.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new Migration.Refused("cannot read " + db.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    /** The snapshot, brought to this version's schema (the source keeps its own). */
    static Database open(Path db, Path snapshot) {
        try {
            return Database.sqlite(snapshot);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new Migration.Refused(
                    "cannot read " + db.toAbsolutePath() + " as a Coffer database: " + root.getMessage());
        }
    }
}
