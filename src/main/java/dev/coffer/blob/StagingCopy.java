package dev.coffer.blob;

import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.io.IOException;
import java.io.InputStream;

/**
 * The loop every store stages an upload with: read a chunk, enforce the size limit before it is
 * written (an oversized upload never takes more than the limit), hash it, hand it to the store's
 * temporary file. Failures come out classified the same way for every store.
 */
public final class StagingCopy {
    private StagingCopy() {}

    /** Where the chunks go; {@code buf} is reused after the call returns. */
    @FunctionalInterface
    public interface Sink {
        void write(byte[] buf, int len) throws IOException;
    }

    public record Result(Checksums checksums, long size) {}

    /**
     * @throws UploadInterruptedException when reading {@code in} fails
     * @throws CofferException TooLarge past {@code maxBytes} (&lt; 0: unlimited), or a classified write failure
     */
    public static Result copy(InputStream in, long maxBytes, int bufferSize, Sink sink) {
        MultiDigest digest = new MultiDigest();
        byte[] buf = new byte[bufferSize];
        long size = 0;
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                throw new UploadInterruptedException("reading the upload failed after " + size + " bytes", e);
            }
            if (n < 0) {
                return new Result(digest.finish(), size);
            }
            size += n;
            if (maxBytes >= 0 && size > maxBytes) {
                throw new CofferException(new Failure.TooLarge(
                        "too_large", "the upload is larger than the limit of " + maxBytes + " bytes"));
            }
            digest.update(buf, 0, n);
            try {
                sink.write(buf, n);
            } catch (IOException e) {
                throw StorageFailures.ofWrite("writing a temporary file", e);
            }
        }
    }
}
