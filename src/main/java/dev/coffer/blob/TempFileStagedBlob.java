package dev.coffer.blob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A blob staged in a local temporary file, hashed and fsynced: the commit-once / discard state
 * machine that every store shares. Subclasses only say how the file becomes the durable blob.
 */
public abstract class TempFileStagedBlob implements StagedBlob {
    private final Path temp;
    private final Checksums checksums;
    private final long size;
    private boolean committed;
    private boolean discarded;

    protected TempFileStagedBlob(Path temp, Checksums checksums, long size) {
        this.temp = Objects.requireNonNull(temp);
        this.checksums = Objects.requireNonNull(checksums);
        this.size = size;
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
        deleteTempQuietly();
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
