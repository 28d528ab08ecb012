package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.NpmTool;
import dev.coffer.testing.NpmTool.Run;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real npm CLI (npm 11 at /usr/bin/npm) against an in-process Coffer: publish, view, install
 * from a clean cache, dist-tag, deprecate, unpublish, search, and Coffer's sentence printed for a refused
 * publish. Each run has its own --userconfig and --cache folder, never the user's ~/.npmrc.
 */
class NpmCliTest {
    private static final Path NPM = NpmTool.NPM;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static Path temp;
    private static String registry;

    @BeforeAll
    static void start() throws IOException {
        NpmTool.require();
        server = TestServer.start();
        Fixtures.expect(
                server.admin().putJson("/api/repositories/npm-local", "{\"packageType\":\"npm\"}"), "npm repo", 201);
        temp = Files.createTempDirectory("coffer-npm-cli");
        registry = server.base() + "/api/npm/npm-local/";
        String key = Fixtures.key(server.admin(), Map.of("description", "npm cli test"))
                .get("key")
                .asText();
        Fixtures.user(server, "viewer", "viewer-password-1");
        Fixtures.grantUser(server, "npm-viewer", "npm-local", "viewer", "r");
        String viewerKey = Fixtures.key(
                        server.anonymous().basic("viewer", "viewer-password-1"), Map.of("description", "viewer"))
                .get("key")
                .asText();
        npmrc("admin.npmrc", key);
        npmrc("viewer.npmrc", viewerKey);
    }

    private static void npmrc(String file, String token) throws IOException {
        String auth = "//127.0.0.1:" + server.port() + "/api/npm/npm-local/:_authToken=" + token;
        Files.writeString(temp.resolve(file), "registry=" + registry + "\n" + auth + "\n");
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (temp != null) {
            try (Stream<Path> all = Files.walk(temp)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Run npm(Path dir, String npmrc, String cache, String... args) throws Exception {
        return NpmTool.run(temp, dir, temp.resolve(npmrc), temp.resolve(cache), registry, args);
    }

    private static Run ok(Run r, String what) {
        assertThat(r.code()).as(what + ": " + r).isZero();
        return r;
    }

    private static Path pkg(String name, String version) throws IOException {
        Path dir = Files.createTempDirectory(temp, "pkg");
        Files.writeString(
                dir.resolve("package.json"),
                "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"main\":\"index.js\","
                        + "\"description\":\"hello from coffer\",\"license\":\"MIT\"}");
        Files.writeString(dir.resolve("index.js"), "module.exports = 'hello " + version + "';\n");
        return dir;
    }

    @Test
    void theNpmCliPublishesInstallsTagsDeprecatesAndUnpublishes() throws Exception {
        ok(npm(pkg("@acme/hello", "1.0.0"), "admin.npmrc", "cache1", "publish"), "publish 1.0.0");
        ok(npm(pkg("@acme/hello", "1.1.0"), "admin.npmrc", "cache1", "publish"), "publish 1.1.0");

        JsonNode view = JSON.readTree(ok(npm(temp, "admin.npmrc", "cache1", "view", "@acme/hello", "--json"), "view")
                .out());
        assertThat(view.path("version").asText()).isEqualTo("1.1.0");
        assertThat(view.path("dist").path("tarball").asText()).startsWith(registry + "@acme/hello/-/");

        // install into a new project from a clean cache
        Path project = Files.createTempDirectory(temp, "project");
        Files.writeString(project.resolve("package.json"), "{\"name\":\"consumer\",\"version\":\"1.0.0\"}");
        ok(npm(project, "admin.npmrc", "cache-clean", "install", "@acme/hello@1.0.0"), "install");
        assertThat(Files.readString(project.resolve("node_modules/@acme/hello/index.js")))
                .contains("hello 1.0.0");

        ok(npm(temp, "admin.npmrc", "cache1", "dist-tag", "add", "@acme/hello@1.0.0", "beta"), "dist-tag add");
        assertThat(ok(npm(temp, "admin.npmrc", "cache1", "dist-tag", "ls", "@acme/hello"), "dist-tag ls")
                        .out())
                .contains("beta: 1.0.0")
                .contains("latest: 1.1.0");
        ok(npm(temp, "admin.npmrc", "cache1", "dist-tag", "rm", "@acme/hello", "beta"), "dist-tag rm");
        assertThat(server.admin()
                        .get("/api/npm/npm-local/-/package/@acme%2fhello/dist-tags")
                        .json()
                        .has("beta"))
                .isFalse();

        ok(npm(temp, "admin.npmrc", "cache1", "deprecate", "@acme/hello@1.0.0", "use 1.1.0"), "deprecate");
        JsonNode doc = server.admin().get("/api/npm/npm-local/@acme%2fhello").json();
        assertThat(doc.path("versions").path("1.0.0").path("deprecated").asText())
                .isEqualTo("use 1.1.0");
        assertThat(doc.path("versions").path("1.1.0").has("deprecated")).isFalse();

        ok(npm(temp, "admin.npmrc", "cache1", "unpublish", "@acme/hello@1.1.0"), "unpublish 1.1.0");
        doc = server.admin().get("/api/npm/npm-local/@acme%2fhello").json();
        assertThat(doc.path("versions").has("1.1.0")).isFalse();
        assertThat(doc.path("dist-tags").path("latest").asText()).isEqualTo("1.0.0");
        assertThat(server.admin()
                        .get("/api/npm/npm-local/@acme/hello/-/hello-1.1.0.tgz")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void npmSearchFindsAPublishedPackage() throws Exception {
        ok(npm(pkg("searchable-thing", "1.0.0"), "admin.npmrc", "cache3", "publish"), "publish");

        // npm 11 reads every result's package.maintainers (to filter and print the authors): a
        // result without it made npm fail with "Cannot read properties of undefined (reading 'map')"
        Run human = ok(npm(temp, "admin.npmrc", "cache3", "search", "searchable"), "search");
        assertThat(human.out()).contains("searchable-thing").contains("hello from coffer");
        JsonNode json =
                JSON.readTree(ok(npm(temp, "admin.npmrc", "cache3", "search", "searchable", "--json"), "search --json")
                        .out());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).path("name").asText()).isEqualTo("searchable-thing");
        assertThat(json.get(0).path("version").asText()).isEqualTo("1.0.0");
        assertThat(json.get(0).path("maintainers").get(0).path("username").asText())
                .isEqualTo("admin");
    }

    @Test
    void npmPrintsCoffersSentenceForARefusedPublish() throws Exception {
        ok(npm(pkg("twice", "1.0.0"), "admin.npmrc", "cache2", "publish"), "first publish");
        Run again = npm(pkg("twice", "1.0.0"), "admin.npmrc", "cache2", "publish");
        assertThat(again.code()).isNotZero();
        // npm reads the document first and refuses on its own ("You cannot publish over the
        // previously published versions: 1.0.0."); Coffer's 409 is for whatever gets past that
        assertThat(again.err())
                .contains("cannot publish over the previously published version")
                .contains("1.0.0");

        // npm search finds it; the whole package goes with npm unpublish --force
        assertThat(ok(npm(temp, "admin.npmrc", "cache2", "search", "twice", "--json"), "search")
                        .out())
                .contains("\"twice\"");
        ok(npm(temp, "admin.npmrc", "cache2", "unpublish", "twice", "--force"), "unpublish all");
        assertThat(server.admin().get("/api/npm/npm-local/twice").status()).isEqualTo(404);

        Run denied = npm(pkg("not-mine", "1.0.0"), "viewer.npmrc", "cache2", "publish");
        assertThat(denied.code()).isNotZero();
        // npm prints body.error when it is a string (NpmErrors): Coffer's own sentence
        assertThat(denied.err())
                .as(denied.toString())
                .contains("403")
                .contains("no permission target grants 'w' on npm-local/not-mine to viewer");
    }
}
