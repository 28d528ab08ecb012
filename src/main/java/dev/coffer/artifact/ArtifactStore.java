package dev.coffer.artifact;

import dev.coffer.common.ArtifactPath;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** File metadata and properties; implemented by the persistence adapters. */
public interface ArtifactStore {
    Optional<FileRecord> find(String repo, ArtifactPath path);

    /**
     * Inserts or replaces the file row and, in the same transaction, replaces the values of the
     * given property names. Returns the row it replaced.
     */
    Optional<FileRecord> upsert(FileRecord file, Map<String, List<String>> properties);

    /** Every file strictly below {@code folder} (the whole repository for the root). */
    List<FileRecord> listBelow(String repo, ArtifactPath folder);

    boolean hasFilesBelow(String repo, ArtifactPath folder);

    /** Deletes the file at {@code path} or every file below it; returns what was deleted. */
    List<FileRecord> deleteSubtree(String repo, ArtifactPath path);

    Map<String, List<String>> properties(String repo, ArtifactPath path);

    /** Replaces the values of the given names. */
    void setProperties(String repo, ArtifactPath path, Map<String, List<String>> properties);

    void deleteProperties(String repo, ArtifactPath path, Set<String> names);

    boolean isReferenced(String sha256);

    /** Files whose properties include name=value for every entry (build lists). */
    List<FileRecord> findByProperties(Map<String, String> required);
}
