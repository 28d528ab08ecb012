package dev.coffer.blob;

import java.io.Closeable;
import java.io.InputStream;
import java.util.stream.Stream;

/**
 * Content-addressed storage of artifact bytes, keyed by SHA-256. Uploads are staged first and
 * become visible only on {@link StagedBlob#commit()}, so a failed upload never leaves a partial
 * blob behind (API.md §1: "all or nothing").
 *
 * <p>Closeable so that whoever opened a store closes it the same way whatever its kind (an S3
 * store holds a client and its connection pool; a file store holds nothing).
 */
public interface BlobStore extends Closeable {
    /**
     * Streams {@code in} to temporary storage while computing SHA-256, SHA-1 and MD5 in one pass,
     * and makes the data durable (fsync) before returning.
     *
     * <p>{@code maxBytes} &lt; 0 means unlimited; more bytes than {@code maxBytes} throw
     * CofferException(TooLarge "too_large"). A failure reading {@code in} throws
     * {@link UploadInterruptedException}. A full disk throws CofferException(InsufficientStorage
     * "insufficient_storage"); other storage failures CofferException(Unavailable
     * "storage_unavailable"). Whatever the failure, nothing is kept. {@code in} is not closed.
     */
    StagedBlob stage(InputStream in, long maxBytes);

    /**
     * Opens a committed blob for reading; CofferException(NotFound "blob_missing") if absent,
     * Unavailable on I/O trouble.
     *
     * @throws IllegalArgumentException if {@code sha256} is not 64 lower-case hex characters
     */
    BlobHandle open(String sha256);

    boolean exists(String sha256);

    /** Deletes a committed blob if present (no error if absent). */
    void delete(String sha256);

    /**
     * All committed blob hashes (for garbage collection and verify). The stream may hold open
     * directory handles or connections: close it (try-with-resources).
     */
    Stream<String> list();

    /** Removes leftover temporary files (e.g. after a crash); called at start, before any stage. */
    void cleanTemporary();

    /** Releases what the store holds (an S3 client and its connections); the store is not used afterwards. */
    @Override
    void close();
}
