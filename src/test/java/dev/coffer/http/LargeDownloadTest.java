package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Bytes;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.KeepAliveSocket;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Large downloads leave the file store with sendfile ({@link FileRegionEndPoint}) and stream from
 * S3: exactly the right bytes for every way a file is asked for. The file spans several regions
 * (the test makes them 1 MiB and 3 bytes), the last one smaller than Jetty's output buffer, so
 * ranges cross region boundaries. Run on both backends (-Dcoffer.test.backends=postgres-s3).
 */
class LargeDownloadTest {
    private static final long REGION = 1024 * 1024 + 3;
    private static final int SIZE = (int) (3 * REGION + 1000);

    private static TestServer server;
    private static Http admin;
    private static byte[] data;
    private static String url;
    private static String etag;

    @BeforeAll
    static void start() {
        FileSender.regionBytes = REGION;
        server = TestServer.start();
        admin = server.admin();
        String repo = Fixtures.newRepo(server, "large");
        url = "/repository/" + repo + "/big.bin";
        data = Bytes.random(17, SIZE);
        Http.Response put = admin.put(url, data);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        etag = "\"" + Digests.hex("SHA-256", data) + "\"";
    }

    @AfterAll
    static void stop() {
        FileSender.regionBytes = 1L << 30;
        server.close();
    }

    @Test
    void theWholeFileWithItsHeaders() {
        long before = FileRegionEndPoint.SENT.sum();
        Http.Response r = admin.get(url);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(r.header("ETag")).isEqualTo(etag);
        assertThat(r.header("X-Checksum-Sha256")).isEqualTo(Digests.hex("SHA-256", data));
        assertSame(r.bytes(), 0, SIZE);
        // every byte by sendfile on the file store; from S3 none (the object is streamed)
        assertThat(FileRegionEndPoint.SENT.sum() - before)
                .as("bytes sent with sendfile")
                .isEqualTo(server.onFileStore() ? SIZE : 0);
    }

    static Stream<Arguments> ranges() {
        long r = REGION;
        long last = SIZE - 1;
        return Stream.of(
                // large ranges (sent as regions on the file store) and small ones (streamed)
                Arguments.of("bytes=0-", 0, last),
                Arguments.of("bytes=100-", 100, last),
                Arguments.of("bytes=" + (r - 1) + "-" + (2 * r), r - 1, 2 * r),
                Arguments.of("bytes=" + (r + 5) + "-" + (r + 300_005), r + 5, r + 300_005),
                Arguments.of("bytes=-" + (r + 17), SIZE - (r + 17), last),
                Arguments.of("bytes=" + (3 * r - 500_000) + "-" + (last + 1000), 3 * r - 500_000, last),
                Arguments.of("bytes=0-0", 0, 0),
                Arguments.of("bytes=" + (r - 2) + "-" + (r + 2), r - 2, r + 2),
                Arguments.of("bytes=-1", last, last),
                Arguments.of("bytes=" + (3 * r) + "-", 3 * r, last));
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void aRangeIsExactlyThoseBytes(String range, long first, long last) {
        Http.Response r = admin.header("Range", range).get(url);

        assertThat(r.status()).as(range).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + SIZE);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(last - first + 1));
        assertSame(r.bytes(), (int) first, (int) last + 1);
    }

    @Test
    void headSendsTheLengthAndNoBody() {
        long before = FileRegionEndPoint.SENT.sum();
        Http.Response r = admin.head(url);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(r.bytes()).isEmpty();
        assertThat(FileRegionEndPoint.SENT.sum()).isEqualTo(before);
    }

    @Test
    void conditionalRequestsAnswer304OrTheWholeFile() {
        Http.Response same = admin.header("If-None-Match", etag).get(url);
        assertThat(same.status()).isEqualTo(304);
        assertThat(same.bytes()).isEmpty();

        // a Range whose If-Range names another version is answered with the whole file
        Http.Response changed =
                admin.header("Range", "bytes=5-10").header("If-Range", "\"0\"").get(url);
        assertThat(changed.status()).isEqualTo(200);
        assertSame(changed.bytes(), 0, SIZE);
    }

    @Test
    void severalDownloadsOnOneConnectionEvenPipelined() {
        String small = url.replace("big.bin", "small.txt");
        Fixtures.put(admin, small, "small and after");
        String auth = "Authorization: " + Http.basicAuthorization("admin", TestServer.ADMIN_PASSWORD);
        try (KeepAliveSocket c = new KeepAliveSocket(server.port())) {
            List<RawHttp.Reply> replies = c.pipeline(List.of(
                    new KeepAliveSocket.Request("GET", url, List.of(auth)),
                    new KeepAliveSocket.Request("GET", url, List.of(auth, "Range: bytes=" + REGION + "-")),
                    new KeepAliveSocket.Request("HEAD", url, List.of(auth)),
                    new KeepAliveSocket.Request("GET", small, List.of(auth))));
            RawHttp.Reply again = c.send("GET", url, List.of(auth, "Range: bytes=7-300000"));

            assertThat(replies.get(0).status()).isEqualTo(200);
            assertSame(replies.get(0).body(), 0, SIZE);
            assertThat(replies.get(1).status()).isEqualTo(206);
            assertSame(replies.get(1).body(), (int) REGION, SIZE);
            assertThat(replies.get(2).status()).isEqualTo(200);
            assertThat(replies.get(2).body()).isEmpty();
            assertThat(replies.get(3).text()).isEqualTo("small and after");
            assertSame(again.body(), 7, 300_001);
            assertThat(c.connections()).isEqualTo(1);
        }
    }

    @Test
    void clientsThatDisconnectMidDownloadLeaveNothingOpen() throws Exception {
        String request = "GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + Http.basicAuthorization("admin", TestServer.ADMIN_PASSWORD) + "\r\n\r\n";
        for (int i = 0; i < 4; i++) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                // a small receive window, so the server is still sending when the client goes
                s.setReceiveBufferSize(16 * 1024);
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                int read = 0;
                byte[] buf = new byte[8192];
                while (read < 100_000) {
                    int n = in.read(buf);
                    assertThat(n).as("the download ended early").isPositive();
                    read += n;
                }
                if (i % 2 == 0) {
                    s.setSoLinger(true, 0); // a reset instead of an orderly close
                }
            }
        }
        // the server lets go of the file once each failed response has ended; then it still serves it
        if (server.onFileStore() && Files.isDirectory(Path.of("/proc/self/fd"))) {
            Path blob = blobFile();
            long deadline = System.currentTimeMillis() + 20_000;
            while (openDescriptorsOf(blob) > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(openDescriptorsOf(blob))
                    .as("descriptors still open on " + blob)
                    .isZero();
        }
        Http.Response r = admin.get(url);
        assertThat(r.status()).isEqualTo(200);
        assertSame(r.bytes(), 0, SIZE);
    }

    private static Path blobFile() throws IOException {
        String sha = Digests.hex("SHA-256", data);
        try (Stream<Path> files = Files.walk(server.data())) {
            return files.filter(p -> p.getFileName().toString().equals(sha))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** This JVM's open file descriptors on {@code file} (the server runs in it). */
    private static int openDescriptorsOf(Path file) throws IOException {
        Path real = file.toRealPath();
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(real)) {
                        hits.add(fd);
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return hits.size();
    }

    /** {@code got} is exactly data[from, to); says where it first differs, not all 3 MiB. */
    private static void assertSame(byte[] got, int from, int to) {
        assertThat(got.length).as("length").isEqualTo(to - from);
        for (int i = 0; i < got.length; i++) {
            if (got[i] != data[from + i]) {
                throw new AssertionError("byte " + (from + i) + " of the file differs");
            }
        }
    }
}
