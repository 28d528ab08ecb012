package dev.coffer.artifact;

import dev.coffer.common.ArtifactPath;
import java.util.Objects;
import java.util.Optional;

/**
 * What committing an upload did, decided in the transaction that writes it (see
 * {@link ArtifactStore#place}): stored, or refused with the reason found on the rows as they were
 * under the lock of the path.
 */
public sealed interface Placement {
    /** The file as stored (creation time and creator kept from the row it replaced) and that row. */
    record Placed(FileRecord file, Optional<FileRecord> previous) implements Placement {
        public Placed {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(previous, "previous");
        }
    }

    /** Nothing was written; {@code where} is the path the reason is about. */
    record Refused(Reason reason, ArtifactPath where) implements Placement {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(where, "where");
        }
    }

    enum Reason {
        /** {@code where}, an ancestor of the path, is a file. */
        PARENT_IS_FILE,
        /** Files exist below the path. */
        PATH_IS_FOLDER,
        /** The file exists and the caller may not replace it. */
        EXISTS
    }
}
