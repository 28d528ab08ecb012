package dev.coffer.bootstrap;

import dev.coffer.blob.BlobStore;
import dev.coffer.blob.TempFileStagedBlob;
import dev.coffer.config.Backends;
import dev.coffer.config.Settings;
import dev.coffer.persistence.Database;
import dev.coffer.persistence.MetadataCopy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

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
    private final Path from;
    private final Path fromKeyFile;
    private final Function<Path, Settings> target;
    private final boolean verifyContent;
    private final PrintWriter progress;

    /**
     * @param target the target's settings, given the folder for temporary files ({@code null}: the
     *        configured data folder)
     */
    Migration(
            Path from, Path fromKeyFile, Function<Path, Settings> target, boolean verifyContent, PrintWriter progress) {
        this.from = from;
        this.fromKeyFile = fromKeyFile == null ? from.resolve("secrets.key") : fromKeyFile;
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
    record Summary(
            List<MetadataCopy.TableState> tables,
            long blobsCopied,
            long blobsSkipped,
            long bytesCopied,
            long blobsVerified,
            boolean contentVerified,
            List<String> problems) {}

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
        byte[] key = sourceKey(configured.secretsKeyFile());
        if (Files.isRegularFile(from.resolve("coffer.db-wal")) && Files.size(from.resolve("coffer.db-wal")) > 0) {
            progress.println("coffer: note: " + from.resolve("coffer.db-wal") + " is not empty: if a server still "
                    + "runs on " + from + ", stop it; changes made after the snapshot are not migrated");
        }
        Path work = Files.createTempDirectory("coffer-migrate-");
        try {
            Path snapshot = work.resolve("source.db");
            SourceSnapshot.take(db, snapshot);
            try (Database source = SourceSnapshot.open(db, snapshot);
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
                        ? target.apply(work)
                        : configured;
                try (BlobStore blobs = StorageBackends.blobs(storage, TempFileStagedBlob.DELETE_AT_ONCE)) {
                    Summary sum = migrate(source.dataSource(), dest.dataSource(), copy, blobs);
                    installKey(key, configured.secretsKeyFile());
                    return sum;
                }
            }
        } finally {
            Backup.deleteTree(work);
        }
    }

    /**
     * The source's secrets key (it decrypts the upstream passwords that are copied as they are
     * stored), or null when the source has none. Refused before anything is copied when the target
     * already has another key: the copied passwords would not open there.
     */
    private byte[] sourceKey(Path targetKey) throws IOException {
        if (!Files.exists(fromKeyFile)) {
            return null;
        }
        byte[] key = SecretsKeyFile.read(fromKeyFile);
        if (Files.exists(targetKey) && !java.security.MessageDigest.isEqual(key, SecretsKeyFile.read(targetKey))) {
            throw new Refused("the target's secrets key file " + targetKey.toAbsolutePath() + " (secrets.key-file) "
                    + "holds another key than the source's " + fromKeyFile.toAbsolutePath() + ", so the upstream "
                    + "passwords of remote repositories would not open there; remove it, or set secrets.key-file to a "
                    + "copy of the source's");
        }
        return key;
    }

    private void installKey(byte[] key, Path targetKey) throws IOException {
        if (key == null) {
            return;
        }
        if (!Files.exists(targetKey)) {
            SecretsKeyFile.install(targetKey, key);
            progress.println("coffer: copied the secrets key file " + fromKeyFile.toAbsolutePath() + " to "
                    + targetKey.toAbsolutePath());
        }
        progress.println("coffer: note: every node of the target needs this same secrets key file "
                + "(secrets.key-file); it decrypts the upstream passwords of remote repositories");
    }

    private Summary migrate(DataSource source, DataSource dest, MetadataCopy copy, BlobStore blobs)
            throws SQLException, InterruptedException {
        BlobTransfer transfer = new BlobTransfer(from.resolve("store"), blobs, verifyContent);
        List<BlobTransfer.Blob> needed = BlobTransfer.referencedBy(source);
        progress.println("coffer: copying " + needed.size() + " blobs");
        BlobTransfer.Copied copied = transfer.copy(needed);
        List<String> missing = copied.problems();
        if (!missing.isEmpty()) {
            throw new Refused(missing.size() + " of the source's blobs cannot be copied (first: " + missing.get(0)
                    + "); run 'coffer verify --data " + from + "'; the target database was left empty");
        }
        progress.println("coffer: copied " + copied.copied() + " blobs (" + copied.bytes() + " bytes), "
                + copied.skipped() + " were there already; copying the metadata");
        copy.copy();

        progress.println("coffer: verifying" + (verifyContent ? " (re-reading every blob from the target)" : ""));
        List<String> problems = new ArrayList<>();
        List<MetadataCopy.TableState> before = copy.sourceState();
        List<MetadataCopy.TableState> after = copy.targetState();
        for (int i = 0; i < before.size(); i++) {
            MetadataCopy.TableState b = before.get(i);
            MetadataCopy.TableState a = after.get(i);
            if (b.rows() != a.rows()) {
                problems.add(
                        "table " + b.table() + ": " + b.rows() + " rows in the source, " + a.rows() + " in the target");
            } else if (!b.digest().equals(a.digest())) {
                problems.add("table " + b.table() + ": the rows differ in content");
            }
        }
        List<BlobTransfer.Blob> referenced = BlobTransfer.referencedBy(dest);
        problems.addAll(transfer.check(referenced));
        return new Summary(
                after, copied.copied(), copied.skipped(), copied.bytes(), referenced.size(), verifyContent, problems);
    }
}
