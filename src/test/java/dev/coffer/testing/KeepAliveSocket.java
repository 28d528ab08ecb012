package dev.coffer.testing;

import dev.coffer.testing.RawHttp.Reply;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection kept open across requests, written byte for byte: header lines go on
 * the wire exactly as given ({@code "Authorization: Bearer x"}), and each reply is read exactly
 * to its end (Content-Length, chunked, or none for HEAD), so the next request follows on the same
 * connection as a keep-alive client sends it. Reopens by itself when the server closed.
 */
public final class KeepAliveSocket implements AutoCloseable {
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int connections;

    public KeepAliveSocket(int port) {
        this.port = port;
    }

    /** How many TCP connections this client has opened so far. */
    public int connections() {
        return connections;
    }

    /** One request: its method, target exactly as sent, and header lines besides Host. */
    public record Request(String method, String target, List<String> headerLines) {}

    public Reply send(String method, String target, List<String> headerLines) {
        return pipeline(List.of(new Request(method, target, headerLines))).get(0);
    }

    /**
     * Writes all the requests at once (HTTP/1.1 pipelining: the server reads the next one while it
     * still answers the first), then reads their replies in order.
     */
    public List<Reply> pipeline(List<Request> requests) {
        try {
            if (socket == null) {
                socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(60_000);
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                out = socket.getOutputStream();
                connections++;
            }
            StringBuilder req = new StringBuilder(256 * requests.size());
            for (Request r : requests) {
                req.append(r.method()).append(' ').append(r.target()).append(" HTTP/1.1\r\n");
                req.append("Host: 127.0.0.1:").append(port).append("\r\n");
                for (String line : r.headerLines()) {
                    req.append(line).append("\r\n");
                }
                req.append("\r\n");
            }
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            List<Reply> replies = new java.util.ArrayList<>(requests.size());
            for (Request r : requests) {
                Reply reply = read(r.method().equals("HEAD"));
                replies.add(reply);
                if ("close".equalsIgnoreCase(reply.header("Connection"))) {
                    close();
                    break;
                }
            }
            return replies;
        } catch (IOException | RuntimeException e) {
            close();
            throw new IllegalStateException(
                    requests.get(0).method() + " " + requests.get(0).target() + ": " + e, e);
        }
    }

    private Reply read(boolean head) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(
                    l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    l.substring(colon + 1).trim());
        }
        byte[] body;
        if (head || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked();
        } else if (headers.containsKey("content-length")) {
            body = exactly(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
            close();
        }
        return new Reply(status, headers, body);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers: none expected, skipped
                }
                return body.toByteArray();
            }
            body.write(exactly(n));
            if (!line().isEmpty()) {
                throw new IOException("no CRLF after a chunk");
            }
        }
    }

    private byte[] exactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("the connection ended after " + b.length + " of " + n + " body bytes");
        }
        return b;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        if (c < 0 && sb.length() == 0) {
            throw new IOException("the server closed the connection");
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
