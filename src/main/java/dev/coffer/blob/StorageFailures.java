package dev.coffer.blob;

import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.io.IOException;
import java.nio.file.FileSystemException;

/** Classifies storage I/O errors into the failures the HTTP layer maps (507 vs 503). */
public final class StorageFailures {
    private StorageFailures() {}

    /** A write/fsync failure: a full disk (or exhausted quota) is InsufficientStorage, anything else Unavailable. */
    public static CofferException ofWrite(String what, IOException e) {
        if (isOutOfSpace(e)) {
            return new CofferException(
                    new Failure.InsufficientStorage(
                            "insufficient_storage", "not enough storage space to store the upload"),
                    e);
        }
        return unavailable(what, e);
    }

    public static CofferException unavailable(String what, Throwable e) {
        return new CofferException(new Failure.Unavailable("storage_unavailable", "storage failure while " + what), e);
    }

    /** A blob the store does not hold: NotFound, which callers holding metadata for it turn into a 503. */
    public static CofferException missing(String sha256) {
        return new CofferException(new Failure.NotFound("blob_missing", "blob " + sha256 + " is missing from storage"));
    }

    /**
     * Java has no dedicated exception for ENOSPC: the JDK reports it as an IOException (streams)
     * or FileSystemException (NIO) carrying the OS's strerror text, so the text is all there is.
     * EDQUOT ("Disk quota exceeded") is the same situation from the user's point of view.
     */
    public static boolean isOutOfSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (mentionsNoSpace(t.getMessage())
                    || (t instanceof FileSystemException fse && mentionsNoSpace(fse.getReason()))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean mentionsNoSpace(String s) {
        return s != null && (s.contains("No space left on device") || s.contains("Disk quota exceeded"));
    }
}
