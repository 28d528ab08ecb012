package dev.coffer.blob;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/** A committed blob, ready to be read in whole or in ranges. Holds no open resources itself. */
public interface BlobHandle {
    long size();

    /**
     * An InputStream over [offset, offset+length); caller closes.
     *
     * @throws IllegalArgumentException if the range is negative or extends past {@link #size()}
     */
    InputStream openStream(long offset, long length);

    /** For zero-copy sending when the store is on local disk; empty for remote stores. */
    Optional<Path> localFile();
}
