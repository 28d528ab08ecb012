package dev.coffer.blob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * A blob staged in a local temporary file, hashed and fsynced: the commit-once / discard state
 * machine that every store shares. Subclasses only say how the file becomes the durable blob.
 */
public abstract class TempFileStagedBlob implements StagedBlob {
    /** From this size on, what is left of a committed upload is deleted by the store's deleter. */
    public static final long DELETE_ELSEWHERE_FROM = 8L * 1024 * 1024;
    /** A deleter for tools that exit when done: deletes at once, on the committing thread. */
    public static final Executor DELETE_AT_ONCE = Runnable::run;

    private final Path temp;
    private final Checksums checksums;
    private final long size;
    private final Executor largeDeletes;
    private boolean committed;
    private boolean discarded;

    protected TempFileStagedBlob(Path temp, Checksums checksums, long size, Executor largeDeletes) {
        this.temp = Objects.requireNonNull(temp);
        this.checksums = Objects.requireNonNull(checksums);
        this.size = size;
        this.largeDeletes = Objects.requireNonNull(largeDeletes);
    }

    /**
     * A deleter for the server: one background thread. Freeing a large file is not free: on a
     * filesystem mounted with {@code discard}, as cloud disks often are, unlinking a just-written
     * 100 MiB file took 55 ms here, a sixth of its whole upload, and the upload is already
     * durable, so its answer need not wait. A file still queued when the process stops is removed
     * by the store's cleanTemporary() at the next start.
     */
    public static Executor backgroundDeleter() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "coffer-delete");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public final Checksums checksums() {
        return checksums;
    }

    @Override
    public final long size() {
        return size;
    }

    protected final Path temp() {
        return temp;
    }

    /** Makes {@link #temp()} the durable blob named by its SHA-256 (keeping an existing one). */
    protected abstract void publish();

    @Override
    public final synchronized void commit() {
        if (committed) {
            return;
        }
        if (discarded) {
            throw new IllegalStateException("the staged blob was already discarded");
        }
        publish();
        committed = true;
        if (size < DELETE_ELSEWHERE_FROM) {
            deleteTempQuietly();
            return;
        }
        try {
            largeDeletes.execute(this::deleteTempQuietly);
        } catch (RejectedExecutionException e) {
            deleteTempQuietly();
        }
    }

    @Override
    public final synchronized void close() {
        if (committed || discarded) {
            return;
        }
        discarded = true;
        deleteTempQuietly();
    }

    // A leftover temp file is harmless: cleanTemporary() removes it at the next start.
    private void deleteTempQuietly() {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // see above
        }
    }
}
