package dev.coffer.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, SHA-1 and MD5 fed from the same buffer, so an upload is read exactly once. Not
 * thread-safe; one instance per upload.
 */
public final class MultiDigest {
    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest sha1 = digest("SHA-1");
    private final MessageDigest md5 = digest("MD5");

    public void update(byte[] buf, int off, int len) {
        sha256.update(buf, off, len);
        sha1.update(buf, off, len);
        md5.update(buf, off, len);
    }

    /** Completes the digests; the instance must not be used afterwards. */
    public Checksums finish() {
        HexFormat hex = HexFormat.of(); // lower-case by default
        return new Checksums(hex.formatHex(sha256.digest()), hex.formatHex(sha1.digest()), hex.formatHex(md5.digest()));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform is required to provide all three.
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
