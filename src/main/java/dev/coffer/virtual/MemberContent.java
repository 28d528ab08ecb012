package dev.coffer.virtual;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.common.ArtifactPath;
import dev.coffer.repository.Repository;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How a virtual repository reaches the content of one of its members, whatever kind the member is:
 * a local one reads the artifact store ({@link LocalMemberContent}); a remote one fetches from its
 * upstream into its cache. Access is never decided here: the virtual layer asks before it asks
 * for content.
 *
 * <p>A member that cannot be reached (a remote's upstream down with nothing cached, a storage
 * fault) throws a {@code CofferException} with {@code Failure.Unavailable}: never an empty answer,
 * which means "known to be absent".
 */
public interface MemberContent {
    /** The file at {@code path} in {@code member}; empty when there is none. */
    Optional<FileRecord> find(Repository member, ArtifactPath path);

    /** The bytes of a file that {@link #find} returned. */
    BlobHandle open(FileRecord file);

    /**
     * The direct children of {@code folder} in {@code member} that lead to something {@code
     * readable} accepts, as {@link ArtifactService#children}: empty when below a folder other than
     * the root nothing is.
     */
    Optional<List<ArtifactService.Child>> children(
            Repository member, ArtifactPath folder, Predicate<ArtifactPath> readable);

    /**
     * Does {@code member} hold a file at {@code path} or below it? Asked of local members for
     * namespace protection; never of a remote one's upstream.
     */
    boolean holdsAnythingAt(Repository member, ArtifactPath path);
}
