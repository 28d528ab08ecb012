package dev.coffer.artifact;

import dev.coffer.common.ArtifactPath;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * File metadata and properties; implemented by the persistence adapters.
 *
 * <p>Every decision that depends on what is stored (does the file exist, is the path a folder, is
 * a parent a file, may each file below be deleted) is made by the method that writes, in its
 * transaction and under the lock of the {@code (repo, path)} it is about: shared on each ancestor
 * folder (the root included), exclusive on the path itself. So {@code PUT x} and {@code PUT x/y},
 * or a folder delete and an upload into that folder, happen one after the other, on one node or
 * several sharing a database; unrelated paths do not wait for each other.
 */
public interface ArtifactStore {
    Optional<FileRecord> find(String repo, ArtifactPath path);

    /**
     * Runs {@code work} in one transaction (or the caller's), so that a placement and writes of
     * other stores on the same connection commit together (an npm publish: tarball and manifest).
     */
    default <T> T atomically(java.util.function.Supplier<T> work) {
        return work.get();
    }

    /**
     * Inserts or replaces the file row and, in the same transaction, replaces the values of the
     * given property names. Returns the row it replaced. No placement or overwrite checks: uploads
     * go through {@link #place}.
     */
    Optional<FileRecord> upsert(FileRecord file, Map<String, List<String>> properties);

    /**
     * Commits an upload: under the lock of {@code file}'s path, in one transaction, refuses when a
     * parent is a file, when the path is a folder, or when the file exists and {@code mayOverwrite}
     * is false; otherwise writes the row and properties as {@link #upsert} does.
     */
    Placement place(FileRecord file, Map<String, List<String>> properties, boolean mayOverwrite);

    /**
     * What {@link #place} would refuse now, read without locks: an early answer before the content is
     * committed. It may be outdated by the time of the write, so only {@link #place}'s answer counts.
     */
    Optional<Placement.Refused> refusal(String repo, ArtifactPath path, boolean mayOverwrite);

    /** Every file strictly below {@code folder} (the whole repository for the root). */
    List<FileRecord> listBelow(String repo, ArtifactPath folder);

    boolean hasFilesBelow(String repo, ArtifactPath folder);

    /**
     * Deletes the file at {@code path} and every file below it when {@code mayDelete} accepts each
     * one of them, else nothing: all or nothing, asked under the lock of {@code path} in the
     * deleting transaction, so a file that arrives meanwhile is either asked about or not deleted.
     */
    Deletion deleteSubtree(String repo, ArtifactPath path, Predicate<FileRecord> mayDelete);

    /** Deletes the file at {@code path} and every file below it, asking nothing; returns what was deleted. */
    default List<FileRecord> deleteSubtree(String repo, ArtifactPath path) {
        return ((Deletion.Deleted) deleteSubtree(repo, path, f -> true)).files();
    }

    Map<String, List<String>> properties(String repo, ArtifactPath path);

    /**
     * Replaces the values of the given names of the file at {@code path}, decided under its lock;
     * false (and nothing written) when there is no such file.
     */
    boolean setProperties(String repo, ArtifactPath path, Map<String, List<String>> properties);

    /** Removes the given names from the file at {@code path}; false when there is no such file. */
    boolean deleteProperties(String repo, ArtifactPath path, Set<String> names);

    boolean isReferenced(String sha256);

    /** Files whose properties include name=value for every entry (build lists). */
    List<FileRecord> findByProperties(Map<String, String> required);
}
