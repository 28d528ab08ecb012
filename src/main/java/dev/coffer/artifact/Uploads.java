package dev.coffer.artifact;

import dev.coffer.blob.BlobStore;
import dev.coffer.blob.Checksums;
import dev.coffer.blob.StagedBlob;
import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.util.Objects;

/**
 * Stores an upload all or nothing: the body is streamed into staging, verified, and only then made
 * visible; a failed or interrupted upload leaves the previous version (or nothing).
 */
final class Uploads {
    private final ArtifactStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final BlobLocks locks;
    private final BlobCollector collector;
    private final FileCache files;

    Uploads(
            ArtifactStore store,
            BlobStore blobs,
            Clock clock,
            BlobLocks locks,
            BlobCollector collector,
            FileCache files) {
        this.store = Objects.requireNonNull(store);
        this.blobs = Objects.requireNonNull(blobs);
        this.clock = Objects.requireNonNull(clock);
        this.locks = Objects.requireNonNull(locks);
        this.collector = Objects.requireNonNull(collector);
        this.files = Objects.requireNonNull(files);
    }

    /** See {@link ArtifactService#upload}. */
    ArtifactService.Uploaded upload(ArtifactService.Upload u) {
        return upload(u, null);
    }

    /**
     * See {@link ArtifactService#upload(ArtifactService.Upload, Runnable)}: {@code alongside} runs
     * after a successful placement, in its transaction and under its locks (blob, then path), so
     * the lock order stays the one every upload takes; if it throws, nothing is placed.
     */
    ArtifactService.Uploaded upload(ArtifactService.Upload u, Runnable alongside) {
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
                    FileRecord record = new FileRecord(
                            u.repo(),
                            u.path(),
                            staged.size(),
                            staged.checksums(),
                            now,
                            now,
                            u.username(),
                            u.username());
                    if (alongside == null) {
                        return store.place(record, u.properties(), u.mayOverwrite());
                    }
                    return store.atomically(() -> {
                        Placement p = store.place(record, u.properties(), u.mayOverwrite());
                        if (p instanceof Placement.Placed) {
                            alongside.run();
                        }
                        return p;
                    });
                });
            } catch (RuntimeException e) {
                collector.collect(sha); // the committed blob may now be referenced by nothing
                throw e;
            }
            if (placement instanceof Placement.Refused r) {
                collector.collect(sha);
                throw refused(r);
            }
            Placement.Placed placed = (Placement.Placed) placement;
            files.changed(u.repo(), u.path().toString(), false);
            placed.previous().ifPresent(p -> collector.collect(p.checksums().sha256()));
            return new ArtifactService.Uploaded(placed.file(), placed.previous().isEmpty());
        }
    }

    private static CofferException refused(Placement.Refused r) {
        return switch (r.reason()) {
            case EXISTS ->
                new CofferException(new Failure.Denied(
                        "overwrite_denied", "'" + r.where() + "' exists; replacing it needs the delete (d) action"));
            case PATH_IS_FOLDER -> CofferException.conflict("path_is_folder", "'" + r.where() + "' is a folder");
            case PARENT_IS_FILE ->
                CofferException.conflict("parent_is_file", "'" + r.where() + "' is a file, not a folder");
        };
    }

    private static void verify(ArtifactService.Expected expected, Checksums actual) {
        if (expected == null) {
            return;
        }
        mismatch("SHA-256", expected.sha256(), actual.sha256());
        mismatch("SHA-1", expected.sha1(), actual.sha1());
        mismatch("MD5", expected.md5(), actual.md5());
    }

    private static void mismatch(String algo, String expected, String actual) {
        if (expected != null && !expected.trim().equalsIgnoreCase(actual)) {
            throw CofferException.conflict(
                    "checksum_mismatch",
                    "the uploaded content does not match the " + algo + " checksum sent with it; nothing was stored");
        }
    }
}
