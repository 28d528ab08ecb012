package dev.coffer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** A small immutable HTTP client for tests: {@code http.header("X", "y").put("/path", bytes)}. */
public final class Http {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Map<String, String> headers;

    public Http(String base) {
        this(base, Map.of());
    }

    private Http(String base, Map<String, String> headers) {
        this.base = base;
        this.headers = headers;
    }

    public Http header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Http(base, h);
    }

    public Http basic(String user, String password) {
        return header("Authorization", basicAuthorization(user, password));
    }

    /** The Authorization value {@code Basic base64(user:password)}, for requests written by hand. */
    public static String basicAuthorization(String user, String password) {
        return basicAuthorization(user + ":" + password);
    }

    /** The Authorization value {@code Basic base64(pair)}, with the pair exactly as given (no colon, say). */
    public static String basicAuthorization(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    public Http bearer(String token) {
        return header("Authorization", "Bearer " + token);
    }

    /** A response with its body as bytes. */
    public record Response(int status, HttpHeaders headers, byte[] bytes) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body(), e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The "code" of a JSON error body (beside "error" in the npm routes' shape). */
        public String errorCode() {
            JsonNode error = json().path("error");
            return error.isTextual()
                    ? json().path("code").asText(null)
                    : error.path("code").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + (bytes.length > 500 ? body().substring(0, 500) + "..." : body());
        }
    }

    public Response get(String path) {
        return send("GET", path, HttpRequest.BodyPublishers.noBody());
    }

    public Response head(String path) {
        return send("HEAD", path, HttpRequest.BodyPublishers.noBody());
    }

    public Response delete(String path) {
        return send("DELETE", path, HttpRequest.BodyPublishers.noBody());
    }

    public Response put(String path, byte[] body) {
        return send("PUT", path, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    public Response put(String path, String body) {
        return put(path, body.getBytes(StandardCharsets.UTF_8));
    }

    public Response putJson(String path, String json) {
        return header("Content-Type", "application/json").put(path, json);
    }

    public Response post(String path, String body) {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(body));
    }

    public Response putStream(String path, Supplier<InputStream> body) {
        return send("PUT", path, HttpRequest.BodyPublishers.ofInputStream(body));
    }

    public Response send(String method, String path, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofMinutes(5))
                .method(method, body);
        headers.forEach(b::header);
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
