package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Bytes;
import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Http;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as a user runs it: first start, big files in little memory, broken uploads, SIGTERM. */
class CofferProcessIT {
    private static final String PW = "process-test-pw";

    @Test
    void firstStartCreatesAdminWithAPrivateGeneratedPassword(@TempDir Path data) throws Exception {
        try (CofferProcess c = CofferProcess.start(data, List.of(), Map.of())) {
            Path file = data.resolve("admin.password");
            assertThat(file).exists();
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            String pw = Files.readString(file).trim();
            assertThat(pw).hasSizeGreaterThanOrEqualTo(20);
            assertThat(String.join("\n", c.stdout())).contains(pw).contains("coffer listening on http://127.0.0.1:");
            Http admin = new Http(c.base()).basic("admin", pw);
            assertThat(admin.get("/api/me").json().path("admin").asBoolean()).isTrue();
            assertThat(new Http(c.base())
                            .basic("admin", pw + "x")
                            .get("/api/me")
                            .status())
                    .isEqualTo(401);
            // nothing else is created: no repository, no anonymous rights
            assertThat(admin.get("/api/repositories").json().size()).isZero();
            assertThat(admin.get("/api/permissions").json().size()).isZero();
        }
        // a second start keeps the existing admin and prints no password
        try (CofferProcess c = CofferProcess.start(data, List.of(), Map.of("COFFER_ADMIN_PASSWORD", "ignored"))) {
            assertThat(String.join("\n", c.stdout())).doesNotContain("created user");
            assertThat(new Http(c.base())
                            .basic("admin", "ignored")
                            .get("/api/me")
                            .status())
                    .isEqualTo(401);
        }
    }

    /** A newcomer's most likely first error: one line naming the port and the option, nothing created. */
    @Test
    void aPortInUseIsOneLineNamingThePortAndTheOption(@TempDir Path data) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Cli.Result r = Cli.run(
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    String.valueOf(port),
                    "--data",
                    data.resolve("d").toString());
            assertThat(r.code()).as(r.err()).isEqualTo(1);
            assertThat(r.err().strip())
                    .doesNotContain("\n")
                    .isEqualTo(
                            "coffer: cannot listen on 127.0.0.1:" + port
                                    + ": the port is in use (is another Coffer running?); choose another with --port or COFFER_PORT");
            assertThat(r.out()).isEmpty();
            assertThat(data.resolve("d").resolve("admin.password")).doesNotExist();
        }
    }

    /** 1 GiB through a server limited to a 128 MiB heap: nothing is ever held whole in memory. */
    @Test
    void oneGibibyteUpAndDownWithA128MibHeap(@TempDir Path data) throws Exception {
        long size = 1L << 30;
        try (CofferProcess c = CofferProcess.start(data, List.of("-Xmx128m"), Map.of("COFFER_ADMIN_PASSWORD", PW))) {
            Http admin = new Http(c.base()).basic("admin", PW);
            assertThat(admin.putJson("/api/repositories/big", "{}").status()).isEqualTo(201);

            HttpURLConnection put = (HttpURLConnection)
                    URI.create(c.base() + "/repository/big/huge.bin").toURL().openConnection();
            put.setRequestMethod("PUT");
            put.setDoOutput(true);
            put.setFixedLengthStreamingMode(size);
            put.setRequestProperty("Authorization", Http.basicAuthorization("admin", PW));
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = put.getOutputStream()) {
                byte[] block = new byte[1 << 20];
                for (long i = 0; i < size / block.length; i++) {
                    fill(block, i);
                    sent.update(block);
                    out.write(block);
                }
            }
            assertThat(put.getResponseCode()).isEqualTo(201);
            String sha = HexFormat.of().formatHex(sent.digest());

            HttpURLConnection get = (HttpURLConnection)
                    URI.create(c.base() + "/repository/big/huge.bin").toURL().openConnection();
            get.setRequestProperty("Authorization", Http.basicAuthorization("admin", PW));
            assertThat(get.getResponseCode()).isEqualTo(200);
            assertThat(get.getHeaderField("X-Checksum-Sha256")).isEqualTo(sha);
            assertThat(get.getContentLengthLong()).isEqualTo(size);
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            long n = 0;
            try (InputStream in = get.getInputStream()) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) > 0) {
                    got.update(buf, 0, r);
                    n += r;
                }
            }
            assertThat(n).isEqualTo(size);
            assertThat(HexFormat.of().formatHex(got.digest())).isEqualTo(sha);
            assertThat(c.process().isAlive()).isTrue();
        }
    }

    /** Deterministic, non-repeating-per-block content without holding more than one block. */
    private static void fill(byte[] block, long index) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(index);
        for (int i = 0; i < block.length; i += 8) {
            long v = r.nextLong();
            for (int k = 0; k < 8; k++) {
                block[i + k] = (byte) (v >>> (8 * k));
            }
        }
    }

    @Test
    void aClientThatDisconnectsMidUploadLeavesThePreviousVersion(@TempDir Path data) throws Exception {
        try (CofferProcess c = CofferProcess.start(data, List.of(), Map.of("COFFER_ADMIN_PASSWORD", PW))) {
            Http admin = new Http(c.base()).basic("admin", PW);
            admin.putJson("/api/repositories/libs", "{}");
            assertThat(admin.put("/repository/libs/a/file.bin", "version one").status())
                    .isEqualTo(201);

            try (Socket s = new Socket("127.0.0.1", c.port())) {
                OutputStream out = s.getOutputStream();
                out.write(("PUT /repository/libs/a/file.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                                + Http.basicAuthorization("admin", PW) + "\r\nContent-Length: 50000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[5_000_000]);
                out.flush();
            } // closed with 45 MB still owed

            Http.Response r = admin.get("/repository/libs/a/file.bin");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("version one");
            // and a broken first upload leaves nothing at all
            try (Socket s = new Socket("127.0.0.1", c.port())) {
                OutputStream out = s.getOutputStream();
                out.write(("PUT /repository/libs/a/new.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                                + Http.basicAuthorization("admin", PW) + "\r\nContent-Length: 1000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[1000]);
                out.flush();
            }
            assertThat(admin.get("/repository/libs/a/new.bin").status()).isEqualTo(404);
            assertThat(waitForEmpty(data.resolve("store").resolve("tmp")))
                    .as("temporary files removed")
                    .isTrue();
        }
    }

    private static boolean waitForEmpty(Path dir) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Stream<Path> s = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
                if (s.findAny().isEmpty()) {
                    return true;
                }
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** SIGTERM lets the upload in flight finish, closes the database, and the next start sees the file. */
    @Test
    void sigtermFinishesRequestsInFlight(@TempDir Path data) throws Exception {
        int size = 4_000_000;
        byte[] body = Bytes.random(7, size);
        String sha = Digests.sha256(body);
        CofferProcess c = CofferProcess.start(data, List.of(), Map.of("COFFER_ADMIN_PASSWORD", PW));
        try (c) {
            new Http(c.base()).basic("admin", PW).putJson("/api/repositories/libs", "{}");
            try (Socket s = new Socket("127.0.0.1", c.port())) {
                OutputStream out = s.getOutputStream();
                out.write(("PUT /repository/libs/slow.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                                + Http.basicAuthorization("admin", PW) + "\r\nContent-Length: " + size + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, 1_000_000);
                out.flush();
                Thread.sleep(300);
                c.process().destroy(); // SIGTERM while the upload is in flight
                for (int off = 1_000_000; off < size; off += 500_000) {
                    Thread.sleep(150);
                    out.write(body, off, Math.min(500_000, size - off));
                }
                out.flush();
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(status).isEqualTo("HTTP/1.1 201");
            }
            assertThat(c.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            for (int i = 0; i < 50 && !c.stdout().contains("coffer stopped"); i++) {
                Thread.sleep(100); // the stdout pump may lag on a busy machine
            }
            assertThat(c.stdout()).as("exit " + c.process().exitValue()).contains("coffer stopped");
        }
        try (CofferProcess again = CofferProcess.start(data, List.of(), Map.of())) {
            Http.Response r = new Http(again.base()).basic("admin", PW).get("/repository/libs/slow.bin");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Checksum-Sha256")).isEqualTo(sha);
            assertThat(r.bytes()).isEqualTo(body);
        }
    }

    @Test
    void optionsAndEnvironmentVariables(@TempDir Path data) throws Exception {
        // COFFER_DATA is overridden by --data, COFFER_HOST is honoured
        try (CofferProcess c = CofferProcess.start(
                data,
                List.of(),
                Map.of("COFFER_ADMIN_PASSWORD", PW, "COFFER_HOST", "127.0.0.1", "COFFER_DATA", "/nonexistent/x"))) {
            assertThat(new Http(c.base())
                            .get("/api/health")
                            .json()
                            .path("status")
                            .asText())
                    .isEqualTo("ok");
            assertThat(data.resolve("coffer.db")).exists();
            assertThat(Set.of(c.stdout().toArray()))
                    .anyMatch(l -> l.toString().startsWith("coffer listening on http://127.0.0.1:"));
        }
    }
}
