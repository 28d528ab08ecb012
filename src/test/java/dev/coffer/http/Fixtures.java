package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared helpers for the HTTP tests: administration calls, digests, and a raw HTTP/1.1 client. */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Fixtures() {}

    /** A repository name no other test of this JVM uses. */
    static String unique(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void repo(TestServer s, String name, boolean anonymousRead) {
        Http.Response r = s.admin().putJson("/api/repositories/" + name,
                json(Map.of("description", "test repo " + name, "anonymousRead", anonymousRead)));
        assertThat(r.status()).as("create repository %s: %s", name, r).isIn(200, 201);
    }

    static void group(TestServer s, String name) {
        Http.Response r = s.admin().putJson("/api/groups/" + name, json(Map.of("description", "g")));
        assertThat(r.status()).as("create group %s: %s", name, r).isIn(200, 201);
    }

    static void user(TestServer s, String name, String password, String... groups) {
        Http.Response r = s.admin().putJson("/api/users/" + name,
                json(Map.of("password", password, "email", name + "@example.org", "groups", List.of(groups))));
        assertThat(r.status()).as("create user %s: %s", name, r).isIn(200, 201);
    }

    /** A permission target on one repository giving {@code actions} (letters) to one user. */
    static void grantUser(TestServer s, String target, String repo, String user, String actions) {
        permission(s, target, repo, List.of("**"), List.of(), Map.of(user, letters(actions)), Map.of());
    }

    static void permission(TestServer s, String name, String repo, List<String> includes, List<String> excludes,
            Map<String, List<String>> users, Map<String, List<String>> groups) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("repositories", List.of(repo));
        body.put("includePatterns", includes);
        body.put("excludePatterns", excludes);
        body.put("users", users);
        body.put("groups", groups);
        Http.Response r = s.admin().putJson("/api/permissions/" + name, json(body));
        assertThat(r.status()).as("create permission %s: %s", name, r).isIn(200, 201);
    }

    static List<String> letters(String actions) {
        return actions.chars().mapToObj(c -> String.valueOf((char) c)).toList();
    }

    static Http.Response put(Http client, String url, String content) {
        Http.Response r = client.put(url, content);
        assertThat(r.status()).as("PUT %s: %s", url, r).isIn(200, 201);
        return r;
    }

    static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    /** The reply to a request written byte for byte on a socket. */
    record RawResponse(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String errorCode() {
            try {
                return JSON.readTree(body).path("error").path("code").asText(null);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /**
     * Sends {@code METHOD target HTTP/1.1} with the target exactly as given (no URI class in
     * between), an optional Authorization header and body, and reads the whole reply.
     */
    static RawResponse raw(TestServer s, String method, String target, String authorization, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(30_000);
            StringBuilder req = new StringBuilder();
            req.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            req.append("Host: 127.0.0.1:").append(s.port()).append("\r\n");
            req.append("Connection: close\r\n");
            if (authorization != null) {
                req.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (body != null) {
                req.append("Content-Length: ").append(body.length).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = socket.getOutputStream();
            // ISO-8859-1 keeps every char of the target as exactly one byte on the wire
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + target + ": " + e.getMessage(), e);
        }
    }

    private static RawResponse parse(byte[] all) throws IOException {
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            rest = dechunk(rest);
        }
        return new RawResponse(status, headers, new String(rest, StandardCharsets.UTF_8));
    }

    /** Undoes chunked transfer encoding (shared with the security fixtures). */
    public static byte[] dechunk(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream s = new java.io.ByteArrayInputStream(in);
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = s.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.length() == 0 && c < 0) {
                break;
            }
            if (line.length() == 0) {
                continue;
            }
            int size = Integer.parseInt(line.toString().split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(s.readNBytes(size));
        }
        return out.toByteArray();
    }
}
