package dev.coffer.bootstrap;

import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.BlobStore;
import dev.coffer.blob.StagedBlob;
import dev.coffer.blob.fs.FsBlobStore;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The blob half of {@code coffer migrate}: copies the blobs the source's files name from its file
 * store into the target store, each re-hashed on the way through {@link BlobStore#stage}, and then
 * checks that every blob the target's files name is there (and, on request, hashes right).
 */
final class BlobTransfer {
    /** A blob named by a database's files, with the size its metadata gives. */
    record Blob(String sha256, long size) {}

    /** What a copy did; {@code problems} names blobs that could not be copied (empty: all went). */
    record Copied(long copied, long skipped, long bytes, List<String> problems) {}

    private final Path store;
    private final BlobStore target;
    private final boolean verifyContent;

    /** @param store the source's file store folder, @param verifyContent whether checks re-read every blob */
    BlobTransfer(Path store, BlobStore target, boolean verifyContent) {
        this.store = store;
        this.target = target;
        this.verifyContent = verifyContent;
    }

    /** Every blob the files of {@code db} name, once, by hash. */
    static List<Blob> referencedBy(DataSource db) throws SQLException {
        List<Blob> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT sha256, MAX(size) FROM files GROUP BY sha256 ORDER BY sha256")) {
            while (rs.next()) {
                out.add(new Blob(rs.getString(1).trim(), rs.getLong(2)));
            }
        }
        return out;
    }

    /** Copies {@code needed} that the target lacks; blobs already there are skipped. */
    Copied copy(List<Blob> needed) throws InterruptedException {
        AtomicLong copied = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        // FsBlobStore creates its folders when missing; an instance without any upload has none,
        // and migrate must not add them to the source
        BlobStore origin = Files.isDirectory(store.resolve("blobs")) && Files.isDirectory(store.resolve("tmp"))
                ? new FsBlobStore(store)
                : null;
        List<String> problems = Parallel.problems(needed, b -> {
            if (target.exists(b.sha256())) {
                skipped.incrementAndGet();
                return null;
            }
            if (origin == null || !origin.exists(b.sha256())) {
                return "blob " + b.sha256() + " is missing from " + store;
            }
            BlobHandle h = origin.open(b.sha256());
            try (InputStream in = h.openStream(0, h.size());
                    StagedBlob staged = target.stage(in, -1)) {
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
        return new Copied(copied.get(), skipped.get(), bytes.get(), problems);
    }

    /** The problems found with {@code referenced} in the target store (empty: all there). */
    List<String> check(List<Blob> referenced) throws InterruptedException {
        return Parallel.problems(referenced, this::check);
    }

    /** One target blob: present, of the size the metadata gives, and (with content checks) of that hash. */
    private String check(Blob b) throws IOException {
        BlobHandle h;
        try {
            h = target.open(b.sha256());
        } catch (CofferException e) {
            if (e.failure() instanceof Failure.NotFound) {
                return "blob " + b.sha256() + " is missing from the target store";
            }
            throw e;
        }
        if (h.size() != b.size()) {
            return "blob " + b.sha256() + " has " + h.size() + " bytes in the target store, the metadata says "
                    + b.size();
        }
        if (!verifyContent) {
            return null;
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
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
}
