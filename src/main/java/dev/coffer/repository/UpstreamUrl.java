package dev.coffer.repository;

import dev.coffer.common.CofferException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * A remote repository's {@code url}: an absolute http or https URL with a host, without user info
 * (credentials go into {@code username} and {@code password}, which are kept encrypted and never
 * shown; a URL is shown to everyone who may see the repository), query or fragment, of at most
 * {@link #MAX_CHARS} characters. Trailing slashes are dropped: paths are appended with one.
 */
public final class UpstreamUrl {
    public static final int MAX_CHARS = 2048;
    private static final String EXPECTED = "an absolute http or https URL such as https://repo1.maven.org/maven2";

    private UpstreamUrl() {}

    /** The URL, normalised; 400 {@code url_invalid} naming what is wrong (without quoting user info). */
    public static URI parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_CHARS) {
            throw invalid("'url' is longer than " + MAX_CHARS + " characters");
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw invalid("'url' is empty; a remote repository needs " + EXPECTED);
        }
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw invalid("'url' is not " + EXPECTED + " (" + e.getReason() + ")");
        }
        if (u.getRawUserInfo() != null
                || (u.getRawAuthority() != null && u.getRawAuthority().contains("@"))) {
            // not quoted back: the user info is likely a password
            throw invalid("'url' carries a user name or password; give them as 'username' and 'password' instead, "
                    + "which are stored encrypted and never shown");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("'url' must be " + EXPECTED + " (http or https)");
        }
        if (u.isOpaque() || u.getHost() == null || u.getHost().isEmpty()) {
            throw invalid("'url' must be " + EXPECTED + " (with a host)");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw invalid("'url' must not have a query ('?') or fragment ('#'); give the upstream's base address");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
        try {
            return new URI(scheme + "://" + u.getRawAuthority() + path);
        } catch (URISyntaxException e) {
            throw invalid("'url' is not " + EXPECTED + " (" + e.getReason() + ")");
        }
    }

    /** Scheme, host and port: a stored password was given for this origin only. */
    public static String origin(URI u) {
        int port = u.getPort() != -1 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
        return u.getScheme() + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static CofferException invalid(String message) {
        return CofferException.invalid("url_invalid", message);
    }
}
