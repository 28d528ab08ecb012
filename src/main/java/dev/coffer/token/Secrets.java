package dev.coffer.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Secret format: kind prefix + 43 base62 characters (256 random bits) + 6 base62 characters of
 * CRC-32 over the prefix and body. A mistyped or truncated secret fails the checksum and is
 * rejected before any lookup.
 */
public final class Secrets {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final int BODY = 43;
    static final int CHECK = 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    public static String generate(SecretKind kind) {
        StringBuilder sb = new StringBuilder(kind.prefix());
        for (int i = 0; i < BODY; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.append(checksum(sb)).toString();
    }

    /** A short random public identifier (for ids shown in listings). */
    public static String id() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** True when the value starts like one of our secrets (it may still be mistyped). */
    public static boolean looksLikeSecret(String value) {
        return prefixKind(value).isPresent();
    }

    public static Optional<SecretKind> prefixKind(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (int k = 0; k < KINDS.length; k++) {
            if (value.startsWith(KINDS[k].prefix())) {
                return PRESENT[k];
            }
        }
        return Optional.empty();
    }

    // every request with a secret checks its format: no array clone, no Optional, no substring per call
    private static final SecretKind[] KINDS = SecretKind.values();

    @SuppressWarnings("unchecked")
    private static final Optional<SecretKind>[] PRESENT = new Optional[KINDS.length];

    private static final boolean[] IN_ALPHABET = new boolean[128];

    static {
        for (int k = 0; k < KINDS.length; k++) {
            PRESENT[k] = Optional.of(KINDS[k]);
        }
        for (int i = 0; i < ALPHABET.length(); i++) {
            IN_ALPHABET[ALPHABET.charAt(i)] = true;
        }
    }

    /** The kind of a well-formed secret with a valid checksum; empty for anything else. */
    public static Optional<SecretKind> verifyFormat(String value) {
        Optional<SecretKind> kind = prefixKind(value);
        if (kind.isEmpty()) {
            return kind;
        }
        int start = kind.get().prefix().length();
        int head = value.length() - CHECK;
        if (value.length() != start + BODY + CHECK) {
            return Optional.empty();
        }
        byte[] bytes = new byte[head];
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (i >= start && (ch >= 128 || !IN_ALPHABET[ch])) {
                return Optional.empty();
            }
            if (i < head) {
                bytes[i] = (byte) ch; // the prefix and the alphabet are ASCII
            }
        }
        long v = crc(bytes);
        // the checksum is public (it is part of the secret's text), so an early exit leaks nothing
        for (int i = CHECK - 1; i >= 0; i--) {
            if (value.charAt(head + i) != ALPHABET.charAt((int) (v % 62))) {
                return Optional.empty();
            }
            v /= 62;
        }
        return kind;
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static String checksum(CharSequence head) {
        long v = crc(head.toString().getBytes(StandardCharsets.US_ASCII));
        char[] out = new char[CHECK];
        for (int i = CHECK - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }

    /** SHA-256 hex: what is stored and looked up instead of the secret. */
    public static String hash(String secret) {
        return HexFormat.of().formatHex(digest(secret));
    }

    /** The same SHA-256 as {@link #hash}, as bytes. */
    static byte[] digest(String secret) {
        return sha256().digest(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static final MessageDigest SHA256;

    static {
        try {
            SHA256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A fresh digest: cloning the prototype skips the provider lookup of getInstance (every request hashes). */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
