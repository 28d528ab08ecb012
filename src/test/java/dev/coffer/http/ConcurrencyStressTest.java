package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.http.StressFixture.Outcome;
import dev.coffer.http.StressFixture.Target;
import dev.coffer.http.StressFixture.Variant;
import dev.coffer.testing.Http;
import dev.coffer.testing.KeepAliveSocket;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Many callers at once on dozens of keep-alive connections (raw sockets, some pipelining, several
 * HttpClients, the suites' shared client): every credential transport of API.md §4 and invalid
 * credentials of every sort, small files (the fast path), large ones (the router), missing ones
 * and /api/me, GET and HEAD. Every response is checked exactly against what {@link StressFixture}
 * says that caller may do. Bounded by {@code coffer.stress.seconds} (10) and
 * {@code coffer.stress.requests} (1,000,000); {@code coffer.stress.seed} repeats a run's choices.
 * Issue 16: a valid secret right after its case-flipped twin on one connection was read as the twin.
 */
class ConcurrencyStressTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RAW_WORKERS = 24;
    private static final int HTTP_CLIENTS = 4;
    private static final int WORKERS_PER_CLIENT = 3;
    private static final int SHARED_CLIENT_WORKERS = 2;

    private static TestServer server;
    private static StressFixture world;
    private static List<Variant> accepted;

    private final AtomicLong checked = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final LongAdder failureCount = new LongAdder();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private AtomicLongArray byVariant;
    private long deadline;
    private long maxRequests;

    @BeforeAll
    static void start() {
        // password failures from 127.0.0.1 on purpose: no lock by address either
        server = TestServer.start(Map.of("lockout.address", "1000000"));
        world = new StressFixture(server).build();
        accepted = world.variants.stream()
                .filter(v -> v.outcome() == Outcome.ACCEPTED)
                .toList();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** One exchange to check: who asks, for what, how. */
    record Exchange(Variant variant, Target target, String method) {}

    /** A client connection of one kind; a Reply's header names are lower case. */
    interface Conn {
        List<RawHttp.Reply> send(List<Exchange> exchanges, boolean close) throws IOException, InterruptedException;

        default void close() {}
    }

    @Test
    void everyResponseIsExactlyWhatTheCallerMayGet(TestReporter reporter) throws Exception {
        long seconds = Long.getLong("coffer.stress.seconds", 10);
        maxRequests = Long.getLong("coffer.stress.requests", 1_000_000);
        long seed = Long.getLong("coffer.stress.seed", System.nanoTime());
        byVariant = new AtomicLongArray(world.variants.size());
        double fastBefore = meter("coffer_fast_downloads_total");

        List<Conn> conns = new ArrayList<>();
        List<KeepAliveSocket> sockets = new ArrayList<>();
        for (int i = 0; i < RAW_WORKERS; i++) {
            KeepAliveSocket s = new KeepAliveSocket(server.port());
            sockets.add(s);
            conns.add(raw(s));
        }
        for (int c = 0; c < HTTP_CLIENTS; c++) {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            for (int w = 0; w < WORKERS_PER_CLIENT; w++) {
                conns.add(httpClient(client));
            }
        }
        for (int i = 0; i < SHARED_CLIENT_WORKERS; i++) {
            conns.add(sharedClient());
        }

        long started = System.nanoTime();
        deadline = started + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(conns.size());
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int i = 0; i < conns.size(); i++) {
            // costly variants (a password to hash) come up again only on two raw workers, now and then
            Worker w = new Worker(conns.get(i), new Random(seed + i), i < RAW_WORKERS, i < 2, i, conns.size());
            done.add(pool.submit(w));
        }
        pool.shutdown();
        boolean finished = pool.awaitTermination(seconds + 600, TimeUnit.SECONDS);
        if (!finished) {
            pool.shutdownNow();
        }
        for (java.util.concurrent.Future<?> f : done) {
            if (f.isDone()) {
                f.get(); // a worker's own bug surfaces here
            }
        }
        sockets.forEach(KeepAliveSocket::close);
        double secs = (System.nanoTime() - started) / 1e9;
        int rawConnections =
                sockets.stream().mapToInt(KeepAliveSocket::connections).sum();
        long fast = (long) (meter("coffer_fast_downloads_total") - fastBefore);

        String summary = String.format(
                Locale.ROOT,
                "stress on %s: %d requests checked in %.1f s (%.0f/s), %d failures; "
                        + "%d workers: %d raw keep-alive sockets (%d connections opened), %d on %d HttpClients, %d on the shared "
                        + "test client; %d variants, %d targets; fast path served %d; by status %s; seed %d",
                server.onFileStore() ? "SQLite + file store" : "PostgreSQL + S3",
                checked.get(),
                secs,
                checked.get() / secs,
                failureCount.sum(),
                conns.size(),
                RAW_WORKERS,
                rawConnections,
                HTTP_CLIENTS * WORKERS_PER_CLIENT,
                HTTP_CLIENTS,
                SHARED_CLIENT_WORKERS,
                world.variants.size(),
                world.targets.size(),
                fast,
                new TreeMap<>(byStatus),
                seed);
        System.out.println(summary);
        reporter.publishEntry("stress", summary);

        assertThat(finished).as("workers ended").isTrue();
        assertThat(failures)
                .as("%s%nfirst failures:%n%s", summary, String.join("\n", failures))
                .isEmpty();
        for (int i = 0; i < world.variants.size(); i++) {
            assertThat(byVariant.get(i))
                    .as("requests with %s", world.variants.get(i).name())
                    .isPositive();
        }
        assertThat(fast).as("small downloads went through the fast path").isPositive();
    }

    private final class Worker implements Runnable {
        private final Conn conn;
        private final Random rnd;
        private final boolean raw;
        private final boolean costly;
        private final String name;
        private final int index;
        private final int workers;
        private String previous = "(none)";
        private long sent;

        Worker(Conn conn, Random rnd, boolean raw, boolean costly, int index, int workers) {
            this.conn = conn;
            this.index = index;
            this.workers = workers;
            this.rnd = rnd;
            this.raw = raw;
            this.costly = costly;
            this.name = "worker " + index;
        }

        @Override
        public void run() {
            // first this worker's share of the variants (together the workers send each at least
            // once, whatever the bounds), then random ones until a bound is met
            List<Variant> first = new ArrayList<>();
            for (int k = index; k < world.variants.size(); k += workers) {
                first.add(world.variants.get(k));
            }
            int i = 0;
            while (i < first.size() || (System.nanoTime() < deadline && checked.get() < maxRequests)) {
                Variant v = i < first.size() ? first.get(i) : pick();
                i++;
                List<Exchange> batch = new ArrayList<>();
                batch.add(exchange(v));
                Variant twin = world.twins.get(v);
                if (twin != null && rnd.nextInt(3) == 0) {
                    batch.add(exchange(twin)); // the sequence of issue 16, on one connection
                }
                if (raw && rnd.nextInt(8) == 0) {
                    for (int n = rnd.nextInt(3); n >= 0; n--) {
                        batch.add(exchange(pick())); // pipelined behind the first
                    }
                }
                boolean close = raw && rnd.nextInt(150) == 0;
                if (raw || batch.size() == 1) {
                    run(batch, close);
                } else {
                    for (Exchange e : batch) {
                        run(List.of(e), false);
                    }
                }
            }
            conn.close();
        }

        /** Any variant; more often an accepted one, so that most requests read something. */
        private Variant pick() {
            while (true) {
                Variant v = rnd.nextInt(5) < 3
                        ? accepted.get(rnd.nextInt(accepted.size()))
                        : world.variants.get(rnd.nextInt(world.variants.size()));
                if (!v.costly() || (costly && rnd.nextInt(20) == 0)) {
                    return v;
                }
            }
        }

        private Exchange exchange(Variant v) {
            Target t = world.targets.get(rnd.nextInt(world.targets.size()));
            return new Exchange(v, t, rnd.nextInt(10) < 7 ? "GET" : "HEAD");
        }

        private void run(List<Exchange> batch, boolean close) {
            String where = name + ", request " + sent + ", after " + previous;
            List<RawHttp.Reply> replies;
            try {
                replies = conn.send(batch, close);
            } catch (IOException | RuntimeException e) {
                fail(where + ": " + describe(batch.get(0)) + " (batch of " + batch.size() + ") failed: " + e);
                conn.close();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (replies.size() != batch.size()) {
                fail(where + ": " + replies.size() + " replies to " + batch.size() + " pipelined requests");
            }
            for (int k = 0; k < replies.size(); k++) {
                Exchange e = batch.get(k);
                RawHttp.Reply r = replies.get(k);
                String problem = check(e, r);
                checked.incrementAndGet();
                sent++;
                byVariant.incrementAndGet(world.variants.indexOf(e.variant()));
                byStatus.computeIfAbsent(r.status(), s -> new LongAdder()).increment();
                if (problem != null) {
                    fail(where + (k > 0 ? " (pipelined #" + k + ")" : "") + ": " + describe(e) + ": " + problem);
                }
                previous = describe(e) + " -> " + r.status();
            }
        }
    }

    private static String describe(Exchange e) {
        return e.method() + " " + e.target().url() + " as [" + e.variant().name() + "]";
    }

    private void fail(String message) {
        failureCount.increment();
        if (failures.size() < 30) {
            failures.add(message);
        }
    }

    /** Null when the reply is exactly what this caller must get; otherwise what is wrong. */
    static String check(Exchange e, RawHttp.Reply r) {
        Variant v = e.variant();
        Target t = e.target();
        boolean head = e.method().equals("HEAD");
        int want;
        String code = null;
        if (v.outcome() == Outcome.INVALID) {
            want = 401;
            code = "credentials_invalid";
        } else if (v.outcome() == Outcome.AMBIGUOUS) {
            want = 400;
            code = "credentials_ambiguous";
        } else if (t.repo() == null || v.who().mayRead(t.repo(), t.path())) {
            want = t.repo() != null && t.content() == null ? 404 : 200;
            code = want == 404 ? "not_found" : null;
        } else {
            boolean anonymous = v.who().username() == null;
            want = anonymous ? 401 : 403;
            code = anonymous ? "authentication_required" : "forbidden";
        }
        if (r.status() != want) {
            return "status " + r + " (expected " + want + (code == null ? "" : " " + code) + ")";
        }
        if (want == 401 && !StressFixture.CHALLENGE.equals(r.header("WWW-Authenticate"))) {
            return "401 without the Basic challenge";
        }
        if (head && r.body().length != 0) {
            return "HEAD with a body";
        }
        if (code != null) {
            if (head) {
                return null;
            }
            JsonNode error = json(r).path("error");
            return code.equals(error.path("code").asText())
                            && error.path("status").asInt() == want
                    ? null
                    : "error body " + r + " (expected " + code + ")";
        }
        return t.repo() == null ? checkMe(v, head, r) : checkFile(t, head, r);
    }

    private static String checkFile(Target t, boolean head, RawHttp.Reply r) {
        if (!String.valueOf(t.content().length).equals(r.header("Content-Length"))) {
            return "Content-Length " + r.header("Content-Length") + " for " + t.content().length + " bytes";
        }
        if (!("\"" + t.sha256() + "\"").equals(r.header("ETag")) || !t.sha256().equals(r.header("X-Checksum-Sha256"))) {
            return "checksum headers of another file: " + r.header("ETag");
        }
        if (!head && !Arrays.equals(r.body(), t.content())) {
            return "body of " + r.body().length + " bytes differs from the file's " + t.content().length;
        }
        return null;
    }

    private static String checkMe(Variant v, boolean head, RawHttp.Reply r) {
        if (head) {
            return null;
        }
        JsonNode me = json(r);
        String user = me.path("username").isNull() ? null : me.path("username").asText();
        String kind = me.path("authenticatedBy").asText();
        String id = me.path("credentialId").isNull()
                ? null
                : me.path("credentialId").asText();
        String wantId = v.credentialId();
        boolean idOk = wantId == null ? id == null : wantId.isEmpty() ? id != null && !id.isBlank() : wantId.equals(id);
        return java.util.Objects.equals(user, v.who().username()) && kind.equals(v.kind()) && idOk
                ? null
                : "/api/me says " + me + " (expected " + v.who().username() + " by " + v.kind() + ")";
    }

    private static JsonNode json(RawHttp.Reply r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return JSON.createObjectNode().put("unparsable", r.toString());
        }
    }

    // ---- the kinds of connection

    private static Conn raw(KeepAliveSocket socket) {
        return new Conn() {
            @Override
            public List<RawHttp.Reply> send(List<Exchange> batch, boolean close) {
                List<KeepAliveSocket.Request> requests = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    Exchange e = batch.get(i);
                    List<String> lines = new ArrayList<>();
                    e.variant().headers().forEach(h -> lines.add(h[0] + ": " + h[1]));
                    if (close && i == batch.size() - 1) {
                        lines.add("Connection: close");
                    }
                    requests.add(
                            new KeepAliveSocket.Request(e.method(), e.target().url(), lines));
                }
                return socket.pipeline(requests);
            }

            @Override
            public void close() {
                socket.close();
            }
        };
    }

    private static Conn httpClient(HttpClient client) {
        return (batch, close) -> {
            Exchange e = batch.get(0);
            HttpRequest.Builder b = HttpRequest.newBuilder(
                            URI.create(server.base() + e.target().url()))
                    .timeout(Duration.ofMinutes(1))
                    .method(e.method(), HttpRequest.BodyPublishers.noBody());
            e.variant().headers().forEach(h -> b.header(h[0], h[1]));
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return List.of(reply(r.statusCode(), r.headers().map(), r.body()));
        };
    }

    /** dev.coffer.testing.Http: the one static HttpClient every HTTP test class shares. */
    private static Conn sharedClient() {
        return (batch, close) -> {
            Exchange e = batch.get(0);
            Http h = server.anonymous();
            for (String[] header : e.variant().headers()) {
                h = h.header(header[0], header[1]);
            }
            Http.Response r = h.send(e.method(), e.target().url(), HttpRequest.BodyPublishers.noBody());
            return List.of(reply(r.status(), r.headers().map(), r.bytes()));
        };
    }

    private static RawHttp.Reply reply(int status, Map<String, List<String>> headers, byte[] body) {
        Map<String, String> first = new java.util.LinkedHashMap<>();
        headers.forEach((k, v) -> first.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
        return new RawHttp.Reply(status, first, body == null ? new byte[0] : body);
    }

    private static double meter(String name) {
        Http.Response r = server.admin().get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(r.body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
