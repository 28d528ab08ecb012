package dev.coffer.virtual;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.common.ArtifactPath;
import dev.coffer.repository.Repository;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Remote members as {@link VirtualResolver#firstCached} sees them: a cached content file answers
 * from the cache, as the remote read would answer it without asking its upstream; anything else
 * (metadata, which is revalidated, or nothing cached at the path, which is fetched, remembered as
 * absent or listed as a folder) is {@link Undecided}: only the full read can tell what it answers.
 */
final class CachedOnly implements MemberContent {
    private final MemberContent cache;
    private final BiPredicate<Repository, ArtifactPath> servableAsCached;

    CachedOnly(MemberContent cache, BiPredicate<Repository, ArtifactPath> servableAsCached) {
        this.cache = Objects.requireNonNull(cache);
        this.servableAsCached = Objects.requireNonNull(servableAsCached);
    }

    @Override
    public Optional<FileRecord> find(Repository member, ArtifactPath path) {
        if (!servableAsCached.test(member, path)) {
            throw Undecided.INSTANCE;
        }
        Optional<FileRecord> cached = cache.find(member, path);
        if (cached.isEmpty()) {
            throw Undecided.INSTANCE;
        }
        return cached;
    }

    @Override
    public BlobHandle open(FileRecord file) {
        return cache.open(file);
    }

    @Override
    public Optional<List<ArtifactService.Child>> children(
            Repository member, ArtifactPath folder, Predicate<ArtifactPath> readable) {
        return cache.children(member, folder, readable);
    }

    @Override
    public boolean holdsAnythingAt(Repository member, ArtifactPath path) {
        return cache.holdsAnythingAt(member, path);
    }
}
