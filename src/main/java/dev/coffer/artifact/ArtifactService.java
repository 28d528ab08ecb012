package dev.coffer.artifact;

import com.github.benmanes.caffeine.cache.Cache;
import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.BlobStore;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.common.Invalidation;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Upload, download, list and delete files. Authorization is the caller's job and happens before
 * any method here is called; this class only keeps content and metadata consistent.
 *
 * <p>The work is done by small parts wired here: {@link Uploads} (staging, checksums, placing),
 * {@link FileCache} (hot file records), {@link Contents} (bytes, small ones from memory),
 * {@link BlobCollector} (content no file refers to) and {@link IntegrityCheck} (re-hashing).
 */
public final class ArtifactService {
    /** Files up to this size are kept in memory once read (poms, checksums, metadata). */
    static final int SMALL_FILE = 64 * 1024;

    private final ArtifactStore store;
    private final FileCache files;
    private final Contents contents;
    private final BlobCollector collector;
    private final Uploads uploads;
    private final IntegrityCheck integrity;

    public ArtifactService(
            ArtifactStore store, BlobStore blobs, Clock clock, BlobLocks locks, Invalidation invalidation) {
        this.store = Objects.requireNonNull(store);
        this.files = new FileCache(store, invalidation);
        this.contents = new Contents(blobs);
        this.collector = new BlobCollector(store, blobs, locks);
        this.uploads = new Uploads(store, blobs, clock, locks, collector, files);
        this.integrity = new IntegrityCheck(store, blobs);
    }

    /** The file-record cache, for its hit/miss meters only. */
    public Cache<?, ?> cacheForMetrics() {
        return files.forMetrics();
    }

    /** The file as the database has it now, replacing whatever was cached. */
    public Optional<FileRecord> reload(String repo, ArtifactPath path) {
        return files.reload(repo, path);
    }

    /** Checksums the client says it sent; null fields are not checked. */
    public record Expected(String sha256, String sha1, String md5) {
        public static final Expected NONE = new Expected(null, null, null);
    }

    public record Upload(
            String repo,
            ArtifactPath path,
            InputStream body,
            Expected expected,
            Map<String, List<String>> properties,
            boolean mayOverwrite,
            String username,
            long maxBytes) {}

    public record Uploaded(FileRecord file, boolean created) {}

    /** Maven replaces its metadata on every deploy; those files never need the delete right. */
    public static boolean isMavenMetadata(ArtifactPath path) {
        String n = path.name();
        return n.equals("maven-metadata.xml")
                || (n.startsWith("maven-metadata.xml.")
                        && Set.of("md5", "sha1", "sha256", "sha512")
                                .contains(n.substring("maven-metadata.xml.".length())));
    }

    /**
     * The file at {@code path}, from memory when it was read recently. Every change of a file goes
     * through this class and drops its record (a load racing the drop is dropped with it); other
     * nodes hear of it through the invalidation events. Absent files are not remembered.
     */
    public Optional<FileRecord> find(String repo, ArtifactPath path) {
        return files.find(repo, path);
    }

    /**
     * Streams the body into staging, verifies it and only then makes it visible: a failed or
     * interrupted upload leaves the previous version (or nothing).
     *
     * <p>The upload itself (size, checksums) is judged before anything that depends on what is
     * stored, so a bad upload answers the same whether or not the file exists (a caller without
     * {@code r} learns nothing from it). Whether it may be placed (a parent is a file, the path is
     * a folder, the file exists and may not be replaced) is decided by {@link ArtifactStore#place}
     * in the transaction that writes it, under the lock of the path, never of the content.
     */
    public Uploaded upload(Upload u) {
        return uploads.upload(u);
    }

    /**
     * An upload whose placement commits together with {@code alongside} (writes of another store on
     * the same database, run in the placement's transaction and under its locks): both or neither.
     */
    public Uploaded upload(Upload u, Runnable alongside) {
        return uploads.upload(u, java.util.Objects.requireNonNull(alongside));
    }

    /**
     * The whole content of a small file, from memory once read: a read-only buffer of its own
     * (position and limit are the caller's), or null for a file above {@link #SMALL_FILE}.
     * Failures as in {@link #open}.
     */
    public ByteBuffer smallContent(FileRecord file) {
        return contents.smallContent(file);
    }

    /**
     * The bytes of a file. Metadata that names a blob the store cannot find is a storage fault, not
     * an absent file: it is reported as unavailable (503), never as "not found".
     */
    public BlobHandle open(FileRecord file) {
        return contents.open(file);
    }

    /** Some file lies below {@code folder} (it is a folder, to whoever may see those files). */
    public boolean hasFilesBelow(String repo, ArtifactPath folder) {
        return store.hasFilesBelow(repo, folder);
    }

    /** Is there a file at {@code path}, or any file below it? */
    public boolean holdsAnythingAt(String repo, ArtifactPath path) {
        return (!path.isRoot() && files.find(repo, path).isPresent()) || store.hasFilesBelow(repo, path);
    }

    /** A direct child of a folder. */
    public record Child(String name, boolean folder, FileRecord file) {}

    /**
     * The direct children of {@code folder} that lead to something {@code readable} accepts: a file
     * when it accepts that file, a folder when it accepts some file below it (asked of every file
     * there, as they are). Empty when below a folder other than the root nothing is readable: such
     * a folder is, to this caller, one that does not exist.
     */
    public Optional<List<Child>> children(String repo, ArtifactPath folder, Predicate<ArtifactPath> readable) {
        int depth = folder.depth();
        Map<String, Child> out = new TreeMap<>();
        for (FileRecord f : store.listBelow(repo, folder)) {
            List<String> segs = f.path().segments();
            String name = segs.get(depth);
            boolean isFile = segs.size() == depth + 1;
            if (!isFile && out.containsKey(name)) {
                continue; // already shown: one readable file below is enough
            }
            if (readable.test(f.path())) {
                // a file and a folder of one name (left by an old race): the file is shown, as before
                out.put(name, isFile ? new Child(name, false, f) : new Child(name, true, null));
            }
        }
        if (out.isEmpty() && !folder.isRoot()) {
            return Optional.empty();
        }
        return Optional.of(new ArrayList<>(out.values()));
    }

    /**
     * Deletes a file, or a folder with everything below it, all or nothing: {@code mayDelete} is
     * asked about every file, in the transaction that deletes them and under the folder's lock
     * (see {@link ArtifactStore#deleteSubtree}). False when nothing was there.
     *
     * @throws CofferException Denied when some file may not be deleted; nothing was deleted then
     */
    public boolean delete(String repo, ArtifactPath path, Predicate<ArtifactPath> mayDelete) {
        Deletion result = store.deleteSubtree(repo, path, f -> mayDelete.test(f.path()));
        if (result instanceof Deletion.Refused) {
            // names and counts nothing: the caller may not be allowed to read what is there
            throw new CofferException(new Failure.Denied(
                    "forbidden",
                    path.isRoot()
                            ? "deleting everything in repository '" + repo
                                    + "' needs the delete (d) action on every file in it; nothing was deleted"
                            : "deleting '" + path
                                    + "' needs the delete (d) action on every file below it; nothing was deleted"));
        }
        List<FileRecord> deleted = ((Deletion.Deleted) result).files();
        if (!deleted.isEmpty()) {
            boolean oneFile = deleted.size() == 1 && deleted.get(0).path().equals(path);
            files.changed(repo, path.toString(), !oneFile);
        }
        Set<String> shas = new LinkedHashSet<>();
        deleted.forEach(f -> shas.add(f.checksums().sha256()));
        shas.forEach(collector::collect);
        return !deleted.isEmpty();
    }

    /** Deletes a repository through {@code deleteRow} and then the blobs only it referred to. */
    public void deleteRepository(String repo, Runnable deleteRow) {
        Set<String> shas = new LinkedHashSet<>();
        store.listBelow(repo, ArtifactPath.ROOT)
                .forEach(f -> shas.add(f.checksums().sha256()));
        deleteRow.run();
        files.changed(repo, "", true);
        shas.forEach(collector::collect);
    }

    public Map<String, List<String>> properties(String repo, ArtifactPath path) {
        return store.properties(repo, path);
    }

    /** Existence is decided by the store under the path's lock, with the write. */
    public void setProperties(String repo, ArtifactPath path, Map<String, List<String>> props) {
        if (!store.setProperties(repo, path, props)) {
            throw noFile(repo, path);
        }
    }

    public void deleteProperties(String repo, ArtifactPath path, Set<String> names) {
        if (!store.deleteProperties(repo, path, names)) {
            throw noFile(repo, path);
        }
    }

    private static CofferException noFile(String repo, ArtifactPath path) {
        return CofferException.notFound("there is no file '" + path + "' in repository '" + repo + "'");
    }

    public List<FileRecord> findByProperties(Map<String, String> required) {
        return store.findByProperties(required);
    }

    /**
     * Re-hashes every file's blob and compares size and all three checksums with the metadata
     * (bit rot, manual tampering, a lost blob). Returns how many files were checked.
     */
    public long verify(List<String> repositories, Consumer<IntegrityProblem> problems) {
        return integrity.verify(repositories, problems);
    }

    /** Deletes every blob that no file refers to (run at start, after a crash). */
    public int sweep() {
        return collector.sweep();
    }
}
