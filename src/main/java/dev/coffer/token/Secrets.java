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
        for (SecretKind k : SecretKind.values()) {
            if (value.startsWith(k.prefix())) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The kind of a well-formed secret with a valid checksum; empty for anything else. */
    public static Optional<SecretKind> verifyFormat(String value) {
        Optional<SecretKind> kind = prefixKind(value);
        if (kind.isEmpty() || value.length() != kind.get().prefix().length() + BODY + CHECK) {
            return Optional.empty();
        }
        for (int i = kind.get().prefix().length(); i < value.length(); i++) {
            if (ALPHABET.indexOf(value.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        String head = value.substring(0, value.length() - CHECK);
        String check = value.substring(value.length() - CHECK);
        boolean ok = MessageDigest.isEqual(checksum(head).getBytes(StandardCharsets.US_ASCII),
                check.getBytes(StandardCharsets.US_ASCII));
        return ok ? kind : Optional.empty();
    }

    private static String checksum(CharSequence head) {
        CRC32 crc = new CRC32();
        crc.update(head.toString().getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        char[] out = new char[CHECK];
        for (int i = CHECK - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }

    /** SHA-256 hex: what is stored and looked up instead of the secret. */
    public static String hash(String secret) {
        return HexFormat.of().formatHex(sha256().digest(secret.getBytes(StandardCharsets.UTF_8)));
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
