package dev.coffer.artifact;

import dev.coffer.blob.Checksums;
import dev.coffer.common.ArtifactPath;
import java.util.Objects;

/** Metadata of one stored file; its bytes are the blob named by {@code checksums.sha256}. */
public record FileRecord(
        String repo,
        ArtifactPath path,
        long size,
        Checksums checksums,
        long createdAt,
        long updatedAt,
        String createdBy,
        String modifiedBy) {
    public FileRecord {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(checksums, "checksums");
    }
}
