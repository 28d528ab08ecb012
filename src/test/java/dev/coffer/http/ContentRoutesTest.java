package dev.coffer.http;

import static dev.coffer.testing.Digests.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Bytes;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** API.md §1: upload, download, ranges, conditional requests, checksums, matrix properties, delete, listings. */
class ContentRoutesTest {
    private static TestServer server;
    private static Http admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String newRepo() {
        return Fixtures.newRepo(server, "content");
    }

    @Test
    void putNewFileAnswers201WithFileInfoAndCorrectChecksums() {
        String repo = newRepo();
        byte[] data = Bytes.pattern(3000);
        Http.Response r = admin.put("/repository/" + repo + "/com/acme/lib/1.0/lib-1.0.jar", data);

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode j = r.json();
        assertThat(j.path("repo").asText()).isEqualTo(repo);
        assertThat(j.path("path").asText()).isEqualTo("com/acme/lib/1.0/lib-1.0.jar");
        assertThat(j.path("folder").asBoolean(true)).isFalse();
        assertThat(j.path("size").asLong()).isEqualTo(3000);
        assertThat(j.path("checksums").path("sha256").asText()).isEqualTo(hex("SHA-256", data));
        assertThat(j.path("checksums").path("sha1").asText()).isEqualTo(hex("SHA-1", data));
        assertThat(j.path("checksums").path("md5").asText()).isEqualTo(hex("MD5", data));
        assertThat(j.path("createdBy").asText()).isEqualTo("admin");
        assertThat(j.path("created").asText()).isNotEmpty();
        assertThat(j.path("lastModified").asText()).isNotEmpty();
    }

    @Test
    void putAgainWithDeleteRightReplacesWith200() {
        String repo = newRepo();
        String url = "/repository/" + repo + "/f.txt";
        assertThat(admin.put(url, "one").status()).isEqualTo(201);
        Http.Response again = admin.put(url, "two!");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("size").asLong()).isEqualTo(4);
        assertThat(again.json().path("checksums").path("sha256").asText())
                .isEqualTo(hex("SHA-256", "two!".getBytes(StandardCharsets.UTF_8)));
        assertThat(admin.get(url).body()).isEqualTo("two!");
    }

    @Test
    void getReturnsTheBytesWithAllContractHeaders() {
        String repo = newRepo();
        byte[] data = Bytes.pattern(1234);
        String url = "/repository/" + repo + "/g/data.bin";
        admin.put(url, data);

        Http.Response r = admin.get(url);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bytes()).isEqualTo(data);
        assertThat(r.header("Content-Length")).isEqualTo("1234");
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.header("ETag")).isEqualTo("\"" + hex("SHA-256", data) + "\"");
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.header("X-Checksum-Sha256")).isEqualTo(hex("SHA-256", data));
        assertThat(r.header("X-Checksum-Sha1")).isEqualTo(hex("SHA-1", data));
        assertThat(r.header("X-Checksum-Md5")).isEqualTo(hex("MD5", data));
        ZonedDateTime lm = ZonedDateTime.parse(r.header("Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(lm.toInstant())
                .isBetween(
                        java.time.Instant.now().minusSeconds(120),
                        java.time.Instant.now().plusSeconds(5));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "lib-1.0.jar, application/java-archive",
        "lib-1.0.pom, application/x-maven-pom+xml",
        "notes.txt, text/plain",
        "data.qqq, application/octet-stream",
        "README, application/octet-stream",
    })
    void contentTypeComesFromTheFileName(String name, String type) {
        String repo = newRepo();
        String url = "/repository/" + repo + "/x/" + name;
        admin.put(url, "content");
        Http.Response r = admin.get(url);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith(type);
    }

    @Test
    void headSendsTheHeadersOfGetWithoutABody() {
        String repo = newRepo();
        byte[] data = Bytes.pattern(777);
        String url = "/repository/" + repo + "/h/lib.jar";
        admin.put(url, data);
        Http.Response get = admin.get(url);
        Http.Response head = admin.head(url);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.bytes()).isEmpty();
        for (String h : List.of(
                "Content-Length",
                "Content-Type",
                "ETag",
                "Last-Modified",
                "Accept-Ranges",
                "X-Checksum-Sha256",
                "X-Checksum-Sha1",
                "X-Checksum-Md5")) {
            assertThat(head.header(h)).as(h).isNotNull().isEqualTo(get.header(h));
        }
    }

    static Stream<Arguments> ranges() {
        return Stream.of(
                Arguments.of("bytes=0-9", 0, 9),
                Arguments.of("bytes=-5", 95, 99),
                Arguments.of("bytes=10-", 10, 99),
                Arguments.of("bytes=50-50", 50, 50),
                Arguments.of("bytes=90-5000", 90, 99));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void rangeRequestsAnswer206WithExactlyThoseBytes(String range, int first, int last) {
        String repo = newRepo();
        byte[] data = Bytes.pattern(100);
        String url = "/repository/" + repo + "/r.bin";
        admin.put(url, data);

        Http.Response r = admin.header("Range", range).get(url);
        assertThat(r.status()).as(r.toString()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/100");
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(last - first + 1));
        assertThat(r.bytes()).isEqualTo(Arrays.copyOfRange(data, first, last + 1));
    }

    @Test
    void unsatisfiableRangeIs416WithContentRange() {
        String repo = newRepo();
        String url = "/repository/" + repo + "/r.bin";
        admin.put(url, Bytes.pattern(100));
        Http.Response r = admin.header("Range", "bytes=999999-").get(url);
        assertThat(r.status()).isEqualTo(416);
        assertThat(r.header("Content-Range")).isEqualTo("bytes */100");
        assertThat(r.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void conditionalRequests() {
        String repo = newRepo();
        byte[] data = Bytes.pattern(64);
        String url = "/repository/" + repo + "/c.bin";
        admin.put(url, data);
        String etag = admin.get(url).header("ETag");

        Http.Response same = admin.header("If-None-Match", etag).get(url);
        assertThat(same.status()).isEqualTo(304);
        assertThat(same.bytes()).isEmpty();
        assertThat(same.header("ETag")).isEqualTo(etag);
        assertThat(admin.header("If-None-Match", "\"other\"").get(url).status()).isEqualTo(200);
        assertThat(admin.header("If-None-Match", "\"other\", " + etag).get(url).status())
                .isEqualTo(304);

        String future = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusDays(1));
        String past =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(admin.header("If-Modified-Since", future).get(url).status()).isEqualTo(304);
        Http.Response old = admin.header("If-Modified-Since", past).get(url);
        assertThat(old.status()).isEqualTo(200);
        assertThat(old.bytes()).isEqualTo(data);
        // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
        assertThat(admin.header("If-None-Match", "\"other\"")
                        .header("If-Modified-Since", future)
                        .get(url)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void uploadWithCorrectChecksumIsStored() {
        String repo = newRepo();
        byte[] data = Bytes.pattern(500);
        Http.Response r = admin.header("X-Checksum-Sha256", hex("SHA-256", data))
                .header("X-Checksum-Sha1", hex("SHA-1", data))
                .header("X-Checksum-Md5", hex("MD5", data))
                .put("/repository/" + repo + "/ok.bin", data);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(admin.get("/repository/" + repo + "/ok.bin").bytes()).isEqualTo(data);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"X-Checksum-Sha256, 64", "X-Checksum-Sha1, 40", "X-Checksum-Md5, 32"})
    void uploadWithWrongChecksumIs409AndNothingIsStored(String header, int length) {
        String repo = newRepo();
        String url = "/repository/" + repo + "/bad.bin";
        Http.Response r = admin.header(header, "0".repeat(length)).put(url, Bytes.pattern(500));
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("checksum_mismatch");
        assertThat(admin.get(url).status()).isEqualTo(404);
        assertThat(admin.get("/api/storage/" + repo + "/").json().path("children"))
                .isEmpty();
    }

    @Test
    void overwritingWithAWrongChecksumKeepsThePreviousVersion() {
        String repo = newRepo();
        String url = "/repository/" + repo + "/keep.txt";
        admin.put(url, "version one");
        Http.Response r = admin.header("X-Checksum-Sha1", "0".repeat(40)).put(url, "version two");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("checksum_mismatch");
        Http.Response get = admin.get(url);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("version one");
        assertThat(get.header("X-Checksum-Sha1"))
                .isEqualTo(hex("SHA-1", "version one".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformedChecksumHeaderIs400() {
        String repo = newRepo();
        Http.Response r = admin.header("X-Checksum-Sha1", "not-hex").put("/repository/" + repo + "/m.bin", "x");
        assertThat(r.status()).isEqualTo(400);
        assertThat(admin.get("/repository/" + repo + "/m.bin").status()).isEqualTo(404);
    }

    @Test
    void matrixParametersSetPropertiesAndAreNotPartOfThePath() {
        String repo = newRepo();
        Http.Response r = admin.put("/repository/" + repo + "/a/b.zip;build.name=web;build.number=42", "zip");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().path("path").asText()).isEqualTo("a/b.zip");

        JsonNode info = admin.get("/api/storage/" + repo + "/a/b.zip").json();
        assertThat(info.path("path").asText()).isEqualTo("a/b.zip");
        assertThat(info.path("properties").path("build.name")).hasSize(1);
        assertThat(info.path("properties").path("build.name").get(0).asText()).isEqualTo("web");
        assertThat(info.path("properties").path("build.number").get(0).asText()).isEqualTo("42");

        assertThat(admin.get("/repository/" + repo + "/a/b.zip").body()).isEqualTo("zip");
        assertThat(names(admin.get("/repository/" + repo + "/a/").json())).containsExactly("b.zip");
    }

    @Test
    void deleteFileIs204ThenGone() {
        String repo = newRepo();
        String url = "/repository/" + repo + "/d/file.txt";
        admin.put(url, "bye");
        assertThat(admin.delete(url).status()).isEqualTo(204);
        assertThat(admin.get(url).status()).isEqualTo(404);
        Http.Response again = admin.delete(url);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.header("Content-Type")).startsWith("application/json");
    }

    @ParameterizedTest
    @CsvSource({"d/x", "d/x/"})
    void deleteFolderRemovesTheWholeSubtree(String folder) {
        String repo = newRepo();
        String base = "/repository/" + repo + "/";
        for (String p : List.of("d/x/1.txt", "d/x/y/2.txt", "d/x/y/z/3.txt", "d/keep.txt", "d/xx/4.txt")) {
            Fixtures.put(admin, base + p, p);
            // read once, so the server holds the record in memory: the delete must drop it
            assertThat(admin.get(base + p).body()).isEqualTo(p);
        }
        assertThat(admin.delete(base + folder).status()).isEqualTo(204);
        for (String gone : List.of("d/x/1.txt", "d/x/y/2.txt", "d/x/y/z/3.txt", "d/x/", "d/x/y/")) {
            assertThat(admin.get(base + gone).status()).as(gone).isEqualTo(404);
        }
        for (String kept : List.of("d/keep.txt", "d/xx/4.txt")) {
            assertThat(admin.get(base + kept).body()).as(kept).isEqualTo(kept);
        }
    }

    private static List<String> names(JsonNode listing) {
        List<String> out = new ArrayList<>();
        listing.path("children")
                .forEach(
                        c -> out.add(c.path("name").asText() + (c.path("folder").asBoolean() ? "/" : "")));
        return out;
    }

    @Test
    void folderListingAsJson() {
        String repo = newRepo();
        String base = "/repository/" + repo + "/";
        for (String p : List.of("l/a.txt", "l/b/c.txt", "l/b/d/e.txt", "l/z.jar")) {
            Fixtures.put(admin, base + p, p);
        }
        Http.Response r = admin.get(base + "l/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().path("folder").asBoolean()).isTrue();
        assertThat(names(r.json())).containsExactly("a.txt", "b/", "z.jar");
        assertThat(names(admin.get(base + "l/b/").json())).containsExactly("c.txt", "d/");
        assertThat(names(admin.get(base).json())).containsExactly("l/");
        // a folder without the trailing slash is listed too
        assertThat(names(admin.get(base + "l/b").json())).containsExactly("c.txt", "d/");
        assertThat(admin.get(base + "nothing/").status()).isEqualTo(404);
    }

    @Test
    void folderListingAsHtmlEscapesNames() {
        String repo = newRepo();
        String base = "/repository/" + repo + "/";
        Fixtures.put(admin, base + "h/%3Cb%3Ex.txt", "markup");
        Fixtures.put(admin, base + "h/plain.txt", "plain");
        Fixtures.put(admin, base + "h/sub/%22q%27%26.txt", "quotes");

        Http.Response r =
                admin.header("Accept", "text/html,application/xhtml+xml").get(base + "h/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.body()).contains("plain.txt", "sub", "&lt;b&gt;x.txt").doesNotContain("<b>x");

        Http.Response sub = admin.header("Accept", "text/html").get(base + "h/sub/");
        assertThat(sub.body()).contains("&quot;q&#39;&amp;.txt").doesNotContain("\"q'&");
        // the file with markup in its name is stored under that very name
        assertThat(admin.get(base + "h/%3Cb%3Ex.txt").body()).isEqualTo("markup");
    }

    @Test
    void unknownRepositoryIs404ForAdmin() {
        String repo = Fixtures.unique("missing");
        for (Http.Response r : List.of(
                admin.get("/repository/" + repo + "/a.txt"),
                admin.get("/repository/" + repo + "/"),
                admin.put("/repository/" + repo + "/a.txt", "x"),
                admin.delete("/repository/" + repo + "/a.txt"))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo("repository_not_found");
        }
    }

    @Test
    void aPathBelowAFileOrAFolderPathIsAConflict() {
        String repo = newRepo();
        String base = "/repository/" + repo + "/";
        Fixtures.put(admin, base + "p/file.txt", "f");
        Http.Response child = admin.put(base + "p/file.txt/child.txt", "c");
        assertThat(child.status()).as(child.toString()).isEqualTo(409);
        assertThat(child.header("Content-Type")).startsWith("application/json");
        Http.Response folder = admin.put(base + "p", "c");
        assertThat(folder.status()).as(folder.toString()).isEqualTo(409);
        assertThat(admin.get(base + "p/file.txt").body()).isEqualTo("f");
        assertThat(admin.get(base + "p/file.txt/child.txt").status()).isEqualTo(404);
    }

    @Test
    void putToAFolderPathWithTrailingSlashIsRejected() {
        String repo = newRepo();
        Http.Response r = admin.put("/repository/" + repo + "/folder/", "x");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("path_invalid");
    }

    @Test
    void aClientThatDisconnectsMidUploadLeavesThePreviousVersion() throws Exception {
        String repo = newRepo();
        String url = "/repository/" + repo + "/half.bin";
        Fixtures.put(admin, url, "previous");
        String fresh = "/repository/" + repo + "/fresh.bin";
        for (String target : List.of(url, fresh)) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
                String head = "PUT " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                        + Http.basicAuthorization("admin", TestServer.ADMIN_PASSWORD)
                        + "\r\nContent-Length: 100000\r\n\r\n";
                s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write(Bytes.pattern(5000));
                s.getOutputStream().flush();
                Thread.sleep(200);
            }
        }
        long deadline = System.currentTimeMillis() + 5000;
        java.nio.file.Path tmp = server.stagingDir();
        while (System.currentTimeMillis() < deadline) {
            try (var files = java.nio.file.Files.list(tmp)) {
                if (files.findAny().isEmpty()) {
                    break;
                }
            }
            Thread.sleep(50);
        }
        assertThat(admin.get(url).body()).isEqualTo("previous");
        assertThat(admin.get(fresh).status()).isEqualTo(404);
        try (var files = java.nio.file.Files.list(tmp)) {
            assertThat(files.toList()).as("staging files left behind").isEmpty();
        }
    }

    @Test
    void uploadsOverTheLimitAre413AndNothingIsStored() {
        try (TestServer small = TestServer.start(Map.of("max.upload", "1k"))) {
            Http a = small.admin();
            Fixtures.repo(small, "lim", false);
            Http.Response big = a.put("/repository/lim/big.bin", Bytes.pattern(2048));
            assertThat(big.status()).as(big.toString()).isEqualTo(413);
            assertThat(big.errorCode()).isEqualTo("too_large");
            assertThat(a.get("/repository/lim/big.bin").status()).isEqualTo(404);

            // without a Content-Length (chunked) the limit holds while streaming
            Http.Response chunked = a.putStream(
                    "/repository/lim/chunked.bin", () -> new java.io.ByteArrayInputStream(Bytes.pattern(4096)));
            assertThat(chunked.status()).as(chunked.toString()).isEqualTo(413);
            assertThat(chunked.errorCode()).isEqualTo("too_large");
            assertThat(a.get("/repository/lim/chunked.bin").status()).isEqualTo(404);

            Http.Response exact = a.put("/repository/lim/exact.bin", Bytes.pattern(1024));
            assertThat(exact.status()).isEqualTo(201);
            assertThat(a.get("/api/storage/lim/").json().path("children")).hasSize(1);
        }
    }
}
