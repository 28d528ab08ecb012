package dev.coffer.http;

import dev.coffer.common.CofferException;
import dev.coffer.common.Redaction;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Javalin/Jetty server: routes behind the {@link Guard}, JSON errors everywhere, graceful stop. */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final int SELECTORS =
            Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 16));

    private final Javalin app;
    private final List<Route> routes;
    private final AtomicInteger inFlight = new AtomicInteger();
    // where start() listens; read by the connector Javalin creates as it starts
    private volatile String host;
    private volatile int port;

    public HttpServer(Guard guard, List<Route> routes) {
        this(guard, routes, null, ClientAddress.DIRECT, null);
    }

    /**
     * @param requestLog sees every completed request (metrics, access log); may be null
     * @param clients who the client is behind trusted proxies (audit, lockout, last use)
     * @param fast serves plain small-file downloads in front of the router; null: everything goes through it
     */
    public HttpServer(
            Guard guard,
            List<Route> routes,
            org.eclipse.jetty.server.RequestLog requestLog,
            ClientAddress clients,
            FastDownloads fast) {
        Objects.requireNonNull(guard);
        this.routes = List.copyOf(routes);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // resolved once per request, for admission, audit and the access log alike
            config.contextResolver.ip = ctx -> Exchange.of(ctx).clientAddress();
            // Jetty's pool is Coffer's own (below); Javalin's virtual-thread flag would only pick its
            // async and JSON-streaming executors, which no route uses, so it stays off
            config.jetty.threadPool = threadPool();
            config.http.generateEtags = false;
            config.http.prefer405over404 = true;
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.router.ignoreTrailingSlashes = true;
            // Our own path parser must see encoded slashes and dot segments to reject them with a
            // JSON 400, so Jetty is told not to normalise or refuse them first.
            config.jetty.modifyHttpConfiguration(http -> {
                http.setUriCompliance(UriCompliance.UNSAFE);
                http.setSendServerVersion(false);
                // large uploads arrive in fewer, bigger reads (Jetty's default is 8 KiB)
                http.setInputBufferSize(64 * 1024);
                // Jetty reuses a header field seen earlier on the same connection (Authorization is
                // one it caches) and by default matches it ignoring case: a secret differing from the
                // previous one only in the case of a letter was read as that previous secret (a valid
                // key after its mistyped twin was 401, the twin after the key was accepted). Secrets
                // and Basic's base64 are case-sensitive, so the cache must be too (issue 16).
                http.setHeaderCacheCaseSensitive(true);
                // before any handler (the fast path included) sees the request
                http.addCustomizer(new NoMethodOverride());
                // last: the one request object admission, the router and the request log share
                http.addCustomizer(Exchange.front(clients));
            });
            config.jetty.modifyServletContextHandler(h -> h.getServletHandler().setDecodeAmbiguousURIs(true));
            // one selector per core, as nginx runs one worker per core: small downloads are served
            // on the selectors themselves (FastPathHandler), and Jetty's default (half the cores)
            // left one of two cores idle
            // large files leave through sendfile (FileRegionEndPoint)
            config.jetty.addConnector((server, http) -> {
                ServerConnector c = FileRegionEndPoint.connector(server, SELECTORS, new HttpConnectionFactory(http));
                c.setHost(host);
                c.setPort(port);
                return c;
            });
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                // our own shutdown hook stops gracefully; Jetty's would cut requests in flight
                server.setStopAtShutdown(false);
                if (requestLog != null) {
                    server.setRequestLog(requestLog);
                }
                if (fast != null) {
                    // Javalin puts its servlet context inside this wrapper when it starts
                    server.setHandler(new FastPathHandler(fast, inFlight));
                }
            });
            // Jetty leaves escapes inside ";params" undecoded, and Javalin's URLDecoder then throws on a
            // malformed one ("/repository/r/a;%2") while extracting path parameters: refuse it first.
            config.routes.before(ctx -> rejectMalformedEscapes(ctx.req().getRequestURI()));
            for (Route r : this.routes) {
                io.javalin.http.Handler guarded = guard.wrap(r);
                io.javalin.http.Handler endpoint = ctx -> {
                    inFlight.incrementAndGet();
                    try {
                        guarded.handle(ctx);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                };
                config.routes.addEndpoint(new io.javalin.router.Endpoint(r.method(), r.path(), endpoint));
                // HEAD is GET without the body, with the same guard: otherwise Javalin answers it
                // itself with an empty 200, even for invalid credentials (API.md section 4, rule 2)
                if (r.method() == HandlerType.GET && !hasRoute(HandlerType.HEAD, r.path())) {
                    config.routes.addEndpoint(new io.javalin.router.Endpoint(HandlerType.HEAD, r.path(), endpoint));
                }
            }
            config.routes.exception(CofferException.class, (e, ctx) -> Errors.send(ctx, e.failure()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                int status = e.getStatus();
                String code = status == 404 ? "not_found" : status == 405 ? "method_not_allowed" : "http_" + status;
                String message = status == 404
                        ? "there is no such route"
                        : status == 405 ? "this route does not accept the method " + ctx.method() : e.getMessage();
                Errors.send(ctx, status, code, message);
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                // paths can hold secrets (DELETE /api/tokens/{token}): never log them raw
                LOG.error(
                        "unexpected failure on {} {}",
                        ctx.method(),
                        Redaction.secrets(
                                AccessLine.maskSecretParams(Exchange.of(ctx).route(), ctx.path())),
                        e);
                Errors.send(ctx, 500, "internal_error", "an unexpected error occurred; see the server log");
            });
        });
    }

    /**
     * Selectors and the acceptor on platform threads; blocking request work on virtual threads
     * where the JDK has them (21+), else on the pool itself. Javalin's own virtual-thread pool put
     * the selectors on virtual threads too, and a selector that parks in the JDK's poller is woken
     * through the poller thread and a carrier: about a millisecond more on the p99 of small
     * downloads, which run on the selectors (docs/performance.md).
     */
    static QueuedThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool(250, 8, 60_000);
        pool.setName("coffer-http");
        if (VirtualThreads.areSupported()) {
            pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("coffer-request"));
        }
        return pool;
    }

    static void rejectMalformedEscapes(String rawUri) {
        if (rawUri == null) {
            return;
        }
        for (int i = rawUri.indexOf('%'); i >= 0; i = rawUri.indexOf('%', i + 1)) {
            if (i + 2 >= rawUri.length()
                    || Character.digit(rawUri.charAt(i + 1), 16) < 0
                    || Character.digit(rawUri.charAt(i + 2), 16) < 0) {
                throw CofferException.invalid("path_invalid", "malformed percent-encoding in the request path");
            }
        }
    }

    private boolean hasRoute(HandlerType method, String path) {
        return routes.stream().anyMatch(r -> r.method() == method && r.path().equals(path));
    }

    /** The route table, for the deny-by-default test and documentation. */
    public List<Route> routes() {
        return new ArrayList<>(routes);
    }

    public int start(String host, int port) {
        this.host = host;
        this.port = port;
        try {
            app.start(host, port);
        } catch (io.javalin.util.JavalinBindException e) {
            // a newcomer's most likely first error: one line that says what to do, not a stack trace
            throw new IllegalStateException(
                    "cannot listen on " + host + ":" + port
                            + ": the port is in use (is another Coffer running?); choose another with --port or COFFER_PORT",
                    e);
        }
        return app.port();
    }

    /** Waits up to {@code graceMillis} for in-flight requests, then stops. */
    public void stop(long graceMillis) {
        try {
            var server = app.jettyServer().server();
            for (var c : server.getConnectors()) {
                if (c instanceof org.eclipse.jetty.server.AbstractNetworkConnector nc) {
                    nc.close();
                }
            }
            long deadline = System.currentTimeMillis() + graceMillis;
            while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("while closing connectors", e);
        }
        app.stop();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
