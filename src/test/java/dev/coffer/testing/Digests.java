package dev.coffer.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of test content, as the server reports them (checksums, ETags, blob names). */
public final class Digests {
    private Digests() {}

    /** The digest in lower-case hex; {@code algorithm} as MessageDigest names it ("SHA-256", "SHA-1", "MD5"). */
    public static String hex(String algorithm, byte[] data) {
        return HexFormat.of().formatHex(digest(algorithm).digest(data));
    }

    public static String sha256(byte[] data) {
        return hex("SHA-256", data);
    }

    /** Of the text's UTF-8 bytes. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
