package dev.coffer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTP server on 127.0.0.1 playing a remote repository's upstream (a Maven
 * repository under {@code /maven2}), where a test must count, hold or break requests: files with
 * an ETag and Last-Modified (conditional GETs answer 304), every request recorded, a gate that
 * holds the GETs of one path until the test opens it, a status forced on every request.
 */
public final class UpstreamServer implements AutoCloseable {
    public static final String BASE = "/maven2";
    public static final String LAST_MODIFIED = "Tue, 01 Oct 2024 10:00:00 GMT";

    /** One request as it arrived. */
    public record Seen(String method, String rawPath, Map<String, List<String>> headers) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** {@code stallAfter}: bytes sent before the body stops (until the server closes); -1: all of it. */
    private record Entry(byte[] bytes, String etag, boolean chunked, int stallAfter) {
        Entry(byte[] bytes, String etag, boolean chunked) {
            this(bytes, etag, chunked, -1);
        }
    }

    /** Holds the GETs of one path: {@code arrived} counts down as one comes in, {@code open} lets them go on. */
    public record Gate(CountDownLatch arrived, CountDownLatch open) {}

    /**
     * Stops a body after {@code after} bytes: {@code reached} counts down once they are sent (and
     * flushed), and when {@code resume} is counted down the rest follows, or, with {@code cut}, the
     * connection is closed without it (an upstream that dies in the middle of a body).
     */
    public record Pause(int after, CountDownLatch reached, CountDownLatch resume, boolean cut) {}

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Entry> files = new ConcurrentHashMap<>();
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private final Map<String, Pause> pauses = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger version = new AtomicInteger();
    private volatile int forcedStatus;
    private final CountDownLatch stalled = new CountDownLatch(1);

    private UpstreamServer(HttpServer server) {
        this.server = server;
    }

    public static UpstreamServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            UpstreamServer u = new UpstreamServer(s);
            s.createContext("/", u::handle);
            s.setExecutor(u.threads);
            s.start();
            return u;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository's base URL, as a remote repository's {@code url}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + BASE;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Serves {@code bytes} at {@code path} (below the base), with a new ETag each time it is put. */
    public UpstreamServer put(String path, byte[] bytes) {
        files.put(path, new Entry(bytes, "\"v" + version.incrementAndGet() + "\"", false));
        return this;
    }

    public UpstreamServer put(String path, String text) {
        return put(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The file and its correct {@code .sha1}. */
    public UpstreamServer putWithSha1(String path, byte[] bytes) {
        put(path, bytes);
        return put(path + ".sha1", Digests.hex("SHA-1", bytes));
    }

    /** Served without a Content-Length (chunked): its size is unknown until its end. */
    public UpstreamServer putChunked(String path, byte[] bytes) {
        files.put(path, new Entry(bytes, "\"v" + version.incrementAndGet() + "\"", true));
        return this;
    }

    /** GETs of {@code path} are answered 302 to {@code location}. */
    public UpstreamServer redirect(String path, String location) {
        redirects.put(path, location);
        return this;
    }

    /** Announces all of {@code bytes} but sends only the first {@code n}, then nothing more until it closes. */
    public UpstreamServer putStalling(String path, byte[] bytes, int n) {
        files.put(path, new Entry(bytes, "\"v" + version.incrementAndGet() + "\"", false, n));
        return this;
    }

    public UpstreamServer remove(String path) {
        files.remove(path);
        return this;
    }

    /** Every request is answered with this status (0: back to normal). */
    public void force(int status) {
        forcedStatus = status;
    }

    /** Holds every GET of {@code path} until the gate's {@code open} is counted down. */
    public Gate gate(String path, int expectedArrivals) {
        Gate g = new Gate(new CountDownLatch(expectedArrivals), new CountDownLatch(1));
        gates.put(path, g);
        return g;
    }

    /** The next bodies of {@code path} stop after {@code after} bytes until the pause's {@code resume}. */
    public Pause pause(String path, int after) {
        Pause p = new Pause(after, new CountDownLatch(1), new CountDownLatch(1), false);
        pauses.put(path, p);
        return p;
    }

    /**
     * The next bodies of {@code path} stop after {@code after} bytes ({@code reached} counts
     * {@code arrivals} of them) and break off there once {@code resume} is counted down.
     */
    public Pause cutAfter(String path, int after, int arrivals) {
        Pause p = new Pause(after, new CountDownLatch(arrivals), new CountDownLatch(1), true);
        pauses.put(path, p);
        return p;
    }

    /** Bodies of {@code path} are whole again. */
    public UpstreamServer unpause(String path) {
        pauses.remove(path);
        return this;
    }

    /** GETs of {@code path} received so far. */
    public int gets(String path) {
        return gets.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String raw = ex.getRequestURI().getRawPath();
            seen.add(new Seen(ex.getRequestMethod(), raw, Map.copyOf(ex.getRequestHeaders())));
            if (forcedStatus != 0) {
                ex.sendResponseHeaders(forcedStatus, -1);
                return;
            }
            if (!raw.startsWith(BASE + "/")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String path = URI.create(raw.substring(BASE.length() + 1)).getPath();
            gets.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Gate gate = gates.get(path);
            if (gate != null) {
                gate.arrived().countDown();
                try {
                    if (!gate.open().await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the gate of " + path + " was never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            String location = redirects.get(path);
            if (location != null) {
                ex.getResponseHeaders().add("Location", location);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            Entry e = files.get(path);
            if (e == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String inm = ex.getRequestHeaders().getFirst("If-None-Match");
            String ims = ex.getRequestHeaders().getFirst("If-Modified-Since");
            ex.getResponseHeaders().add("ETag", e.etag());
            ex.getResponseHeaders().add("Last-Modified", LAST_MODIFIED);
            if ((inm != null && inm.equals(e.etag())) || (inm == null && LAST_MODIFIED.equals(ims))) {
                ex.sendResponseHeaders(304, -1);
                return;
            }
            ex.sendResponseHeaders(200, e.chunked() ? 0 : e.bytes().length);
            try (OutputStream out = ex.getResponseBody()) {
                if (e.stallAfter() < 0) {
                    // in pieces: the JDK's server copies each write into a buffer of its size, and
                    // a 20 MiB copy per request is too much for the test JVM's 256 MiB heap
                    byte[] b = e.bytes();
                    Pause pause = pauses.get(path);
                    int pauseAt = pause == null ? -1 : pause.after();
                    for (int at = 0; at < b.length; ) {
                        int n = Math.min(64 * 1024, b.length - at);
                        if (at < pauseAt && at + n >= pauseAt) {
                            n = pauseAt - at;
                        }
                        out.write(b, at, n);
                        at += n;
                        if (at == pauseAt) {
                            out.flush();
                            pause.reached().countDown();
                            if (!pause.resume().await(60, TimeUnit.SECONDS)) {
                                throw new IllegalStateException("the pause of " + path + " was never resumed");
                            }
                            if (pause.cut()) {
                                // closing the exchange short of its Content-Length closes the connection
                                ex.close();
                                return;
                            }
                        }
                    }
                } else {
                    out.write(e.bytes(), 0, e.stallAfter());
                    out.flush();
                    stalled.await();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stalled.countDown();
        gates.values().forEach(g -> g.open().countDown());
        pauses.values().forEach(p -> p.resume().countDown());
        server.stop(0);
        threads.shutdownNow();
    }
}
