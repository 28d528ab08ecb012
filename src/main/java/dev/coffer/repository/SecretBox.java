package dev.coffer.repository;

import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets that Coffer must be able to read back (a remote repository's upstream password)
 * with AES-256-GCM under the key of {@code secrets.key-file}. A sealed value is {@code v1:} and the
 * base64 of a random 96-bit nonce followed by the ciphertext and its 128-bit tag. It is bound to
 * its context (the repository's name) as associated data, so a value copied into another row does
 * not open. Neither the key nor a plain or sealed value ever appears in a message of this class.
 */
public final class SecretBox {
    /** Bytes of an AES-256 key, and so of the key file. */
    public static final int KEY_BYTES = 32;

    private static final String VERSION = "v1:";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final String fingerprint;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a secrets key is " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.fingerprint = fingerprintOf(key);
    }

    /**
     * Encrypts {@code plain} for {@code context}.
     *
     * @return {@code v1:} and base64 (nonce, ciphertext, tag)
     */
    public String seal(String plain, String context) {
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(context, "context");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(context));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return VERSION + Base64.getEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            // the JDK always has AES-GCM; its absence is a broken runtime, and says nothing of the value
            throw new IllegalStateException(
                    "AES-GCM is not available: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Decrypts a value sealed for {@code context}. A value that is damaged, sealed under another key
     * or for another context: 503 {@code secret_unreadable} naming the context, never the value.
     */
    public String open(String sealed, String context) {
        Objects.requireNonNull(context, "context");
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw unreadable(context, "it is not in a format this version of Coffer reads");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw unreadable(context, "it is damaged");
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw unreadable(context, "it is damaged");
        }
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            c.updateAAD(aad(context));
            byte[] plain = c.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw unreadable(
                    context,
                    "it was sealed with another key than the one in secrets.key-file (every node must be given the "
                            + "same key file, and a restored backup needs the key file that was kept with it), or the "
                            + "stored value was changed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM is not available: " + e.getClass().getSimpleName());
        }
    }

    /** Whether {@code sealed} opens for {@code context} under this key (for a check at start). */
    public boolean opens(String sealed, String context) {
        try {
            open(sealed, context);
            return true;
        } catch (CofferException e) {
            return false;
        }
    }

    /**
     * The first 8 bytes of the SHA-256 of the key, in hex: lets an operator compare the key files of
     * several nodes without showing them (a hash of a 256-bit random key reveals nothing of it).
     */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "SecretBox[key " + fingerprint + "]";
    }

    private static byte[] aad(String context) {
        return ("coffer-secret:" + context).getBytes(StandardCharsets.UTF_8);
    }

    private static String fingerprintOf(byte[] key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CofferException unreadable(String context, String why) {
        return new CofferException(new Failure.Unavailable(
                "secret_unreadable",
                "the stored upstream password of repository '" + context + "' cannot be decrypted: " + why
                        + ". Fix secrets.key-file, or set the password again"));
    }
}
