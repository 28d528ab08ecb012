package dev.coffer.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Helpers of the security suite: administration over HTTP and a raw HTTP/1.1 client. */
final class SecurityFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SecurityFixtures() {}

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Http.Response expect(Http.Response r, String what, int... statuses) {
        for (int s : statuses) {
            if (r.status() == s) {
                return r;
            }
        }
        throw new AssertionError(what + ": expected " + Arrays.toString(statuses) + " but got " + r);
    }

    static void repo(TestServer s, String name, boolean anonymousRead) {
        expect(s.admin().putJson("/api/repositories/" + name,
                json(Map.of("description", "repo " + name, "anonymousRead", anonymousRead))), "create repo " + name, 200, 201);
    }

    static void user(TestServer s, String name, String password) {
        expect(s.admin().putJson("/api/users/" + name,
                json(Map.of("password", password, "email", name + "@example.org"))), "create user " + name, 200, 201);
    }

    /** A permission target over several repositories giving {@code actions} (letters) to one user. */
    static void permission(TestServer s, String name, List<String> repos, List<String> includes, String user,
            String actions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("repositories", repos);
        body.put("includePatterns", includes);
        body.put("excludePatterns", List.of());
        List<String> letters = new ArrayList<>();
        actions.chars().forEach(c -> letters.add(String.valueOf((char) c)));
        body.put("users", Map.of(user, letters));
        body.put("groups", Map.of());
        expect(s.admin().putJson("/api/permissions/" + name, json(body)), "permission " + name, 200, 201);
    }

    static Http.Response postJson(Http h, String path, Object body) {
        return h.header("Content-Type", "application/json").post(path, json(body));
    }

    static Http.Response postForm(Http h, String path, Map<String, String> form) {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return h.header("Content-Type", "application/x-www-form-urlencoded").post(path, sb.toString());
    }

    /** A secret with one character of its random body changed (so its checksum no longer matches). */
    static String mistype(String secret) {
        int i = secret.length() / 2;
        char c = secret.charAt(i) == 'A' ? 'B' : 'A';
        return secret.substring(0, i) + c + secret.substring(i + 1);
    }

    /** The reply to a request written byte for byte on a socket. */
    record RawResponse(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + (t.length() > 300 ? t.substring(0, 300) + "..." : t);
        }
    }

    /**
     * Sends {@code GET target HTTP/1.1} with the target's bytes exactly as given (UTF-8 for chars above
     * U+007F, so raw non-ASCII reaches the server unencoded) and the given extra header lines (each
     * "Name: value", sent as ISO-8859-1 bytes), and reads the whole reply.
     */
    static RawResponse raw(TestServer s, String method, String target, List<String> headerLines) {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.writeBytes((method + " ").getBytes(StandardCharsets.ISO_8859_1));
            req.writeBytes(target.getBytes(StandardCharsets.UTF_8));
            req.writeBytes(" HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            StringBuilder h = new StringBuilder();
            h.append("Host: 127.0.0.1:").append(s.port()).append("\r\n");
            h.append("Connection: close\r\n");
            for (String line : headerLines) {
                h.append(line).append("\r\n");
            }
            h.append("\r\n");
            req.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            try {
                out.write(req.toByteArray());
                out.flush();
            } catch (java.net.SocketException e) {
                // the server may answer (431, 400) and close before a huge request is fully sent;
                // its answer is still there to read
            }
            return parse(socket.getInputStream().readAllBytes(), target);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + target + ": " + e.getMessage(), e);
        }
    }

    private static RawResponse parse(byte[] all, String target) throws IOException {
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete response to " + target + ": '" + text + "'");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] rest = Arrays.copyOfRange(all, end + 4, all.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            rest = dechunk(rest);
        }
        return new RawResponse(status, headers, rest);
    }

    private static byte[] dechunk(byte[] in) {
        try {
            return dev.coffer.http.Fixtures.dechunk(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code needle} occurs in {@code hay}. */
    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
