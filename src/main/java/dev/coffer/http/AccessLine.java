package dev.coffer.http;

import dev.coffer.admission.Ticket;
import dev.coffer.common.LogLine;
import dev.coffer.common.Redaction;
import dev.coffer.credential.Caller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * One access log line, as JSON. Nothing secret leaves here: the route is the template
 * ({@code /repository/{repo}/<path>}), the path (as sent, percent-encoded) is passed through
 * {@link Redaction#secrets}, which decodes before it looks, of the query only the parameter names
 * are kept (also redacted), no header is written but the User-Agent (also redacted), and the
 * caller is named by user name, credential kind and credential id.
 */
record AccessLine(
        long millis,
        String method,
        String route,
        String path,
        String query,
        int status,
        long nanos,
        long in,
        long out,
        Ticket.Outcome auth,
        String ip,
        String userAgent)
        implements LogLine {
    private static final int MAX_FIELD = 2048;

    /** What the log says of one completed request. */
    record Facts(
            String method, String route, int status, long nanos, long in, long out, Ticket.Outcome auth, String ip) {}

    /** Takes what the line needs from the request now (Jetty recycles it); formats later. */
    static AccessLine of(Request request, Facts f) {
        HttpURI uri = request.getHttpURI();
        return new AccessLine(
                Request.getTimeStamp(request),
                f.method(),
                f.route(),
                uri.getPath(),
                uri.getQuery(),
                f.status(),
                f.nanos(),
                f.in(),
                f.out(),
                f.auth(),
                f.ip(),
                request.getHeaders().get("User-Agent"));
    }

    /** The line as JSON text (tests; the log writer uses {@link #writeTo}). */
    String text() {
        StringBuilder sb = new StringBuilder();
        writeTo(sb);
        return sb.toString();
    }

    @Override
    public void writeTo(StringBuilder into) {
        // written by hand: Jackson's generator cost more than the rest of a small download's record
        JsonLine j = new JsonLine(into);
        j.string("time", isoTime(millis));
        j.string("method", clean(method));
        j.string("route", route);
        j.string("path", clean(maskSecretParams(route, path)));
        j.strings("query", queryNames(query));
        j.number("status", status);
        j.tenths("durationMs", Math.round(nanos / 100_000.0)); // milliseconds with one decimal
        j.number("bytesIn", in);
        j.number("bytesOut", out);
        Caller c = auth == null ? null : auth.caller();
        j.string("user", c == null ? null : clean(c.username()));
        j.string("authenticatedBy", c == null ? null : c.authenticatedBy().label());
        j.string("credentialId", c == null ? null : c.credentialId());
        if (auth != null && !auth.accepted()) {
            j.string("rejectedCredential", auth.kindLabel());
        }
        j.string("ip", clean(ip));
        j.string("userAgent", clean(userAgent));
        j.close();
    }

    private record Stamp(long millis, String text) {}

    private static volatile Stamp lastStamp = new Stamp(0, Instant.EPOCH.toString());

    /** Instant.toString, reused by the requests of one millisecond (dozens of them when busy). */
    static String isoTime(long millis) {
        Stamp s = lastStamp;
        if (s.millis() != millis) {
            s = new Stamp(millis, Instant.ofEpochMilli(millis).toString());
            lastStamp = s;
        }
        return s.text();
    }

    /** Only the names of query parameters, each redacted: their values may be secrets (refresh_token=…). */
    static List<String> queryNames(String query) {
        List<String> names = new ArrayList<>();
        if (query == null || query.isEmpty()) {
            return names;
        }
        for (String part : query.split("&", 50)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String decoded;
            try {
                decoded = java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = name;
            }
            // a name that is itself a secret (?cofat_…, also encoded twice) is masked like any other
            // secret; masked before it is cut, so a cut cannot separate a secret from its prefix
            String masked = clean(decoded.length() > 300 ? decoded.substring(0, 300) : decoded);
            names.add(masked.length() > 100 ? masked.substring(0, 100) : masked);
        }
        return names;
    }

    /** The route parameter that holds a secret whatever its shape ({@code npm logout} sends its token there). */
    static final String SECRET_PARAM = "{token}";

    /**
     * The path with each segment that the route's {@value #SECRET_PARAM} matched masked: the
     * secret there need not look like one of ours (a mistyped key, another registry's token), so
     * {@link Redaction} alone could not tell.
     */
    static String maskSecretParams(String route, String path) {
        if (route == null || path == null || !route.contains(SECRET_PARAM)) {
            return path;
        }
        String[] template = route.split("/", -1);
        String[] segments = path.split("/", -1);
        for (int i = 0; i < Math.min(template.length, segments.length); i++) {
            if (template[i].equals(SECRET_PARAM)) {
                // one of ours keeps its kind's prefix ("cofst_[redacted]"), anything else goes whole
                String masked = Redaction.secrets(segments[i]);
                segments[i] = masked.equals(segments[i]) ? "[redacted]" : masked;
            }
        }
        return String.join("/", segments);
    }

    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        return Redaction.secrets(s.length() > MAX_FIELD ? s.substring(0, MAX_FIELD) : s);
    }
}
