package dev.coffer.common;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * A SHA-256 as a cache key (a token's secret, a verified password): every authenticated request
 * looks one up, and four longs hash and compare far faster than the 64-character hex text or the
 * byte array they stand for.
 */
public record HashKey(long a, long b, long c, long d) {
    public static HashKey of(byte[] sha256) {
        ByteBuffer buf = ByteBuffer.wrap(sha256);
        return new HashKey(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
    }

    /** Null unless {@code hex} is a SHA-256 in hex. */
    public static HashKey ofHex(String hex) {
        if (hex == null || hex.length() != 64) {
            return null;
        }
        try {
            return of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String hex() {
        HexFormat h = HexFormat.of();
        return h.toHexDigits(a) + h.toHexDigits(b) + h.toHexDigits(c) + h.toHexDigits(d);
    }
}
