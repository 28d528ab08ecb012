package dev.coffer.format.npm;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * npm repositories' package rows, version manifests and dist-tags (tables of V9__npm.sql). Writes
 * of one operation run in {@link #inTransaction}, which the artifact store's writes on the same
 * thread join, so that a tarball and its manifest commit together or not at all.
 */
public interface NpmStore {
    <T> T inTransaction(Supplier<T> work);

    Optional<NpmPackage> find(String repo, String name);

    /** Which incarnation and revision of a package is current: one row, no manifests read. */
    Optional<Stamp> stamp(String repo, String name);

    /** A package's revision and creation time: a re-created package starts counting again. */
    record Stamp(long revision, long createdAt) {}

    /** Every package name of the repository, in code-point order. */
    List<String> names(String repo);

    /**
     * Creates the package's row, or counts a change of it (its revision goes up by one); the row
     * stays locked for the rest of the transaction.
     */
    void touch(String repo, String name, String description, String readme, long now);

    /**
     * Counts a change of the package if its revision is still {@code expected}: false when another
     * write came in between (or the package is gone).
     */
    boolean touchIf(String repo, String name, long expected, long now);

    /** Adds a version; false (nothing written) when the version exists. */
    boolean addVersion(String repo, String name, NpmPackage.Version version);

    void replaceManifest(String repo, String name, String version, String manifest);

    void removeVersion(String repo, String name, String version);

    void setTag(String repo, String name, String tag, String version);

    void removeTag(String repo, String name, String tag);

    void removePackage(String repo, String name);
}
