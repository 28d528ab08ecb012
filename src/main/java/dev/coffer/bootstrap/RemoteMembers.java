package dev.coffer.bootstrap;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.common.ArtifactPath;
import dev.coffer.remote.Delivery;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.Repository;
import dev.coffer.virtual.LocalMemberContent;
import dev.coffer.virtual.MemberContent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Remote members of virtual repositories: a file a virtual repository asks a remote member for is
 * read as a direct request would read it (fetched, verified and cached on first use, revalidated
 * when it is metadata, 502 when the upstream is down and nothing is cached): a large one sent to
 * a plain download while it is cached, anything else stored before it is served. Listings and
 * namespace questions are answered from what is cached: a virtual repository never lists an
 * upstream.
 */
final class RemoteMembers implements MemberContent {
    private final RemoteRepositories remote;
    private final LocalMemberContent cached;

    RemoteMembers(RemoteRepositories remote, ArtifactService artifacts) {
        this.remote = Objects.requireNonNull(remote);
        this.cached = new LocalMemberContent(artifacts);
    }

    @Override
    public Optional<FileRecord> find(Repository member, ArtifactPath path) {
        // no delivery: stored first, so a checksum mismatch is still a clean 502 through the virtual
        return answer(member, path, null).map(Found::file);
    }

    @Override
    public Optional<Found> answer(Repository member, ArtifactPath path, Delivery delivery) {
        RemoteRepositories.Read read = remote.read(member, path, delivery, null);
        if (read instanceof RemoteRepositories.Read.Cached c) {
            return Optional.of(new Found(c.file(), c.fetched(), c.stale(), false));
        }
        if (read instanceof RemoteRepositories.Read.Streamed s) {
            return Optional.of(new Found(s.file(), true, false, true));
        }
        return Optional.empty(); // a folder of the cache, not a file
    }

    @Override
    public BlobHandle open(FileRecord file) {
        return cached.open(file);
    }

    @Override
    public Optional<List<ArtifactService.Child>> children(
            Repository member, ArtifactPath folder, Predicate<ArtifactPath> readable) {
        return cached.children(member, folder, readable);
    }

    @Override
    public boolean holdsAnythingAt(Repository member, ArtifactPath path) {
        return cached.holdsAnythingAt(member, path);
    }
}
