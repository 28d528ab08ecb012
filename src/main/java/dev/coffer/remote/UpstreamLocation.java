package dev.coffer.remote;

import dev.coffer.common.ArtifactPath;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a path of a remote repository is on its upstream: the base URL without its trailing
 * slashes, then every segment of the path percent-encoded (so a space, '#', '?' or '%' in a name
 * stays part of that name), joined by single slashes.
 */
final class UpstreamLocation {
    private static final String KEPT = "-._~!$&'()*+,=:@";

    private UpstreamLocation() {}

    static URI of(URI base, ArtifactPath path) {
        Objects.requireNonNull(base, "base");
        String b = base.toString();
        int end = b.length();
        while (end > 0 && b.charAt(end - 1) == '/') {
            end--;
        }
        StringBuilder sb = new StringBuilder(end + 64).append(b, 0, end);
        for (String segment : path.segments()) {
            sb.append('/');
            encode(segment, sb);
        }
        return URI.create(sb.toString());
    }

    /** RFC 3986 pchar, minus ';' (a parameter delimiter to some servers): everything else as UTF-8 %XX. */
    static void encode(String segment, StringBuilder out) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || KEPT.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }

    /** Scheme, host and port: credentials are sent only to the upstream's own origin. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost()
                        .toLowerCase(Locale.ROOT)
                        .equals(String.valueOf(b.getHost()).toLowerCase(Locale.ROOT))
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
