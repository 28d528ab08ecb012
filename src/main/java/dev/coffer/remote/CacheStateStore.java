package dev.coffer.remote;

import dev.coffer.common.ArtifactPath;
import java.util.Optional;

/**
 * Where remote repositories keep their {@link CacheState}s. A state belongs to a cached file: when
 * the file goes (a delete, a purge, the repository), its state goes with it.
 */
public interface CacheStateStore {
    Optional<CacheState> find(String repo, ArtifactPath path);

    /** Inserts or replaces the state of a cached file; nothing when the file is not (or no longer) there. */
    void save(CacheState state);

    /** The upstream confirmed the cached version at {@code at}; false when there is no state to move. */
    boolean checked(String repo, ArtifactPath path, long at);

    /** How much a repository holds: its files and their bytes. */
    Usage usage(String repo);

    record Usage(long files, long bytes) {}
}
