package dev.coffer.virtual;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.repository.Repository;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A member's content as the artifact store holds it under the member's name: a local repository's
 * files, or what a remote repository has cached (its cache lives in its own namespace).
 */
public final class LocalMemberContent implements MemberContent {
    private final ArtifactService artifacts;

    public LocalMemberContent(ArtifactService artifacts) {
        this.artifacts = Objects.requireNonNull(artifacts);
    }

    @Override
    public Optional<FileRecord> find(Repository member, ArtifactPath path) {
        return artifacts.find(member.name(), path);
    }

    /**
     * Another node may have replaced or deleted the file a moment ago: a cached record whose
     * content is gone is read again once before it is an error (as the local download does).
     */
    @Override
    public BlobHandle open(FileRecord file) {
        try {
            return artifacts.open(file);
        } catch (CofferException e) {
            Optional<FileRecord> fresh = artifacts.reload(file.repo(), file.path());
            if (fresh.isEmpty()) {
                throw CofferException.notFound("there is no file '" + file.path() + "' any more");
            }
            if (fresh.get().equals(file)) {
                throw e;
            }
            return artifacts.open(fresh.get());
        }
    }

    @Override
    public Optional<List<ArtifactService.Child>> children(
            Repository member, ArtifactPath folder, Predicate<ArtifactPath> readable) {
        return artifacts.children(member.name(), folder, readable);
    }

    @Override
    public boolean holdsAnythingAt(Repository member, ArtifactPath path) {
        return artifacts.holdsAnythingAt(member.name(), path);
    }
}
