package dev.coffer.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written byte for byte on its own connection, and the whole reply: for what
 * java.net.http will not send (a target exactly as given, a header twice, odd header lines, no
 * Host). {@link KeepAliveSocket} sends several on one connection.
 */
public final class RawHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RawHttp() {}

    /** A reply; header names in lower case, a chunked body decoded. */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The "code" of a JSON error body. */
        public String errorCode() {
            try {
                return JSON.readTree(body).path("error").path("code").asText(null);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + text(), e);
            }
        }

        @Override
        public String toString() {
            String type = String.valueOf(header("Content-Type"));
            if (!type.startsWith("application/json") && !type.startsWith("text/") && body.length > 0) {
                return status + " (" + body.length + " bytes of " + type + ")";
            }
            String t = text();
            return status + " " + (t.length() > 300 ? t.substring(0, 300) + "..." : t);
        }
    }

    /** {@link #send(Server, String, String, List, byte[])} without a body. */
    public static Reply send(Server s, String method, String target, String... headerLines) {
        return send(s, method, target, List.of(headerLines), null);
    }

    /**
     * Sends {@code METHOD target HTTP/1.1} with the target's chars as UTF-8 bytes (so raw non-ASCII
     * reaches the server unencoded), Host and {@code Connection: close}, the header lines ("Name:
     * value", as ISO-8859-1 bytes), Content-Length when there is a body, and the body.
     */
    public static Reply send(Server s, String method, String target, List<String> headerLines, byte[] body) {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes((method + " ").getBytes(StandardCharsets.ISO_8859_1));
        req.writeBytes(target.getBytes(StandardCharsets.UTF_8));
        StringBuilder h = new StringBuilder(" HTTP/1.1\r\n");
        h.append("Host: 127.0.0.1:").append(s.port()).append("\r\n");
        h.append("Connection: close\r\n");
        for (String line : headerLines) {
            h.append(line).append("\r\n");
        }
        if (body != null) {
            h.append("Content-Length: ").append(body.length).append("\r\n");
        }
        h.append("\r\n");
        req.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            req.writeBytes(body);
        }
        return exchange(s.port(), req.toByteArray(), method + " " + target);
    }

    /** Writes {@code request} exactly as it is and reads the reply to the end of the connection. */
    public static Reply exchange(int port, byte[] request, String what) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException e) {
                // the server may answer (431, 400) and close before a huge request is fully sent;
                // its answer is still there to read
            }
            return parse(socket.getInputStream().readAllBytes(), what);
        } catch (IOException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    private static Reply parse(byte[] all, String what) throws IOException {
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete response to " + what + ": '" + text + "'");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] rest = Arrays.copyOfRange(all, end + 4, all.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            rest = dechunk(rest);
        }
        return new Reply(status, headers, rest);
    }

    /** Undoes chunked transfer encoding. */
    private static byte[] dechunk(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream s = new ByteArrayInputStream(in);
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
