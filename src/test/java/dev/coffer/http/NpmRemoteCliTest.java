package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.NpmTool;
import dev.coffer.testing.NpmTool.Run;
import dev.coffer.testing.RemoteFixtures;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real npm CLI (npm 11 at /usr/bin/npm) installs, from a clean cache, a package with a
 * dependency through a remote npm repository whose upstream is a second in-process Coffer (the
 * packages published there with the same CLI). Own --userconfig and --cache folders, never the
 * user's ~/.npmrc.
 */
class NpmRemoteCliTest {
    private static final Path NPM = NpmTool.NPM;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer upstream;
    private static TestServer server;
    private static Path temp;

    @BeforeAll
    static void start() throws IOException {
        NpmTool.require();
        upstream = TestServer.start();
        server = TestServer.start();
        temp = Files.createTempDirectory("coffer-npm-remote-cli");
        Fixtures.expect(
                upstream.admin().putJson("/api/repositories/npm-local", "{\"packageType\":\"npm\"}"), "npm", 201);
        RemoteFixtures.remote(
                server,
                "npm-remote",
                upstream.base() + "/api/npm/npm-local",
                Map.of("packageType", "npm", "username", "admin", "password", TestServer.ADMIN_PASSWORD));
        npmrc("upstream.npmrc", upstream, "npm-local");
        npmrc("remote.npmrc", server, "npm-remote");
        Fixtures.expect(server.admin().putJson("/api/repositories/npm-team", "{\"packageType\":\"npm\"}"), "", 201);
        Fixtures.expect(
                server.admin()
                        .putJson(
                                "/api/repositories/npm-dev",
                                "{\"packageType\":\"npm\",\"rclass\":\"virtual\",\"repositories\":"
                                        + "[\"npm-team\",\"npm-remote\"],\"defaultDeployRepo\":\"npm-team\"}"),
                "virtual",
                201);
        npmrc("virtual.npmrc", server, "npm-dev");
    }

    private static void npmrc(String file, TestServer s, String repo) throws IOException {
        String key = Fixtures.key(s.admin(), Map.of("description", "npm cli test"))
                .get("key")
                .asText();
        String registry = s.base() + "/api/npm/" + repo + "/";
        String auth = "//127.0.0.1:" + s.port() + "/api/npm/" + repo + "/:_authToken=" + key;
        Files.writeString(temp.resolve(file), "registry=" + registry + "\n" + auth + "\n");
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (temp != null) {
            try (Stream<Path> all = Files.walk(temp)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Run npm(Path dir, String npmrc, String registry, String cache, String... args) throws Exception {
        return NpmTool.run(temp, dir, temp.resolve(npmrc), temp.resolve(cache), registry, args);
    }

    private static Run ok(Run r, String what) {
        assertThat(r.code()).as(what + ": " + r).isZero();
        return r;
    }

    private static Path pkg(String name, String version, String dependencies, String code) throws IOException {
        Path dir = Files.createTempDirectory(temp, "pkg");
        Files.writeString(
                dir.resolve("package.json"),
                "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"main\":\"index.js\","
                        + "\"license\":\"MIT\",\"dependencies\":{" + dependencies + "}}");
        Files.writeString(dir.resolve("index.js"), code);
        return dir;
    }

    @Test
    void npmInstallsAPackageAndItsDependencyThroughTheRemote() throws Exception {
        String up = upstream.base() + "/api/npm/npm-local/";
        ok(
                npm(
                        pkg("pad-lite", "1.2.0", "", "module.exports = s => ' ' + s;\n"),
                        "upstream.npmrc",
                        up,
                        "cache-up",
                        "publish"),
                "publish pad-lite");
        ok(
                npm(
                        pkg(
                                "@acme/app",
                                "1.0.0",
                                "\"pad-lite\":\"^1.0.0\"",
                                "module.exports = require('pad-lite')('app');\n"),
                        "upstream.npmrc",
                        up,
                        "cache-up",
                        "publish"),
                "publish @acme/app");

        String remote = server.base() + "/api/npm/npm-remote/";
        Path project = Files.createTempDirectory(temp, "project");
        Files.writeString(project.resolve("package.json"), "{\"name\":\"consumer\",\"version\":\"1.0.0\"}");
        ok(npm(project, "remote.npmrc", remote, "cache-clean", "install", "@acme/app@1.0.0"), "install");
        assertThat(Files.readString(project.resolve("node_modules/@acme/app/index.js")))
                .contains("require('pad-lite')");
        assertThat(Files.readString(project.resolve("node_modules/pad-lite/package.json")))
                .contains("\"1.2.0\"");
        // npm took the tarballs from Coffer's remote, not from the upstream
        JsonNode lock = JSON.readTree(project.resolve("package-lock.json").toFile());
        assertThat(lock.path("packages")
                        .path("node_modules/pad-lite")
                        .path("resolved")
                        .asText())
                .isEqualTo(remote + "pad-lite/-/pad-lite-1.2.0.tgz");
        assertThat(lock.path("packages")
                        .path("node_modules/@acme/app")
                        .path("resolved")
                        .asText())
                .isEqualTo(remote + "@acme/app/-/app-1.0.0.tgz");
        assertThat(server.admin()
                        .get("/repository/npm-remote/pad-lite/-/pad-lite-1.2.0.tgz")
                        .status())
                .isEqualTo(200);
    }

    /**
     * One registry for a team's build: its own packages published through the virtual repository
     * (into its deploy repository) and the upstream's through its remote member; a package name the
     * team owns is never taken from the upstream, even where the upstream has a higher version.
     */
    @Test
    void npmPublishesAndInstallsATreeThroughAVirtualWithTheTeamsOwnNamesProtected() throws Exception {
        String up = upstream.base() + "/api/npm/npm-local/";
        // the team's own name first; later someone publishes a higher version of it upstream
        String dev = server.base() + "/api/npm/npm-dev/";
        ok(npm(pkg("pad-v", "1.0.0", "", "module.exports = 'team';\n"), "virtual.npmrc", dev, "c-dev", "publish"), "");
        ok(npm(pkg("pad-v", "1.2.0", "", "module.exports = 'public';\n"), "upstream.npmrc", up, "c-up", "publish"), "");
        ok(
                npm(
                        pkg("@ext/lib", "1.0.0", "\"pad-v\":\"^1.0.0\"", "module.exports = require('pad-v');\n"),
                        "upstream.npmrc",
                        up,
                        "c-up",
                        "publish"),
                "publish @ext/lib upstream");
        ok(
                npm(
                        pkg(
                                "@team/tool",
                                "1.0.0",
                                "\"@ext/lib\":\"^1.0.0\"",
                                "module.exports = require('@ext/lib');\n"),
                        "virtual.npmrc",
                        dev,
                        "c-dev",
                        "publish"),
                "publish @team/tool through the virtual");
        assertThat(server.admin().get("/api/npm/npm-team/@team%2ftool").status())
                .isEqualTo(200);

        Path project = Files.createTempDirectory(temp, "project");
        Files.writeString(project.resolve("package.json"), "{\"name\":\"consumer\",\"version\":\"1.0.0\"}");
        ok(npm(project, "virtual.npmrc", dev, "c-clean", "install", "@team/tool@1.0.0"), "install");
        assertThat(Files.readString(project.resolve("node_modules/@ext/lib/package.json")))
                .contains("\"1.0.0\"");
        // the team's pad-v 1.0.0, although ^1.0.0 would take the upstream's 1.2.0
        assertThat(Files.readString(project.resolve("node_modules/pad-v/index.js")))
                .contains("'team'");
        JsonNode packages =
                JSON.readTree(project.resolve("package-lock.json").toFile()).path("packages");
        for (String dep : List.of("node_modules/@team/tool", "node_modules/@ext/lib", "node_modules/pad-v")) {
            assertThat(packages.path(dep).path("resolved").asText()).as(dep).startsWith(dev);
            assertThat(packages.path(dep).path("integrity").asText()).as(dep).startsWith("sha512-");
        }
        assertThat(packages.path("node_modules/pad-v").path("version").asText()).isEqualTo("1.0.0");
    }
}
