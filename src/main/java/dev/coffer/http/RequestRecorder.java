package dev.coffer.http;

import dev.coffer.admission.Ticket;
import dev.coffer.common.LogLine;
import dev.coffer.common.Redaction;
import dev.coffer.credential.AuthResult;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees every request once it is complete (Jetty's request log hook, so also 404s and requests
 * Jetty refuses itself) and turns it into meters and one access log line ({@link AccessLine}).
 * What the request was (its route, how it authenticated) it reads from the request's
 * {@link Exchange}, which Jetty hands to the request log.
 */
public final class RequestRecorder implements RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRecorder.class);
    static final String UNMATCHED = "unmatched";

    private final MeterRegistry registry;
    private final Consumer<LogLine> accessLog;
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

    public RequestRecorder(MeterRegistry registry, Consumer<LogLine> accessLog, ClientAddress clients) {
        this.clients = Objects.requireNonNull(clients);
        this.registry = Objects.requireNonNull(registry);
        this.accessLog = accessLog;
        this.uploadTimer = histogram(Timer.builder("coffer.upload.duration")
                        .description("time to receive and store an artifact upload"))
                .register(registry);
        this.downloadTimer = histogram(
                        Timer.builder("coffer.download.duration").description("time to send an artifact download"))
                .register(registry);
        this.uploadBytes = Counter.builder("coffer.upload")
                .baseUnit("bytes")
                .description("artifact bytes received by uploads")
                .register(registry);
        this.downloadBytes = Counter.builder("coffer.download")
                .baseUnit("bytes")
                .description("artifact bytes sent by downloads")
                .register(registry);
        this.received = Counter.builder("coffer.http.received")
                .baseUnit("bytes")
                .description("request body bytes received, all routes")
                .register(registry);
        this.sent = Counter.builder("coffer.http.sent")
                .baseUnit("bytes")
                .description("response body bytes sent, all routes")
                .register(registry);
    }

    private static Timer.Builder histogram(Timer.Builder b) {
        return b.publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10));
    }

    // ---- called while the request runs

    /** A password login inside a handler (POST /api/tokens) counts as a password authentication. */
    static void passwordLogin(Context ctx, AuthResult result) {
        Exchange.of(ctx).ticket().loggedIn(result);
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
        // null for a request Jetty refused before it reached the customizers
        Exchange exchange = Exchange.of(request);
        String route = exchange == null || exchange.route() == null ? UNMATCHED : exchange.route();
        Ticket.Outcome auth =
                exchange == null ? null : exchange.ticket().outcome().orElse(null);
        long in = Math.max(0, Request.getContentBytesRead(request));
        long out = Math.max(0, Response.getContentBytesWritten(response));

        // the method is whatever the client sent: unknown ones share one tag, so no client can grow the registry
        String methodTag = switch (method) {
            case "GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH" -> method;
            default -> "other";
        };
        requestTimers
                .computeIfAbsent(
                        methodTag + ' ' + status + ' ' + route,
                        k -> Timer.builder("coffer.http.requests")
                                .description("HTTP requests by route template and status")
                                .tags("method", methodTag, "route", route, "status", String.valueOf(status))
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofMillis(1))
                                .maximumExpectedValue(Duration.ofMinutes(10))
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        received.increment(in);
        sent.increment(out);
        if (auth != null) {
            String outcome = auth.accepted() ? "accepted" : "rejected";
            String kind = auth.kindLabel();
            authCounters
                    .computeIfAbsent(
                            kind + ' ' + outcome,
                            k -> Counter.builder("coffer.authentications")
                                    .description("authentication outcomes by credential kind")
                                    .tags("kind", kind, "outcome", outcome)
                                    .register(registry))
                    .increment();
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
            String ip = exchange != null ? exchange.clientAddress() : clients.resolve(request);
            accessLog.accept(
                    AccessLine.of(request, new AccessLine.Facts(method, route, status, nanos, in, out, auth, ip)));
        }
    }
}
