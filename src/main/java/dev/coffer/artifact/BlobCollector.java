package dev.coffer.artifact;

import dev.coffer.blob.BlobStore;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection of content: a blob goes once no file refers to it. Each decision is taken
 * under the blob's lock, the one an upload holds while it commits the content and refers to it, so
 * a cleanup (on any node) either runs before that upload, which then puts the content back, or
 * after, and sees the new reference.
 */
final class BlobCollector {
    // under the service's name, as before the split: log settings and alerts name it
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactService.class);

    private final ArtifactStore store;
    private final BlobStore blobs;
    private final BlobLocks locks;

    BlobCollector(ArtifactStore store, BlobStore blobs, BlobLocks locks) {
        this.store = Objects.requireNonNull(store);
        this.blobs = Objects.requireNonNull(blobs);
        this.locks = Objects.requireNonNull(locks);
    }

    /** Removes the blob when no file refers to it any more. */
    void collect(String sha256) {
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

    /** Deletes every blob that no file refers to (run at start, after a crash); how many went. */
    int sweep() {
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
