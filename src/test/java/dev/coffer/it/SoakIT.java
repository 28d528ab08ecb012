package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded soak: mixed authenticated reads and writes, bad credentials and forbidden writes from
 * many connections for {@code coffer.soak.seconds} (default 120), against the packaged jar held to
 * a 128 MiB heap. Every response must be one of the expected statuses, and the process's resident
 * memory must stay under 512 MiB. The figures are printed for the README's reliability section.
 */
class SoakIT {
    private static final String PW = "soak-admin";
    private static final long RSS_LIMIT_KIB = 512 * 1024;

    @Test
    void mixedLoadHoldsWithoutErrorsOrGrowth(@TempDir Path data) throws Exception {
        int seconds = Integer.getInteger("coffer.soak.seconds", 120);
        try (CofferProcess c = CofferProcess.start(data, List.of("-Xmx128m"), Map.of("COFFER_ADMIN_PASSWORD", PW))) {
            Http admin = new Http(c.base()).basic("admin", PW);
            admin.putJson("/api/repositories/libs", "{}");
            admin.putJson("/api/repositories/other", "{}");
            admin.putJson("/api/users/ci", "{\"password\":\"ci-password\"}");
            admin.putJson(
                    "/api/permissions/ci-libs", "{\"repositories\":[\"libs\"],\"users\":{\"ci\":[\"r\",\"w\",\"d\"]}}");
            Http ci = new Http(c.base()).basic("ci", "ci-password");
            String key = ci.post("/api/access-keys", "{\"description\":\"soak\"}")
                    .json()
                    .path("key")
                    .asText();
            String token = ci.header("Content-Type", "application/x-www-form-urlencoded")
                    .post("/access/api/v1/tokens", "scope=artifact:libs/**:r")
                    .json()
                    .path("access_token")
                    .asText();
            for (int i = 0; i < 50; i++) {
                admin.put("/repository/libs/f" + i + ".bin", new byte[1024 * (1 + i)]);
            }

            Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
            List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
            List<Sent> failed = Collections.synchronizedList(new ArrayList<>());
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicLong requests = new AtomicLong();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long rssStart = 0;
            long rssMax = 0;
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                int id = w;
                workers.add(pool.submit(() -> {
                    SplittableRandom rnd = new SplittableRandom(id);
                    while (System.nanoTime() < deadline) {
                        int dice = rnd.nextInt(100);
                        int file = rnd.nextInt(50);
                        HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30));
                        List<Integer> ok;
                        if (dice < 60) {
                            b.uri(URI.create(c.base() + "/repository/libs/f" + file + ".bin"))
                                    .header("Authorization", "Bearer " + token)
                                    .GET();
                            ok = List.of(200);
                        } else if (dice < 80) {
                            byte[] body = new byte[512 + rnd.nextInt(64 * 1024)];
                            b.uri(URI.create(c.base() + "/repository/libs/w" + id + "/" + rnd.nextInt(20) + ".bin"))
                                    .header("X-Auth-AccessKey", key)
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
                            ok = List.of(200, 201);
                        } else if (dice < 90) {
                            b.uri(URI.create(c.base() + "/repository/libs/f" + file + ".bin"))
                                    .header("Authorization", "Bearer " + token.substring(0, token.length() - 1) + "x")
                                    .GET();
                            ok = List.of(401);
                        } else {
                            b.uri(URI.create(c.base() + "/repository/other/x" + file + ".bin"))
                                    .header("Authorization", "Bearer " + token)
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[100]));
                            ok = List.of(403);
                        }
                        long t0 = System.nanoTime();
                        long sentAt = System.currentTimeMillis();
                        try {
                            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                            latencies.add(System.nanoTime() - t0);
                            requests.incrementAndGet();
                            statuses.computeIfAbsent(String.valueOf(r.statusCode()), k -> new AtomicLong())
                                    .incrementAndGet();
                            if (!ok.contains(r.statusCode())) {
                                unexpected.add(r.statusCode() + " for "
                                        + b.build().method() + " " + b.build().uri());
                            }
                        } catch (Exception e) {
                            unexpected.add(e + " for " + b.build().method() + " "
                                    + b.build().uri());
                            failed.add(new Sent(sentAt, b.build().uri().getPath()));
                        }
                    }
                    return null;
                }));
            }
            long pid = c.process().pid();
            long start = System.nanoTime();
            while (System.nanoTime() < deadline) {
                Thread.sleep(1000);
                long rss = rssKib(pid);
                if (rssStart == 0 && System.nanoTime() - start > TimeUnit.SECONDS.toNanos(Math.min(10, seconds / 4))) {
                    rssStart = rss;
                }
                rssMax = Math.max(rssMax, rss);
            }
            for (Future<?> f : workers) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            long p50 = sorted.get(sorted.size() / 2) / 1000;
            long p99 = sorted.get((int) (sorted.size() * 0.99)) / 1000;
            System.out.printf(
                    "soak: %d s, %d requests (%.0f/s), statuses %s, p50 %d us, p99 %d us, RSS after warm-up %d MiB, max %d MiB%n",
                    seconds,
                    requests.get(),
                    requests.get() / (double) seconds,
                    statuses,
                    p50,
                    p99,
                    rssStart / 1024,
                    rssMax / 1024);
            assertThat(unexpected)
                    .as(
                            "unexpected outcomes; the server's output:%n%s%n%s%n%s",
                            lastLines(c.stdout()), c.stderr(), unexpected.isEmpty() ? "" : serverSide(data, failed))
                    .isEmpty();
            assertThat(requests.get()).isGreaterThan(seconds * 10L);
            assertThat(rssMax).as("resident memory in KiB").isLessThan(RSS_LIMIT_KIB);
            assertThat(c.process().isAlive()).isTrue();
        }
    }

    /** A request that failed without a status (a timeout, a reset): when it was sent, and where. */
    private record Sent(long millis, String path) {}

    /**
     * What the server's access log says about the requests that failed without a status: its lines
     * for the same path within half a second of each, and every line of a second or more. A line
     * means the server answered (and when, how fast); none means it never finished the request.
     */
    private static String serverSide(Path data, List<Sent> failed) {
        try {
            return accessLogAbout(data, failed);
        } catch (Exception e) { // the diagnosis must never hide the failure it explains
            return "could not read the access log: " + e;
        }
    }

    private static String accessLogAbout(Path data, List<Sent> failed) throws Exception {
        Thread.sleep(500); // the access log is written in batches
        List<Sent> sent = List.copyOf(failed);
        ObjectMapper json = new ObjectMapper();
        List<String> found = new ArrayList<>();
        List<Path> logs;
        try (Stream<Path> files = Files.list(data.resolve("logs"))) {
            logs = files.filter(f -> f.getFileName().toString().startsWith("access.log"))
                    .sorted()
                    .toList();
        }
        for (Path log : logs) {
            try (Stream<String> lines = Files.lines(log)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    JsonNode n = json.readTree(line);
                    long at = Instant.parse(n.path("time").asText()).toEpochMilli();
                    String path = n.path("path").asText();
                    boolean near =
                            sent.stream().anyMatch(f -> f.path().equals(path) && Math.abs(at - f.millis()) <= 500);
                    if ((near || n.path("durationMs").asDouble() >= 1000) && found.size() < 200) {
                        found.add(line);
                    }
                }
            }
        }
        return "failed without a status (sent at, path): " + sent + "\nthe access log's lines for them (same path,"
                + " within 0.5 s) and every line of 1 s or more, from " + logs + ":\n" + String.join("\n", found);
    }

    private static String lastLines(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 100), lines.size()));
    }

    private static long rssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
