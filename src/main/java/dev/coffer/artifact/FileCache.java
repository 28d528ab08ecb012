package dev.coffer.artifact;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.Invalidation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Hot file records, so a download needs no database round trip. Every change of a file goes
 * through the artifact service, which reports it here ({@link #changed}); a load racing the drop is
 * dropped with it. Other nodes hear of changes through the invalidation events. Absent files are
 * not remembered.
 */
final class FileCache {
    private record FileKey(String repo, String path) {}

    private final ArtifactStore store;
    private final Invalidation invalidation;
    private final Cache<FileKey, FileRecord> files;

    FileCache(ArtifactStore store, Invalidation invalidation) {
        this.store = Objects.requireNonNull(store);
        this.invalidation = Objects.requireNonNull(invalidation);
        // cache upkeep on the reading thread, not a wake-up of the common pool (see CredentialService)
        this.files = Caffeine.newBuilder()
                .maximumSize(50_000)
                .expireAfterWrite(Duration.ofMinutes(10))
                .executor(Runnable::run)
                .recordStats()
                .build();
        invalidation.subscribe(e -> {
            if (e instanceof Invalidation.FilesChanged f) {
                forget(f.repo(), f.path(), f.subtree());
            } else if (e instanceof Invalidation.Everything) {
                files.invalidateAll();
            }
        });
    }

    /** The cache itself, for its hit/miss meters only. */
    Cache<?, ?> forMetrics() {
        return files;
    }

    Optional<FileRecord> find(String repo, ArtifactPath path) {
        return Optional.ofNullable(files.get(
                new FileKey(repo, path.toString()), k -> store.find(repo, path).orElse(null)));
    }

    /** The file as the database has it now, replacing whatever was cached. */
    Optional<FileRecord> reload(String repo, ArtifactPath path) {
        files.invalidate(new FileKey(repo, path.toString()));
        return find(repo, path);
    }

    /** This node drops its records at once; the event tells the other nodes. */
    void changed(String repo, String path, boolean subtree) {
        invalidation.publish(new Invalidation.FilesChanged(repo, path, subtree));
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
}
