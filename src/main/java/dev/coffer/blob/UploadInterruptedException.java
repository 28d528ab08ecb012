package dev.coffer.blob;

/**
 * Reading the upload body failed (client disconnected, truncated body). Distinct from a storage
 * failure because it is the client's side that broke: nothing was stored and there is no one left
 * to answer, so callers typically just log it.
 */
public final class UploadInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UploadInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
