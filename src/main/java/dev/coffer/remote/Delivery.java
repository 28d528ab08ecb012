package dev.coffer.remote;

import dev.coffer.artifact.FileRecord;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The client's response, for a file that is sent while it is fetched and cached (a large one, or
 * one whose size the upstream does not say). The HTTP layer implements it; the remote slice never
 * sees HTTP.
 */
public interface Delivery {
    /**
     * Starts the response (status and headers) before the first byte.
     *
     * @param size the file's size, or -1 when the upstream did not say
     * @param sha1 the upstream's SHA-1 of it, or null
     * @return where the bytes go
     */
    OutputStream begin(long size, String sha1) throws IOException;

    /**
     * The file is verified and cached as {@code file}; its last bytes are sent right after this. A
     * fetch recorded here is recorded before the client can have the whole file.
     */
    default void cached(FileRecord file) {}

    /**
     * The bytes turned out wrong, or the fetch failed, after {@link #begin}: end the response so
     * that the client cannot take it for a complete download (the last bytes were never sent).
     */
    void abort(Throwable cause);
}
