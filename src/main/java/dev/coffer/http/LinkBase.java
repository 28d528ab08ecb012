package dev.coffer.http;

import io.javalin.http.Context;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the links Coffer writes point (SECURITY-CHECKLIST 11): the configured {@code public.url};
 * else, for a request from a trusted proxy, its {@code X-Forwarded-Proto} and {@code X-Forwarded-Host};
 * else the request's own scheme and {@code Host}. Before, the {@code Host} of any request went into
 * download links, so a forged {@code Host} (or a cache keyed without it) pointed clients elsewhere.
 */
public final class LinkBase {
    /** A host name, IPv4 or bracketed IPv6 address, and an optional port: nothing that could end the authority. */
    private static final Pattern HOST =
            Pattern.compile("(\\[[0-9A-Fa-f:.]{2,45}]|[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252}))(:[0-9]{1,5})?");

    private final String publicUrl;
    private final ClientAddress clients;

    /** @param publicUrl a validated absolute URL without a trailing '/' (Settings), or empty for none */
    public LinkBase(String publicUrl, ClientAddress clients) {
        this.publicUrl = Objects.requireNonNull(publicUrl);
        this.clients = Objects.requireNonNull(clients);
    }

    /** scheme://host[:port][/prefix], without a trailing '/'. */
    public String of(Context ctx) {
        if (!publicUrl.isEmpty()) {
            return publicUrl;
        }
        String scheme = ctx.req().getScheme();
        String host = ctx.req().getHeader("Host");
        if (clients.trusts(ctx.req().getRemoteAddr())) {
            String proto = first(ctx.req().getHeaders("X-Forwarded-Proto"));
            if (proto != null && (proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"))) {
                scheme = proto.toLowerCase(Locale.ROOT);
            }
            String forwardedHost = first(ctx.req().getHeaders("X-Forwarded-Host"));
            if (forwardedHost != null && HOST.matcher(forwardedHost).matches()) {
                host = forwardedHost;
            }
        }
        if (host == null || !HOST.matcher(host).matches()) {
            host = ctx.req().getLocalName() + ":" + ctx.req().getLocalPort();
        }
        return scheme + "://" + host;
    }

    /** The first element of the first line (the one the outermost proxy wrote), trimmed; null when absent or blank. */
    private static String first(Enumeration<String> lines) {
        if (lines == null || !lines.hasMoreElements()) {
            return null;
        }
        String line = lines.nextElement();
        int comma = line.indexOf(',');
        String v = (comma < 0 ? line : line.substring(0, comma)).trim();
        return v.isEmpty() ? null : v;
    }
}
