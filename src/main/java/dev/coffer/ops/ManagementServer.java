package dev.coffer.ops;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The optional management listener ({@code metrics.port}): {@code GET /metrics} without
 * credentials, on the same host as the main server, and nothing else. Meant for a Prometheus
 * scraper on a private network; keep the port closed to the outside.
 */
public final class ManagementServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private ManagementServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static ManagementServer start(String host, int port, Metrics metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new IllegalArgumentException("setting 'metrics.port' (COFFER_METRICS_PORT): cannot listen on " + host
                    + ":" + port + ": " + e.getMessage());
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                byte[] body;
                int status;
                String type = "application/json; charset=utf-8";
                if (!path.equals("/metrics") && !path.equals("/metrics/")) {
                    status = 404;
                    body =
                            "{\"error\":{\"status\":404,\"code\":\"not_found\",\"message\":\"only /metrics is served here\"}}"
                                    .getBytes(StandardCharsets.UTF_8);
                } else if (!method.equals("GET") && !method.equals("HEAD")) {
                    status = 405;
                    body = "{\"error\":{\"status\":405,\"code\":\"method_not_allowed\",\"message\":\"use GET\"}}"
                            .getBytes(StandardCharsets.UTF_8);
                } else {
                    status = 200;
                    type = Metrics.CONTENT_TYPE;
                    body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().set("Content-Type", type);
                boolean head = method.equals("HEAD");
                exchange.sendResponseHeaders(status, head ? -1 : body.length);
                if (!head) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        });
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "coffer-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new ManagementServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
