package dev.coffer.artifact;

import java.util.List;

/** What a subtree delete did, decided in the transaction that deletes (see {@link ArtifactStore#deleteSubtree}). */
public sealed interface Deletion {
    /** Every file that was there went; empty when there was nothing at the path. */
    record Deleted(List<FileRecord> files) implements Deletion {
        public Deleted {
            files = List.copyOf(files);
        }
    }

    /** Some file there may not be deleted, so none was. Names no file: the caller may not be allowed to read them. */
    record Refused() implements Deletion {}
}
