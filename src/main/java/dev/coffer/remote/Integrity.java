package dev.coffer.remote;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A digest an upstream's bytes must have before they are cached (npm: a version's {@code
 * dist.integrity} or {@code dist.shasum}).
 *
 * @param algorithm a JDK {@link MessageDigest} name ({@code SHA-512}, {@code SHA-1})
 * @param described how the expectation is named in errors ({@code dist.integrity of web@1.0.0})
 */
public record Integrity(String algorithm, byte[] digest, String described) {
    public Integrity {
        Objects.requireNonNull(algorithm, "algorithm");
        digest = digest.clone();
        Objects.requireNonNull(described, "described");
    }

    /** The bytes digested to something else: thrown at the end of the stream, so nothing is placed. */
    static final class Mismatch extends IOException {
        Mismatch(String message) {
            super(message);
        }
    }

    /** {@code in}, checked at its end: a {@link Mismatch} instead of the end when the digest differs. */
    InputStream verifying(InputStream in) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new BulkReadStream() {
            private boolean checked;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    md.update(b, off, n);
                } else if (n < 0 && !checked) {
                    checked = true;
                    if (!MessageDigest.isEqual(md.digest(), digest)) {
                        throw new Mismatch("the upstream's bytes do not match " + described);
                    }
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                throw new IOException("not skippable"); // every byte must be digested
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}
