package dev.coffer.http;

import dev.coffer.common.ArtifactPath;
import java.nio.charset.StandardCharsets;

/** Percent-encodes paths for URLs we hand out (listings, download links). */
final class Paths {
    private Paths() {}

    static String encode(ArtifactPath path) {
        StringBuilder sb = new StringBuilder();
        for (String seg : path.segments()) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(segment(seg));
        }
        return sb.toString();
    }

    static String segment(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '+'
                    || c == '@') {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
