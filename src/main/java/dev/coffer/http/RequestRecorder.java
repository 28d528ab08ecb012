package dev.coffer.http;

import dev.coffer.common.Redaction;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Caller;
import dev.coffer.credential.PresentedCredentials;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees every request once it is complete (Jetty's request log hook, so also 404s and requests
 * Jetty refuses itself) and turns it into meters and one access log line.
 *
 * <p>Nothing secret leaves here: the route is the template ({@code /repository/{repo}/<path>}),
 * the path (as sent, percent-encoded) is passed through {@link Redaction#secrets}, which decodes
 * before it looks, of the query only the parameter names are kept (also redacted), no header is
 * written but the User-Agent (also redacted), and the caller is named by user name, credential
 * kind and credential id.
 */
public final class RequestRecorder implements RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRecorder.class);
    static final String ROUTE = "coffer.route";
    static final String AUTH = "coffer.auth";
    static final String UNMATCHED = "unmatched";
    private static final int MAX_FIELD = 2048;

    /** What authentication concluded for a request: the kind of credential and the caller if accepted. */
    record AuthNote(String kind, Caller caller) {
        boolean accepted() {
            return caller != null;
        }
    }

    private final MeterRegistry registry;
    private final Consumer<String> accessLog;
    private final Timer uploadTimer;
    private final Timer downloadTimer;
    /** Meters by their tags, so a request costs one map lookup instead of building and registering an id. */
    private final java.util.concurrent.ConcurrentHashMap<String, Timer> requestTimers =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> authCounters =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Counter uploadBytes;
    private final Counter downloadBytes;
    private final Counter received;
    private final Counter sent;

    private final ClientAddress clients;

    public RequestRecorder(MeterRegistry registry, Consumer<String> accessLog, ClientAddress clients) {
        this.clients = Objects.requireNonNull(clients);
        this.registry = Objects.requireNonNull(registry);
        this.accessLog = accessLog;
        this.uploadTimer = histogram(Timer.builder("coffer.upload.duration")
                .description("time to receive and store an artifact upload")).register(registry);
        this.downloadTimer = histogram(Timer.builder("coffer.download.duration")
                .description("time to send an artifact download")).register(registry);
        this.uploadBytes = Counter.builder("coffer.upload").baseUnit("bytes")
                .description("artifact bytes received by uploads").register(registry);
        this.downloadBytes = Counter.builder("coffer.download").baseUnit("bytes")
                .description("artifact bytes sent by downloads").register(registry);
        this.received = Counter.builder("coffer.http.received").baseUnit("bytes")
                .description("request body bytes received, all routes").register(registry);
        this.sent = Counter.builder("coffer.http.sent").baseUnit("bytes")
                .description("response body bytes sent, all routes").register(registry);
    }

    private static Timer.Builder histogram(Timer.Builder b) {
        return b.publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10));
    }

    // ---- called while the request runs

    /** Called by the route wrapper: the route template that matched. */
    static void route(Context ctx, String template) {
        ctx.attribute(ROUTE, template);
    }

    /** Called by the guard with what authentication concluded; {@code attributes} sets a request attribute. */
    static void authenticated(java.util.function.BiConsumer<String, Object> attributes, PresentedCredentials pc,
            AuthResult result) {
        if (result instanceof AuthResult.Accepted a) {
            attributes.accept(AUTH, new AuthNote(a.caller().authenticatedBy(), a.caller()));
        } else {
            attributes.accept(AUTH, new AuthNote(claimedKind(pc), null));
        }
    }

    /** A password login inside a handler (POST /api/tokens) counts as a password authentication. */
    static void passwordLogin(Context ctx, AuthResult result) {
        ctx.attribute(AUTH, new AuthNote("password", result instanceof AuthResult.Accepted a ? a.caller() : null));
    }

    /**
     * The kind of credential a rejected request presented, from its headers alone (never their
     * values): password, access-key, access-token, session-token, or unknown when malformed.
     */
    static String claimedKind(PresentedCredentials pc) {
        if (pc.authToken() != null || pc.authUserId() != null) {
            return "session-token";
        }
        if (pc.accessKey() != null) {
            return "access-key";
        }
        if (pc.circleToken() != null) {
            return bySecret(pc.circleToken());
        }
        String auth = pc.authorization() == null ? "" : pc.authorization().trim();
        int sp = auth.indexOf(' ');
        String scheme = sp < 0 ? auth : auth.substring(0, sp);
        String value = sp < 0 ? "" : auth.substring(sp + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return bySecret(value);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            try {
                String pair = new String(Base64.getDecoder().decode(value), java.nio.charset.StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon < 0) {
                    return "unknown";
                }
                String user = pair.substring(0, colon);
                String password = pair.substring(colon + 1);
                // as the Authenticator reads it: a secret-shaped user name is never a password login
                if (Redaction.secretShaped(user)) {
                    return bySecret(user);
                }
                if (Secrets.looksLikeSecret(password)) {
                    return bySecret(password);
                }
                return "password";
            } catch (IllegalArgumentException e) {
                return "unknown";
            }
        }
        return "unknown";
    }

    private static String bySecret(String value) {
        Optional<SecretKind> k = Secrets.prefixKind(value.trim());
        return k.filter(x -> x == SecretKind.ACCESS_KEY || x == SecretKind.ACCESS_TOKEN)
                .map(SecretKind::label).orElse("unknown");
    }

    // ---- called once the response is complete

    @Override
    public void log(Request request, Response response) {
        try {
            record(request, response);
        } catch (RuntimeException e) {
            LOG.warn("could not record a request: {}", Redaction.secrets(e.toString()));
        }
    }

    private void record(Request request, Response response) {
        long nanos = Math.max(0, System.nanoTime() - request.getBeginNanoTime());
        String method = request.getMethod();
        int status = response.getStatus();
        Object routeAttr = attribute(request, ROUTE);
        String route = routeAttr instanceof String s ? s : UNMATCHED;
        AuthNote auth = attribute(request, AUTH) instanceof AuthNote a ? a : null;
        long in = Math.max(0, Request.getContentBytesRead(request));
        long out = Math.max(0, Response.getContentBytesWritten(response));

        // the method is whatever the client sent: unknown ones share one tag, so no client can grow the registry
        String methodTag = switch (method) {
            case "GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH" -> method;
            default -> "other";
        };
        requestTimers.computeIfAbsent(methodTag + ' ' + status + ' ' + route,
                k -> Timer.builder("coffer.http.requests").description("HTTP requests by route template and status")
                        .tags("method", methodTag, "route", route, "status", String.valueOf(status))
                        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(10)).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        received.increment(in);
        sent.increment(out);
        if (auth != null) {
            String outcome = auth.accepted() ? "accepted" : "rejected";
            authCounters.computeIfAbsent(auth.kind() + ' ' + outcome, k -> Counter.builder("coffer.authentications")
                    .description("authentication outcomes by credential kind")
                    .tags("kind", auth.kind(), "outcome", outcome).register(registry)).increment();
        }
        if (route.startsWith(Guard.REPOSITORY_PREFIX)) {
            if (method.equals("PUT") && status / 100 == 2) {
                uploadBytes.increment(in);
                uploadTimer.record(nanos, TimeUnit.NANOSECONDS);
            } else if (method.equals("GET") && (status == 200 || status == 206) && out > 0) {
                downloadBytes.increment(out);
                downloadTimer.record(nanos, TimeUnit.NANOSECONDS);
            }
        }
        if (accessLog != null) {
            accessLog.accept(line(request, method, route, status, nanos, in, out, auth));
        }
    }

    private static Object attribute(Request request, String name) {
        Object v = request.getAttribute(name);
        if (v == null) {
            ServletContextRequest scr = Request.as(request, ServletContextRequest.class);
            if (scr != null) {
                v = scr.getServletApiRequest().getAttribute(name);
            }
        }
        return v;
    }

    String line(Request request, String method, String route, int status, long nanos, long in, long out,
            AuthNote auth) {
        HttpURI uri = request.getHttpURI();
        // written by hand: Jackson's generator cost more than the rest of a small download's record
        JsonLine j = new JsonLine();
        j.string("time", isoTime(Request.getTimeStamp(request)));
        j.string("method", clean(method));
        j.string("route", route);
        j.string("path", clean(uri.getPath()));
        j.strings("query", queryNames(uri.getQuery()));
        j.number("status", status);
        j.tenths("durationMs", Math.round(nanos / 100_000.0)); // milliseconds with one decimal
        j.number("bytesIn", in);
        j.number("bytesOut", out);
        Caller c = auth == null ? null : auth.caller();
        j.string("user", c == null ? null : clean(c.username()));
        j.string("authenticatedBy", c == null ? null : c.authenticatedBy());
        j.string("credentialId", c == null ? null : c.credentialId());
        if (auth != null && !auth.accepted()) {
            j.string("rejectedCredential", auth.kind());
        }
        j.string("ip", clean(clients.resolve(request)));
        j.string("userAgent", clean(request.getHeaders().get("User-Agent")));
        return j.end();
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
    static java.util.List<String> queryNames(String query) {
        java.util.List<String> names = new java.util.ArrayList<>();
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

    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        String r = Redaction.secrets(s.length() > MAX_FIELD ? s.substring(0, MAX_FIELD) : s);
        return r;
    }
}
