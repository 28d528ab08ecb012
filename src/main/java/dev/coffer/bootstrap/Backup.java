package dev.coffer.bootstrap;

import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.BlobStore;
import dev.coffer.blob.StagedBlob;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;

/**
 * Backup and restore of an embedded instance as one zip file:
 * {@code coffer-backup.properties} (format and counts), {@code coffer.db} (an online SQLite
 * snapshot made with {@code VACUUM INTO}, consistent while a server writes) and
 * {@code blobs/<sha256>} for every blob that snapshot refers to. Blobs are immutable and named
 * by their content, so copying them after the snapshot is consistent as long as each one the
 * snapshot names is still there; one deleted in between (a concurrent delete or overwrite) makes
 * the attempt start over. Everything streams: no file is held in memory.
 *
 * <p>A restore never trusts the names inside the archive: every blob is re-hashed through the
 * blob store as it is written, and one whose content does not match its name stops the restore.
 */
final class Backup {
    static final String MANIFEST = "coffer-backup.properties";
    static final String DATABASE = "coffer.db";
    static final String BLOB_PREFIX = "blobs/";
    static final String FORMAT = "1";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 128 * 1024;

    private Backup() {}

    /** What a backup or restore did. */
    record Summary(long files, long blobs, long bytes) {}

    /** A blob the snapshot names was deleted before it could be copied (a concurrent change): try again. */
    static final class BlobGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BlobGone(String sha) {
            super("blob " + sha + " disappeared while backing up", null, false, false);
        }
    }

    /** Writes the backup to {@code target} (via a temporary file beside it, renamed at the end). */
    static Summary backup(DataSource db, BlobStore blobs, Path blobFiles, Path target)
            throws IOException, java.sql.SQLException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path snapshot = Files.createTempFile(dir, ".coffer-snapshot-", ".db");
        Path partial = Files.createTempFile(dir, ".coffer-backup-", ".partial");
        Path pins = blobFiles.resolveSibling("backup-pins-" + java.util.UUID.randomUUID());
        try {
            // Pin every blob that exists before the snapshot with a hard link (same filesystem, no
            // copy): a delete or overwrite on the running server cannot take it away before it
            // is copied. Only blobs written after this point can still vanish (then: start over).
            java.util.Set<String> pinned = pin(blobFiles, pins);
            Files.delete(snapshot); // VACUUM INTO needs a file that does not exist yet
            try (Connection c = db.getConnection();
                    Statement st = c.createStatement()) {
                st.execute("VACUUM INTO '" + snapshot.toString().replace("'", "''") + "'");
            }
            // the unpinned (newest) blobs first: they are the ones a concurrent delete could take
            java.util.List<String> shas = new java.util.ArrayList<>();
            TreeSet<String> late = new TreeSet<>();
            long files;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + snapshot);
                    Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM files")) {
                    rs.next();
                    files = rs.getLong(1);
                }
                try (ResultSet rs = st.executeQuery("SELECT DISTINCT sha256 FROM files")) {
                    while (rs.next()) {
                        String sha = rs.getString(1);
                        if (pinned.contains(sha)) {
                            shas.add(sha);
                        } else {
                            late.add(sha);
                        }
                    }
                    shas.addAll(0, late);
                }
            }
            // Blobs written between the walk and the snapshot are pinned now, by name, at once: a
            // busy server replaces such files within milliseconds (the walk alone was too slow).
            for (String sha : late) {
                Path f = blobFiles
                        .resolve(sha.substring(0, 2))
                        .resolve(sha.substring(2, 4))
                        .resolve(sha);
                try {
                    Files.createLink(pins.resolve(sha), f);
                    pinned.add(sha);
                } catch (UnsupportedOperationException | IOException e) {
                    // gone already (then: start over), or no hard links here (copied live below)
                }
            }
            long bytes = 0;
            try (OutputStream raw = Files.newOutputStream(partial);
                    ZipOutputStream zip = new ZipOutputStream(raw)) {
                zip.setLevel(Deflater.BEST_SPEED);
                Properties manifest = new Properties();
                manifest.setProperty("format", FORMAT);
                manifest.setProperty("created", Instant.now().toString());
                manifest.setProperty("files", String.valueOf(files));
                manifest.setProperty("blobs", String.valueOf(shas.size()));
                zip.putNextEntry(new ZipEntry(MANIFEST));
                manifest.store(zip, "Coffer backup"); // does not close the stream
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(DATABASE));
                Files.copy(snapshot, zip);
                zip.closeEntry();
                for (String sha : shas) {
                    if (pinned.contains(sha)) {
                        zip.putNextEntry(new ZipEntry(BLOB_PREFIX + sha));
                        bytes += Files.copy(pins.resolve(sha), zip);
                        zip.closeEntry();
                        continue;
                    }
                    BlobHandle blob;
                    try {
                        blob = blobs.open(sha);
                    } catch (CofferException e) {
                        if (e.failure() instanceof Failure.NotFound) {
                            throw new BlobGone(sha);
                        }
                        throw e;
                    }
                    zip.putNextEntry(new ZipEntry(BLOB_PREFIX + sha));
                    try (InputStream in = blob.openStream(0, blob.size())) {
                        bytes += in.transferTo(zip);
                    } catch (CofferException | IOException e) {
                        if (!blobs.exists(sha)) {
                            throw new BlobGone(sha);
                        }
                        throw e;
                    }
                    zip.closeEntry();
                }
                zip.finish();
                raw.flush();
            }
            try (var ch = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Summary(files, shas.size(), bytes);
        } finally {
            Files.deleteIfExists(snapshot);
            Files.deleteIfExists(partial);
            deleteTree(pins);
        }
    }

    /** Hard-links every blob file under {@code blobFiles} into {@code pins}; empty where links are impossible. */
    private static java.util.Set<String> pin(Path blobFiles, Path pins) throws IOException {
        java.util.Set<String> pinned = new java.util.HashSet<>();
        if (!Files.isDirectory(blobFiles)) {
            return pinned;
        }
        Files.createDirectories(pins);
        try (java.util.stream.Stream<Path> walk = Files.walk(blobFiles)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                String name = f.getFileName().toString();
                if (!SHA256.matcher(name).matches() || !Files.isRegularFile(f)) {
                    continue;
                }
                try {
                    Files.createLink(pins.resolve(name), f);
                    pinned.add(name);
                } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.NoSuchFileException e) {
                    // deleted meanwhile, or already pinned: nothing to keep
                } catch (UnsupportedOperationException | IOException e) {
                    return pinned; // no hard links here: copy from the live store (and start over on a race)
                }
            }
        } catch (java.io.UncheckedIOException e) {
            // a folder vanished during the walk (a delete on the server): what is pinned stays pinned
        }
        return pinned;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Unpacks a backup: the database to {@code databaseFile}, every blob through {@code blobs}
     * (re-hashed on the way). The caller has checked that the data folder is empty.
     */
    static Summary restore(Path from, Path databaseFile, BlobStore blobs) throws IOException {
        boolean manifest = false;
        boolean database = false;
        long count = 0;
        long bytes = 0;
        try (InputStream raw = Files.newInputStream(from);
                ZipInputStream zip = new ZipInputStream(raw)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (name.equals(MANIFEST)) {
                    Properties p = new Properties();
                    p.load(new java.io.InputStreamReader(zip, StandardCharsets.ISO_8859_1));
                    if (!FORMAT.equals(p.getProperty("format"))) {
                        throw new IllegalArgumentException(from + " is a backup of format '" + p.getProperty("format")
                                + "'; this version reads format " + FORMAT);
                    }
                    manifest = true;
                } else if (name.equals(DATABASE)) {
                    Files.createDirectories(databaseFile.toAbsolutePath().getParent());
                    Files.copy(zip, databaseFile, StandardCopyOption.REPLACE_EXISTING);
                    database = true;
                } else if (name.startsWith(BLOB_PREFIX)
                        && SHA256.matcher(name.substring(BLOB_PREFIX.length())).matches()) {
                    String sha = name.substring(BLOB_PREFIX.length());
                    try (StagedBlob staged = blobs.stage(zip, -1)) {
                        if (!staged.checksums().sha256().equals(sha)) {
                            throw new IllegalArgumentException("the backup is damaged: the content of " + name
                                    + " hashes to " + staged.checksums().sha256());
                        }
                        staged.commit();
                        bytes += staged.size();
                    }
                    count++;
                } else {
                    throw new IllegalArgumentException(from + " holds an unexpected entry '"
                            + name.replaceAll("\\p{Cntrl}", "?") + "'; is it a Coffer backup?");
                }
                zip.closeEntry();
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(from + " is not a readable Coffer backup: " + e.getMessage());
        }
        if (!manifest || !database) {
            throw new IllegalArgumentException(
                    from + " is not a complete Coffer backup (no " + (manifest ? DATABASE : MANIFEST) + ")");
        }
        return new Summary(-1, count, bytes);
    }
}
