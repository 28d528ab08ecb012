package dev.coffer.blob;

/** Validation of blob ids (SHA-256 in lower-case hex), shared by every store implementation. */
public final class BlobIds {
    public static final int LENGTH = 64;

    private BlobIds() {}

    public static boolean isValid(String sha256) {
        if (sha256 == null || sha256.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = sha256.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Defence in depth: a blob id becomes a file name or object key, so anything but 64 lower-case
     * hex characters is refused even though callers only pass hashes the store computed itself.
     */
    public static String requireValid(String sha256) {
        if (!isValid(sha256)) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + abbreviate(sha256));
        }
        return sha256;
    }

    // Don't echo an arbitrarily long caller string into messages and logs.
    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 80) + "…'";
    }
}
