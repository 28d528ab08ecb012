package dev.coffer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.testing.Http;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /metrics (admin route and management port) and the JSON-lines access log, in-process. */
class MetricsAndAccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("metrics.port", "0"));
        Http admin = server.admin();
        assertThat(admin.putJson("/api/repositories/libs", "{}").status()).isEqualTo(201);
        assertThat(admin.put("/repository/libs/app/1.0/app.zip", "hello bytes").status())
                .isEqualTo(201);
        assertThat(admin.get("/repository/libs/app/1.0/app.zip").body()).isEqualTo("hello bytes");
        assertThat(server.anonymous()
                        .basic("admin", "wrong-password")
                        .get("/api/me")
                        .status())
                .isEqualTo(401);
        assertThat(server.anonymous()
                        .bearer("cofat_notarealtoken")
                        .get("/api/me")
                        .status())
                .isEqualTo(401);
        server.anonymous().get("/no/such/route");
        assertThat(server.anonymous().get("/api/me").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void metricsNeedAnAdministrator() {
        assertThat(server.anonymous().get("/metrics").status()).isEqualTo(401);
        assertThat(server.admin()
                        .putJson("/api/users/bob", "{\"password\":\"bob-password\"}")
                        .status())
                .isEqualTo(201);
        assertThat(server.anonymous()
                        .basic("bob", "bob-password")
                        .get("/metrics")
                        .status())
                .isEqualTo(403);
        Http.Response r = server.admin().get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
    }

    @Test
    void metricsShowRoutesAuthenticationTransfersCachesAndTheJvm() {
        String text = server.admin().get("/metrics").body();
        assertThat(text)
                .contains(
                        "coffer_http_requests_seconds_count{method=\"PUT\",route=\"/repository/{repo}/<path>\",status=\"201\"}")
                .contains(
                        "coffer_http_requests_seconds_bucket{method=\"GET\",route=\"/repository/{repo}/<path>\",status=\"200\"")
                .contains("route=\"unmatched\",status=\"404\"")
                .doesNotContain("app.zip")
                .contains("coffer_authentications_total{kind=\"password\",outcome=\"accepted\"}")
                .contains("coffer_authentications_total{kind=\"password\",outcome=\"rejected\"}")
                .contains("coffer_authentications_total{kind=\"access-token\",outcome=\"rejected\"}")
                .contains("coffer_authentications_total{kind=\"anonymous\",outcome=\"accepted\"}")
                .contains("coffer_upload_bytes_total")
                .contains("coffer_download_bytes_total")
                .contains("coffer_upload_duration_seconds_bucket")
                .contains("coffer_download_duration_seconds_bucket")
                .contains("cache_gets_total{cache=\"credentials\"")
                .contains("cache_gets_total{cache=\"passwords\"")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_threads_live_threads")
                .contains("jvm_gc_");
        assertThat(value(text, "coffer_upload_bytes_total")).isGreaterThanOrEqualTo(11);
        assertThat(value(text, "coffer_download_bytes_total")).isGreaterThanOrEqualTo(11);
    }

    @Test
    void managementPortServesMetricsWithoutCredentials() {
        assertThat(server.coffer().managementPort()).isPositive();
        Http mgmt = new Http("http://127.0.0.1:" + server.coffer().managementPort());
        Http.Response r = mgmt.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("coffer_http_requests_seconds_count");
        assertThat(mgmt.get("/api/me").status()).isEqualTo(404);
        assertThat(server.output)
                .contains(
                        "coffer metrics on http://127.0.0.1:" + server.coffer().managementPort());
    }

    @Test
    void accessLogHasOneJsonLinePerRequestWithoutQueryValues() throws Exception {
        Http.Response r = server.admin()
                .header("User-Agent", "probe/1.0 cofak_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .get("/api/me?refresh_token=hunter2value&x=y");
        assertThat(r.status()).isEqualTo(200);
        JsonNode me = await(l ->
                l.path("path").asText().equals("/api/me") && l.path("query").size() == 2);
        assertThat(me.path("route").asText()).isEqualTo("/api/me");
        assertThat(me.path("method").asText()).isEqualTo("GET");
        assertThat(me.path("status").asInt()).isEqualTo(200);
        assertThat(me.path("user").asText()).isEqualTo("admin");
        assertThat(me.path("authenticatedBy").asText()).isEqualTo("password");
        assertThat(me.path("query").toString()).isEqualTo("[\"refresh_token\",\"x\"]");
        assertThat(me.path("userAgent").asText()).isEqualTo("probe/1.0 cofak_[redacted]");
        assertThat(me.path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(me.has("time")).isTrue();
        assertThat(me.has("durationMs")).isTrue();
        assertThat(log()).doesNotContain("hunter2value").doesNotContain("x=y");

        JsonNode upload = await(l -> l.path("method").asText().equals("PUT")
                && l.path("path").asText().equals("/repository/libs/app/1.0/app.zip"));
        assertThat(upload.path("route").asText()).isEqualTo("/repository/{repo}/<path>");
        assertThat(upload.path("status").asInt()).isEqualTo(201);
        assertThat(upload.path("bytesIn").asLong()).isEqualTo(11);
        JsonNode download = await(l -> l.path("method").asText().equals("GET")
                && l.path("path").asText().equals("/repository/libs/app/1.0/app.zip"));
        assertThat(download.path("bytesOut").asLong()).isEqualTo(11);
        // served by the fast path: the request log is given the request's Exchange there too
        assertThat(download.path("route").asText()).isEqualTo("/repository/{repo}/<path>");
        assertThat(download.path("authenticatedBy").asText()).isEqualTo("password");

        JsonNode rejected = await(l -> l.path("status").asInt() == 401
                && l.has("rejectedCredential")
                && l.path("rejectedCredential").asText().equals("access-token"));
        assertThat(rejected.path("user").isNull()).isTrue();
        JsonNode unmatched = await(l -> l.path("path").asText().equals("/no/such/route"));
        assertThat(unmatched.path("route").asText()).isEqualTo("unmatched");
        assertThat(unmatched.path("status").asInt()).isEqualTo(404);
    }

    @Test
    void accessLogLinesWithNonAsciiOrEncodedTextAreValidUtf8JsonAndMasked() throws Exception {
        // the writer copies ASCII lines byte for byte and sends anything else through the String
        // path with its masking; both must give the same JSON a reader can parse
        byte[] request = ("GET /no/such/caf%C3%A9/cofak%5FAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nUser-Agent: caf\u00e9-agent\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        RawHttp.exchange(server.port(), request, "non-ASCII user agent");
        JsonNode line = await(l -> l.path("userAgent").asText().endsWith("-agent")
                && l.path("path").asText().startsWith("/no/such/caf"));
        assertThat(line.path("userAgent").asText()).startsWith("caf").doesNotContain("?");
        assertThat(line.path("path").asText()).isEqualTo("/no/such/caf%C3%A9/cofak_[redacted]");
        assertThat(log()).doesNotContain("AAAAAAAAAAAAAAAA");
    }

    private static long value(String text, String name) {
        return text.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String log() throws IOException {
        return Files.readString(server.data().resolve("logs/access.log"), StandardCharsets.UTF_8);
    }

    /** Lines are written once a response is complete, which may be just after the client has it. */
    private static JsonNode await(Predicate<JsonNode> match) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        List<JsonNode> lines = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            lines.clear();
            Path file = server.data().resolve("logs/access.log");
            if (Files.exists(file)) {
                for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lines.add(JSON.readTree(l));
                }
            }
            for (JsonNode l : lines) {
                if (match.test(l)) {
                    return l;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching access log line in " + lines);
    }
}
