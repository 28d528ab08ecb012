package dev.coffer.bootstrap;

import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.BlobStore;
import dev.coffer.blob.StagedBlob;
import dev.coffer.blob.TempFileStagedBlob;
import dev.coffer.blob.fs.FsBlobStore;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.config.Backends;
import dev.coffer.config.Settings;
import dev.coffer.persistence.Database;
import dev.coffer.persistence.MetadataCopy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;

/**
 * {@code coffer migrate}: an embedded instance (data folder) into PostgreSQL and S3 (or a file
 * store), then a check that the copy is exact.
 *
 * <p>The source is only read: its database is opened read-only and copied with {@code VACUUM
 * INTO} into a temporary snapshot (consistent even if a server still writes), and the snapshot,
 * not the source, is brought to this version's schema. Blobs go first, each re-hashed on the way
 * through {@link BlobStore#stage}, and the metadata last in one transaction: whatever fails, the
 * target database stays empty and a second run simply starts over (blobs already there are
 * skipped).
 */
final class Migration {
    private static final int THREADS = 4;

    private final Path from;
    private final Function<Path, Settings> target;
    private final boolean verifyContent;
    private final PrintWriter progress;

    /**
     * @param target the target's settings, given the folder for temporary files ({@code null}: the
     *        configured data folder)
     */
    Migration(Path from, Function<Path, Settings> target, boolean verifyContent, PrintWriter progress) {
        this.from = from;
        this.target = target;
        this.verifyContent = verifyContent;
        this.progress = progress;
    }

    /** The source or target is not one migrate may use; nothing was written. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** What a migration did, and what its check found (empty {@code problems}: an exact copy). */
    record Summary(List<MetadataCopy.TableState> tables, long blobsCopied, long blobsSkipped, long bytesCopied,
            long blobsVerified, boolean contentVerified, List<String> problems) {}

    /** A blob named by the source's files, with the size its metadata gives. */
    private record Blob(String sha256, long size) {}

    Summary run() throws IOException, SQLException, InterruptedException {
        Path db = from.resolve("coffer.db");
        if (!Files.isDirectory(from)) {
            throw new Refused("there is no folder " + from.toAbsolutePath());
        }
        if (!Files.isRegularFile(db)) {
            throw new Refused("no Coffer data in " + from.toAbsolutePath() + " (there is no coffer.db)");
        }
        Settings configured = target.apply(null);
        Backends.DatabaseSettings d = configured.backends().database();
        if (d.embedded()) {
            throw new Refused("the target configuration uses the embedded database; set database.url to a "
                    + "PostgreSQL database (jdbc:postgresql://HOST:5432/DB)");
        }
        if (Files.isRegularFile(from.resolve("coffer.db-wal")) && Files.size(from.resolve("coffer.db-wal")) > 0) {
            progress.println("coffer: note: " + from.resolve("coffer.db-wal") + " is not empty: if a server still "
                    + "runs on " + from + ", stop it; changes made after the snapshot are not migrated");
        }
        Path work = Files.createTempDirectory("coffer-migrate-");
        try {
            Path snapshot = work.resolve("source.db");
            snapshot(db, snapshot);
            try (Database source = openSnapshot(db, snapshot);
                    Database dest = Database.postgres(d.url(), d.user(), d.password(), 4)) {
                MetadataCopy copy = new MetadataCopy(source.dataSource(), dest.dataSource());
                try {
                    copy.checkSchema();
                } catch (MetadataCopy.SchemaMismatch e) {
                    throw new Refused(e.getMessage());
                }
                Map<String, Long> present = copy.targetContent();
                if (!present.isEmpty()) {
                    throw new Refused("the target database " + d.safeUrl() + " already holds data " + present
                            + "; migrate only into a new, empty database");
                }
                // S3 stages uploads on local disk: under the temporary folder, not a data folder
                Settings storage = configured.backends().storage().kind() == Backends.StorageKind.S3
                        ? target.apply(work) : configured;
                try (BlobStore blobs = Coffer.openBlobs(storage, TempFileStagedBlob.DELETE_AT_ONCE)) {
                    return migrate(source.dataSource(), dest.dataSource(), copy, blobs);
                }
            }
        } finally {
            Backup.deleteTree(work);
        }
    }

    private Summary migrate(DataSource source, DataSource dest, MetadataCopy copy, BlobStore blobs)
            throws SQLException, InterruptedException {
        List<Blob> needed = blobs(source);
        progress.println("coffer: copying " + needed.size() + " blobs");
        AtomicLong copied = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        Path store = from.resolve("store");
        // FsBlobStore creates its folders when missing; an instance without any upload has none,
        // and migrate must not add them to the source
        BlobStore origin = Files.isDirectory(store.resolve("blobs")) && Files.isDirectory(store.resolve("tmp"))
                ? new FsBlobStore(store) : null;
        List<String> missing = parallel(needed, b -> {
            if (blobs.exists(b.sha256())) {
                skipped.incrementAndGet();
                return null;
            }
            if (origin == null || !origin.exists(b.sha256())) {
                return "blob " + b.sha256() + " is missing from " + store;
            }
            BlobHandle h = origin.open(b.sha256());
            try (InputStream in = h.openStream(0, h.size()); StagedBlob staged = blobs.stage(in, -1)) {
                if (!staged.checksums().sha256().equals(b.sha256())) {
                    return "blob " + b.sha256() + " in " + store + " is damaged: its content hashes to "
                            + staged.checksums().sha256();
                }
                staged.commit();
                copied.incrementAndGet();
                bytes.addAndGet(staged.size());
            }
            return null;
        });
        if (!missing.isEmpty()) {
            throw new Refused(missing.size() + " of the source's blobs cannot be copied (first: " + missing.get(0)
                    + "); run 'coffer verify --data " + from + "'; the target database was left empty");
        }
        progress.println("coffer: copied " + copied.get() + " blobs (" + bytes.get() + " bytes), " + skipped.get()
                + " were there already; copying the metadata");
        copy.copy();

        progress.println("coffer: verifying" + (verifyContent ? " (re-reading every blob from the target)" : ""));
        List<String> problems = new ArrayList<>();
        List<MetadataCopy.TableState> before = copy.sourceState();
        List<MetadataCopy.TableState> after = copy.targetState();
        for (int i = 0; i < before.size(); i++) {
            MetadataCopy.TableState b = before.get(i);
            MetadataCopy.TableState a = after.get(i);
            if (b.rows() != a.rows()) {
                problems.add("table " + b.table() + ": " + b.rows() + " rows in the source, " + a.rows() + " in the target");
            } else if (!b.digest().equals(a.digest())) {
                problems.add("table " + b.table() + ": the rows differ in content");
            }
        }
        List<Blob> referenced = blobs(dest);
        problems.addAll(parallel(referenced, b -> check(blobs, b)));
        return new Summary(after, copied.get(), skipped.get(), bytes.get(), referenced.size(), verifyContent,
                problems);
    }

    /** One target blob: present, of the size the metadata gives, and (with content checks) of that hash. */
    private String check(BlobStore blobs, Blob b) throws IOException {
        BlobHandle h;
        try {
            h = blobs.open(b.sha256());
        } catch (CofferException e) {
            if (e.failure() instanceof Failure.NotFound) {
                return "blob " + b.sha256() + " is missing from the target store";
            }
            throw e;
        }
        if (h.size() != b.size()) {
            return "blob " + b.sha256() + " has " + h.size() + " bytes in the target store, the metadata says " + b.size();
        }
        if (!verifyContent) {
            return null;
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[128 * 1024];
        try (InputStream in = h.openStream(0, h.size())) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        return actual.equals(b.sha256()) ? null : "blob " + b.sha256() + " in the target store hashes to " + actual;
    }

    private static List<Blob> blobs(DataSource db) throws SQLException {
        List<Blob> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT sha256, MAX(size) FROM files GROUP BY sha256 ORDER BY sha256")) {
            while (rs.next()) {
                out.add(new Blob(rs.getString(1).trim(), rs.getLong(2)));
            }
        }
        return out;
    }

    /**
     * A consistent copy of the source database. Stopped cleanly, it is one file (no WAL), copied
     * as is: even a read-only SQLite connection would create -wal and -shm files beside it. With a
     * WAL (a server runs, or crashed) it is read through a read-only connection with {@code
     * VACUUM INTO}, which sees one consistent state.
     */
    private static void snapshot(Path db, Path to) throws IOException {
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
            throw new Refused("cannot read " + db.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    /** The snapshot, brought to this version's schema (the source keeps its own). */
    private static Database openSnapshot(Path db, Path snapshot) {
        try {
            return Database.sqlite(snapshot);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new Refused("cannot read " + db.toAbsolutePath() + " as a Coffer database: " + root.getMessage());
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        /** @return a problem, or null */
        String run(T item) throws IOException;
    }

    /** Runs {@code step} for every item on a few threads (S3 round trips dominate); the problems found. */
    private static <T> List<String> parallel(List<T> items, Step<T> step) throws InterruptedException {
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    String p = step.run(item);
                    if (p != null) {
                        problems.add(p);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(String.valueOf(cause.getMessage()), cause);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Collections.sort(problems);
        return problems;
    }
}
