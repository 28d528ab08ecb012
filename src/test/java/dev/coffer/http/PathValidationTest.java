package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * API.md §7: invalid paths are 400 path_invalid before any permission or storage lookup, for every
 * method and every caller, and nothing is ever written for them. Requests go out on a raw socket so
 * the path reaches the server exactly as written here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PathValidationTest {
    private static final String REPO = "pv";
    private static final String OK_REPO = "pvok";

    private static TestServer server;
    private static Http admin;
    private static String adminAuth;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        adminAuth = Http.basicAuthorization("admin", TestServer.ADMIN_PASSWORD);
        Fixtures.repo(server, REPO, false);
        Fixtures.repo(server, OK_REPO, false);
        // the one file this test stores on purpose; also the target that "a/../b" style paths aim at
        Fixtures.put(admin, "/repository/" + REPO + "/b", "deliberate");
    }

    private static List<String> authorization(String auth) {
        return auth == null ? List.of() : List.of("Authorization: " + auth);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> invalidPaths() {
        List<Arguments> out = new ArrayList<>();
        String[][] table = {
            {"dot-dot", "a/../b"},
            {"dot-dot leading", "../b"},
            {"dot-dot trailing", "a/.."},
            {"encoded dot-dot", "a/%2e%2e/b"},
            {"encoded dot-dot upper case", "a/%2E%2E/b"},
            {"half-encoded dot-dot", "a/%2e./b"},
            {"other half-encoded dot-dot", "a/.%2E/b"},
            {"encoded dot-dot leading", "%2e%2e/b"},
            {"encoded dot-dot trailing", "a/%2e%2e"},
            {"dot", "a/./b"},
            {"encoded dot", "a/%2e/b"},
            {"dot-dot with matrix", "a/..;x=y"},
            {"empty segment", "a//b"},
            {"empty leading segment", "/a/b"},
            {"encoded slash", "a/%2Fb"},
            {"encoded slash lower case", "a%2fb"},
            {"encoded dot-dot-slash", "a/%2e%2e%2fb"},
            {"double-encoded dot-dot", "a/%252e%252e/b"},
            {"double-encoded slash", "a/%252fb"},
            {"double-encoded backslash", "a/%255cb"},
            {"backslash", "a\\b"},
            {"backslash dot-dot", "a\\..\\b"},
            {"encoded backslash", "a%5cb"},
            {"encoded backslash upper case", "a%5Cb"},
            {"NUL", "a%00b"},
            {"line feed", "a%0ab"},
            {"CR LF", "a%0d%0ab"},
            {"tab", "a%09b"},
            {"DEL", "a%7fb"},
            {"C1 control", "a%c2%85b"},
            {"256-byte segment", "x".repeat(256)},
            {"256-byte segment of two-byte chars", "%C3%A9".repeat(128)},
            {
                "1025-byte path",
                String.join("/", "x".repeat(204), "x".repeat(204), "x".repeat(204), "x".repeat(204), "x".repeat(205))
            },
            {"invalid UTF-8", "a%ffb"},
            {"truncated UTF-8", "a%c3b"},
            {"overlong UTF-8 dot-dot", "%c0%ae%c0%ae/b"},
            {"encoded surrogate", "a%ed%a0%80b"},
            {"malformed escape", "a%zzb"},
            {"truncated escape", "a%2"},
            {"lone percent", "a%"},
        };
        for (String[] row : table) {
            out.add(Arguments.of(row[0], row[1]));
        }
        return out.stream();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidPaths")
    void invalidPathIs400ForEveryMethodAndCaller(String what, String rawPath) {
        for (String prefix : List.of("/repository/" + REPO + "/", "/api/storage/" + REPO + "/")) {
            List<String> methods = prefix.startsWith("/api/storage/")
                    ? List.of("GET", "PUT", "DELETE")
                    : List.of("GET", "HEAD", "PUT", "DELETE");
            for (String method : methods) {
                for (String auth : new String[] {adminAuth, null}) {
                    String target = prefix + rawPath;
                    if (prefix.startsWith("/api/storage/") && !method.equals("GET") && !method.equals("HEAD")) {
                        target += "?properties=k=v";
                    }
                    byte[] body = method.equals("PUT") ? "payload".getBytes(StandardCharsets.UTF_8) : null;
                    RawHttp.Reply r = RawHttp.send(server, method, target, authorization(auth), body);
                    String as = method + " " + target + (auth == null ? " (anonymous)" : " (admin)") + " -> " + r;
                    assertThat(r.status()).as(as).isEqualTo(400);
                    if (!method.equals("HEAD")) {
                        assertThat(r.header("Content-Type")).as(as).startsWith("application/json");
                        assertThat(r.errorCode()).as(as).isEqualTo("path_invalid");
                    }
                }
            }
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRepositoryNames")
    void invalidRepositoryNameIs400(String rawTarget) {
        for (String auth : new String[] {adminAuth, null}) {
            RawHttp.Reply r = RawHttp.send(server, "GET", rawTarget, authorization(auth), null);
            assertThat(r.status()).as(rawTarget + " -> " + r).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("path_invalid");
        }
    }

    static Stream<String> invalidRepositoryNames() {
        return Stream.of(
                "/repository/%2e%2e/pv/b",
                "/repository/pv%2fb", "/repository/p%00v/b", "/api/storage/%2e%2e/pv/b", "/api/storage/pv%2fb");
    }

    @Order(2)
    @Test
    void nothingWasWrittenByTheInvalidRequests() throws IOException {
        JsonNode root = admin.get("/api/storage/" + REPO + "/").json();
        List<String> names = new ArrayList<>();
        root.path("children").forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).containsExactly("b");
        assertThat(admin.get("/repository/" + REPO + "/b").body()).isEqualTo("deliberate");
        assertThat(admin.get("/api/storage/" + REPO + "/b")
                        .json()
                        .path("properties")
                        .size())
                .isZero();

        org.junit.jupiter.api.Assumptions.assumeTrue(server.onFileStore(), "inspects the file store's folders");
        Path data = server.data();
        List<String> blobs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(data)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String rel = data.relativize(p).toString().replace('\\', '/');
                assertThat(rel.startsWith("store/")
                                || rel.startsWith("coffer.db")
                                || rel.equals("admin.password")
                                || rel.equals("secrets.key") // the key that seals upstream passwords
                                || rel.startsWith("logs/access.log"))
                        .as("unexpected file %s in the data folder", rel)
                        .isTrue();
                if (rel.startsWith("store/")) {
                    blobs.add(rel);
                }
            }
        }
        assertThat(blobs).as("blobs and leftovers under store/").hasSize(1);
        assertThat(blobs.get(0))
                .startsWith("store/blobs/")
                .endsWith(Digests.hex("SHA-256", "deliberate".getBytes(StandardCharsets.UTF_8)));
    }

    static Stream<Arguments> validPaths() {
        String seg204 = "y".repeat(204);
        return Stream.of(
                Arguments.of("%C3%BCn%C3%AFc%C3%B8d%C3%A9.txt", "ünïcødé.txt"),
                Arguments.of("dir/%E4%B8%AD%E6%96%87/%F0%9F%93%A6.bin", "dir/中文/📦.bin"),
                Arguments.of("with%20spaces/my%20file.txt", "with spaces/my file.txt"),
                Arguments.of("a.b..c", "a.b..c"),
                Arguments.of("...", "..."),
                Arguments.of("x/.hidden", "x/.hidden"),
                Arguments.of("x/..x", "x/..x"),
                Arguments.of("plus+at@tilde~%2B.txt", "plus+at@tilde~+.txt"),
                Arguments.of("percent%2525.txt".replace("%2525", "%25"), "percent%.txt"),
                Arguments.of("z".repeat(251) + ".txt", "z".repeat(251) + ".txt"),
                Arguments.of("%C3%A9".repeat(127) + "x", "é".repeat(127) + "x"),
                Arguments.of(
                        String.join("/", seg204, seg204, seg204, seg204, seg204),
                        String.join("/", seg204, seg204, seg204, seg204, seg204)),
                Arguments.of("Case/File.txt", "Case/File.txt"),
                Arguments.of("case/file.txt", "case/file.txt"));
    }

    @Order(3)
    @ParameterizedTest(name = "{1}")
    @MethodSource("validPaths")
    void validEdgeCasesWork(String encoded, String decoded) {
        String url = "/repository/" + OK_REPO + "/" + encoded;
        Http.Response put = admin.put(url, decoded);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        assertThat(put.json().path("path").asText()).isEqualTo(decoded);
        Http.Response get = admin.get(url);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(decoded);
        Http.Response info = admin.get("/api/storage/" + OK_REPO + "/" + encoded);
        assertThat(info.json().path("path").asText()).isEqualTo(decoded);
        String parent = decoded.contains("/") ? decoded.substring(0, decoded.lastIndexOf('/')) : "";
        String parentUrl = "/api/storage/" + OK_REPO + "/"
                + (encoded.contains("/") ? encoded.substring(0, encoded.lastIndexOf('/')) : "");
        List<String> names = new ArrayList<>();
        admin.get(parentUrl)
                .json()
                .path("children")
                .forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).as("listing of '%s'", parent).contains(decoded.substring(decoded.lastIndexOf('/') + 1));
    }

    @Order(4)
    @Test
    void pathsAreCaseSensitive() {
        assertThat(admin.get("/repository/" + OK_REPO + "/Case/File.txt").body())
                .isEqualTo("Case/File.txt");
        assertThat(admin.get("/repository/" + OK_REPO + "/case/file.txt").body())
                .isEqualTo("case/file.txt");
        assertThat(admin.get("/repository/" + OK_REPO + "/CASE/FILE.TXT").status())
                .isEqualTo(404);
    }
}
