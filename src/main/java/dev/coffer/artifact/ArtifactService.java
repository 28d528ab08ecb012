package dev.coffer.artifact;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.common.Invalidation;
import java.time.Duration;
import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.BlobStore;
import dev.coffer.blob.Checksums;
import dev.coffer.blob.StagedBlob;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upload, download, list and delete files. Authorization is the caller's job and happens before
 * any method here is called; this class only keeps content and metadata consistent.
 */
public final class ArtifactService {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactService.class);

    private final ArtifactStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final BlobLocks locks;
    private final Invalidation invalidation;
    /** Hot file records, so a download needs no database round trip; see {@link #find}. */
    private final Cache<FileKey, FileRecord> files;
    /**
     * Contents of small files by SHA-256: immutable, so never stale, on any node. Held off the heap
     * (read-only): the socket takes them without the copy into a temporary direct buffer that a
     * heap array costs on every write.
     */
    private final Cache<String, java.nio.ByteBuffer> smallContents;

    private record FileKey(String repo, String path) {}

    /** Files up to this size are kept in memory once read (poms, checksums, metadata). */
    static final int SMALL_FILE = 64 * 1024;

    public ArtifactService(ArtifactStore store, BlobStore blobs, Clock clock, BlobLocks locks,
            Invalidation invalidation) {
        this.store = Objects.requireNonNull(store);
        this.blobs = Objects.requireNonNull(blobs);
        this.clock = Objects.requireNonNull(clock);
        this.locks = Objects.requireNonNull(locks);
        this.invalidation = Objects.requireNonNull(invalidation);
        // cache upkeep on the reading thread, not a wake-up of the common pool (see CredentialService)
        this.files = Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(Duration.ofMinutes(10))
                .executor(Runnable::run).recordStats().build();
        // at most 64 MiB, and no more than an eighth of -Xmx (direct memory is capped at -Xmx by default)
        this.smallContents = Caffeine.newBuilder()
                .maximumWeight(Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 8))
                .weigher((String k, java.nio.ByteBuffer v) -> v.capacity() + 64).executor(Runnable::run)
                .recordStats().build();
        invalidation.subscribe(e -> {
            if (e instanceof Invalidation.FilesChanged f) {
                forget(f.repo(), f.path(), f.subtree());
            } else if (e instanceof Invalidation.Everything) {
                files.invalidateAll();
            }
        });
    }

    /** The file-record cache, for its hit/miss meters only. */
    public Cache<?, ?> cacheForMetrics() {
        return files;
    }

    /** The file as the database has it now, replacing whatever was cached. */
    public Optional<FileRecord> reload(String repo, ArtifactPath path) {
        files.invalidate(new FileKey(repo, path.toString()));
        return find(repo, path);
    }

    /** Drops the cached record of {@code path} and, for a subtree, of everything below it (a scan). */
    private void forget(String repo, String path, boolean subtree) {
        files.invalidate(new FileKey(repo, path));
        if (!subtree) {
            return; // an upload: one key, no scan of the cache on the write path
        }
        String below = path.isEmpty() ? "" : path + "/";
        files.asMap().keySet().removeIf(k -> k.repo().equals(repo) && k.path().startsWith(below));
    }

    /** This node drops its records at once; the event tells the other nodes. */
    private void changed(String repo, String path, boolean subtree) {
        invalidation.publish(new Invalidation.FilesChanged(repo, path, subtree));
    }

    /** Checksums the client says it sent; null fields are not checked. */
    public record Expected(String sha256, String sha1, String md5) {
        public static final Expected NONE = new Expected(null, null, null);
    }

    public record Upload(String repo, ArtifactPath path, InputStream body, Expected expected,
            Map<String, List<String>> properties, boolean mayOverwrite, String username, long maxBytes) {}

    public record Uploaded(FileRecord file, boolean created) {}

    /** Maven replaces its metadata on every deploy; those files never need the delete right. */
    public static boolean isMavenMetadata(ArtifactPath path) {
        String n = path.name();
        return n.equals("maven-metadata.xml")
                || (n.startsWith("maven-metadata.xml.") && Set.of("md5", "sha1", "sha256", "sha512")
                        .contains(n.substring("maven-metadata.xml.".length())));
    }

    /**
     * The file at {@code path}, from memory when it was read recently. Every change of a file goes
     * through this class and drops its record (a load racing the drop is dropped with it); other
     * nodes hear of it through the invalidation events. Absent files are not remembered.
     */
    public Optional<FileRecord> find(String repo, ArtifactPath path) {
        return Optional.ofNullable(files.get(new FileKey(repo, path.toString()),
                k -> store.find(repo, path).orElse(null)));
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
        if (u.path().isRoot()) {
            throw CofferException.invalid("path_invalid", "a file path is needed to upload");
        }
        try (StagedBlob staged = blobs.stage(u.body(), u.maxBytes())) {
            verify(u.expected(), staged.checksums());
            // an early answer, so that refused content is not committed to the store; place() decides
            store.refusal(u.repo(), u.path(), u.mayOverwrite()).ifPresent(r -> {
                throw refused(r);
            });
            String sha = staged.checksums().sha256();
            // Committing the content and referring to it happen under one lock per blob, so a
            // cleanup (on any node) either ran before, and the commit puts the content back, or
            // runs after and sees the new reference. (With PostgreSQL this holds one pooled
            // connection while the content goes to the store.) The path's lock is taken after the
            // blob's, inside it: always in that order, so the two kinds of lock cannot deadlock.
            Placement placement;
            try {
                placement = locks.locked(sha, () -> {
                    staged.commit();
                    long now = clock.millis();
                    return store.place(new FileRecord(u.repo(), u.path(), staged.size(), staged.checksums(), now, now,
                            u.username(), u.username()), u.properties(), u.mayOverwrite());
                });
            } catch (RuntimeException e) {
                collect(sha); // the committed blob may now be referenced by nothing
                throw e;
            }
            if (placement instanceof Placement.Refused r) {
                collect(sha);
                throw refused(r);
            }
            Placement.Placed placed = (Placement.Placed) placement;
            changed(u.repo(), u.path().toString(), false);
            placed.previous().ifPresent(p -> collect(p.checksums().sha256()));
            return new Uploaded(placed.file(), placed.previous().isEmpty());
        }
    }

    private static CofferException refused(Placement.Refused r) {
        return switch (r.reason()) {
            case EXISTS -> new CofferException(new Failure.Denied("overwrite_denied",
                    "'" + r.where() + "' exists; replacing it needs the delete (d) action"));
            case PATH_IS_FOLDER -> CofferException.conflict("path_is_folder", "'" + r.where() + "' is a folder");
            case PARENT_IS_FILE -> CofferException.conflict("parent_is_file",
                    "'" + r.where() + "' is a file, not a folder");
        };
    }

    private static void verify(Expected expected, Checksums actual) {
        if (expected == null) {
            return;
        }
        mismatch("SHA-256", expected.sha256(), actual.sha256());
        mismatch("SHA-1", expected.sha1(), actual.sha1());
        mismatch("MD5", expected.md5(), actual.md5());
    }

    private static void mismatch(String algo, String expected, String actual) {
        if (expected != null && !expected.trim().equalsIgnoreCase(actual)) {
            throw CofferException.conflict("checksum_mismatch",
                    "the uploaded content does not match the " + algo + " checksum sent with it; nothing was stored");
        }
    }

    /**
     * The whole content of a small file, from memory once read: a read-only buffer of its own
     * (position and limit are the caller's), or null for a file above {@link #SMALL_FILE}.
     * Failures as in {@link #open}.
     */
    public java.nio.ByteBuffer smallContent(FileRecord file) {
        if (file.size() > SMALL_FILE) {
            return null;
        }
        return stored(file, () -> smallContents.get(file.checksums().sha256(), this::readSmall)).duplicate();
    }

    /**
     * The bytes of a file. Metadata that names a blob the store cannot find is a storage fault, not
     * an absent file: it is reported as unavailable (503), never as "not found".
     */
    public BlobHandle open(FileRecord file) {
        if (file.size() <= SMALL_FILE) {
            return new BytesHandle(smallContent(file));
        }
        return stored(file, () -> blobs.open(file.checksums().sha256()));
    }

    /** Runs a read of {@code file}'s content, reporting a missing blob as the storage fault it is. */
    private <T> T stored(FileRecord file, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (CofferException e) {
            if (e.failure() instanceof Failure.NotFound) {
                LOG.error("blob {} of {}/{} is missing from the store", file.checksums().sha256(), file.repo(), file.path());
                throw new CofferException(new Failure.Unavailable("storage_inconsistent",
                        "the content of this file cannot be read from storage"), e);
            }
            throw e;
        }
    }

    private java.nio.ByteBuffer readSmall(String sha) {
        dev.coffer.common.MemoryOnly.check();
        BlobHandle h = blobs.open(sha);
        try (java.io.InputStream in = h.openStream(0, h.size())) {
            byte[] bytes = in.readAllBytes();
            return java.nio.ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
        } catch (java.io.IOException e) {
            throw CofferException.unavailable("the content of this file cannot be read from storage", e);
        }
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
            throw new CofferException(new Failure.Denied("forbidden", path.isRoot()
                    ? "deleting everything in repository '" + repo
                            + "' needs the delete (d) action on every file in it; nothing was deleted"
                    : "deleting '" + path + "' needs the delete (d) action on every file below it; nothing was deleted"));
        }
        List<FileRecord> deleted = ((Deletion.Deleted) result).files();
        if (!deleted.isEmpty()) {
            boolean oneFile = deleted.size() == 1 && deleted.get(0).path().equals(path);
            changed(repo, path.toString(), !oneFile);
        }
        Set<String> shas = new LinkedHashSet<>();
        deleted.forEach(f -> shas.add(f.checksums().sha256()));
        shas.forEach(this::collect);
        return !deleted.isEmpty();
    }

    /** Deletes a repository through {@code deleteRow} and then the blobs only it referred to. */
    public void deleteRepository(String repo, Runnable deleteRow) {
        Set<String> shas = new LinkedHashSet<>();
        store.listBelow(repo, ArtifactPath.ROOT).forEach(f -> shas.add(f.checksums().sha256()));
        deleteRow.run();
        changed(repo, "", true);
        shas.forEach(this::collect);
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

    /** Removes the blob when no file refers to it any more. */
    public void collect(String sha256) {
        try {
            locks.locked(sha256, () -> {
                if (!store.isReferenced(sha256)) {
                    blobs.delete(sha256);
                }
                return null;
            });
        } catch (RuntimeException e) {
            // an unreferenced blob costs only space; the next sweep removes it
            LOG.warn("could not collect blob {}: {}", sha256, e.getMessage());
        }
    }

    /** A file whose stored bytes do not match its metadata. */
    public record Problem(String repo, String path, String what) {}

    /**
     * Re-hashes every file's blob and compares size and all three checksums with the metadata
     * (bit rot, manual tampering, a lost blob). Returns how many files were checked.
     */
    public long verify(List<String> repositories, java.util.function.Consumer<Problem> problems) {
        long checked = 0;
        byte[] buf = new byte[128 * 1024];
        for (String repo : repositories) {
            for (FileRecord f : store.listBelow(repo, ArtifactPath.ROOT)) {
                checked++;
                String path = f.path().toString();
                try {
                    BlobHandle blob = blobs.open(f.checksums().sha256());
                    if (blob.size() != f.size()) {
                        problems.accept(new Problem(repo, path, "size is " + blob.size() + ", metadata says " + f.size()));
                        continue;
                    }
                    dev.coffer.blob.MultiDigest digest = new dev.coffer.blob.MultiDigest();
                    try (InputStream in = blob.openStream(0, blob.size())) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            digest.update(buf, 0, n);
                        }
                    }
                    Checksums actual = digest.finish();
                    if (!actual.equals(f.checksums())) {
                        problems.accept(new Problem(repo, path, "content hashes to sha256 " + actual.sha256()
                                + ", metadata says " + f.checksums().sha256()));
                    }
                } catch (CofferException e) {
                    problems.accept(new Problem(repo, path, e.getMessage()));
                } catch (java.io.IOException e) {
                    problems.accept(new Problem(repo, path, "cannot read the blob: " + e.getMessage()));
                }
            }
        }
        return checked;
    }

    /** Deletes every blob that no file refers to (run at start, after a crash). */
    public int sweep() {
        int removed = 0;
        try (var all = blobs.list()) {
            for (String sha : (Iterable<String>) all::iterator) {
                boolean deleted = locks.locked(sha, () -> {
                    if (store.isReferenced(sha)) {
                        return false;
                    }
                    blobs.delete(sha);
                    return true;
                });
                if (deleted) {
                    removed++;
                }
            }
        }
        return removed;
    }
}
