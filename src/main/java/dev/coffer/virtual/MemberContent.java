package dev.coffer.virtual;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.common.ArtifactPath;
import dev.coffer.remote.Delivery;
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

    /**
     * What a download through a virtual repository gets from {@code member} at {@code path}: as
     * {@link #find}, and for a remote member also whether the file was fetched from its upstream
     * for this request or served stale, or already sent to the client through {@code delivery}
     * while it was cached.
     *
     * @param delivery the client's response, for a large file sent while it is fetched; null: a
     *     fetched file is stored before it is served
     */
    default Optional<Found> answer(Repository member, ArtifactPath path, Delivery delivery) {
        return find(member, path).map(Found::stored);
    }

    /**
     * A member's file as {@link #answer} found it. {@code fetched}: this request brought it from an
     * upstream; {@code stale}: metadata past its cacheSeconds that the upstream could not confirm;
     * {@code streamed}: already sent to the client while it was cached (nothing is left to send).
     */
    record Found(FileRecord file, boolean fetched, boolean stale, boolean streamed) {
        public Found {
            java.util.Objects.requireNonNull(file, "file");
        }

        /** A file that was there already and is served as it is. */
        public static Found stored(FileRecord file) {
            return new Found(file, false, false, false);
        }
    }

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
