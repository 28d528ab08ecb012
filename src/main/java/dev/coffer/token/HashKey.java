package dev.coffer.token;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * A secret's SHA-256 as the cache key: every authenticated request looks one up, and four
 * longs hash and compare far faster than the 64-character hex text they stand for.
 */
record HashKey(long a, long b, long c, long d) {
    static HashKey of(byte[] sha256) {
        ByteBuffer buf = ByteBuffer.wrap(sha256);
        return new HashKey(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
    }

    /** Null unless {@code hex} is a SHA-256 in hex. */
    static HashKey ofHex(String hex) {
        if (hex == null || hex.length() != 64) {
            return null;
        }
        try {
            return of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    String hex() {
        HexFormat h = HexFormat.of();
        return h.toHexDigits(a) + h.toHexDigits(b) + h.toHexDigits(c) + h.toHexDigits(d);
    }
}
