package dev.coffer.blob;

/** A blob written to temporary storage, fully hashed and fsynced, not yet visible. */
public interface StagedBlob extends AutoCloseable {
    Checksums checksums();

    long size();

    /**
     * Makes the blob durable under its sha256 (atomic rename; if a blob with that hash already
     * exists, keep it and drop this copy). Idempotent.
     *
     * @throws IllegalStateException if the blob was already discarded by {@link #close()}
     */
    void commit();

    /** Discards the temporary data if not committed; safe to call after commit (no-op). */
    @Override
    void close();
}
