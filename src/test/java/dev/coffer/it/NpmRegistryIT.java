package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Folders;
import dev.coffer.testing.Http;
import dev.coffer.testing.NpmTool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: Coffer as the caching proxy of the npm registry itself. The real npm CLI installs, from
 * a clean cache, a small real tree (plain and scoped packages, three levels deep) only through a
 * Coffer remote npm repository of registry.npmjs.org, as a user who may only read it, with an
 * access key as {@code _authToken}; then, with the remote set {@code offline}, installs it again
 * from a clean cache out of Coffer's cache alone. It needs the internet: skipped, loudly, only when
 * the registry cannot be reached at all. {@code -Dcoffer.it.npmRegistry=URL} proxies another
 * registry instead.
 */
class NpmRegistryIT {
    private static final String REGISTRY = System.getProperty("coffer.it.npmRegistry", "https://registry.npmjs.org");
    private static final String ADMIN_PASSWORD = "npm-it-admin-" + UUID.randomUUID();
    private static final String READER_PASSWORD = "npm-it-reader-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every package of the tree and its version: the two direct ones pinned, the rest by overrides. */
    private static final Map<String, String> TREE = new TreeMap<>(Map.of(
            "debug", "4.3.4", // ms: "2.1.2"
            "ms", "2.1.2",
            "@types/debug", "4.1.12", // @types/ms: "*"
            "@types/ms", "2.1.0",
            "chalk", "4.1.2", // ansi-styles, supports-color
            "ansi-styles", "4.3.0", // color-convert
            "color-convert", "2.0.1", // color-name
            "color-name", "1.1.4",
            "supports-color", "7.2.0", // has-flag
            "has-flag", "4.0.0"));
    /** The transitive ones: the registry may publish within their ranges, and the tree must stay as asserted. */
    private static final String PACKAGE_JSON = """
            {"name":"npm-registry-it","version":"1.0.0","private":true,
             "dependencies":{"debug":"4.3.4","@types/debug":"4.1.12","chalk":"4.1.2"},
             "overrides":{"@types/ms":"2.1.0","ansi-styles":"4.3.0","color-convert":"2.0.1",
                          "color-name":"1.1.4","supports-color":"7.2.0","has-flag":"4.0.0"}}
            """;

    @TempDir
    Path temp;

    record Run(int code, String out, String err) {}

    @Test
    void npmInstallsARealTreeThroughCofferAndAgainFromItsCacheAlone() throws Exception {
        String unreachable = unreachable();
        if (unreachable != null) {
            System.err.println("*** NpmRegistryIT SKIPPED: the npm registry (" + REGISTRY + ") cannot be reached: "
                    + unreachable + " ***");
        }
        Assumptions.assumeTrue(unreachable == null, () -> "the npm registry cannot be reached: " + unreachable);
        NpmTool.require();

        try (CofferProcess coffer = CofferProcess.start(
                temp.resolve("data"), List.of("-Xmx256m"), Map.of("COFFER_ADMIN_PASSWORD", ADMIN_PASSWORD))) {
            Http admin = coffer.admin();
            Fixtures.expect(
                    admin.putJson(
                            "/api/repositories/npmjs",
                            "{\"packageType\":\"npm\",\"rclass\":\"remote\",\"url\":\"" + REGISTRY + "\"}"),
                    "create the remote",
                    201);
            // a reader, not the administrator: reading is all it takes to fill the cache
            Fixtures.user(coffer, "npm-ci", READER_PASSWORD);
            Fixtures.grantUser(coffer, "npm-ci-reads", "npmjs", "npm-ci", "r");
            String key = Fixtures.key(
                            new Http(coffer.base()).basic("npm-ci", READER_PASSWORD),
                            Map.of("description", "NpmRegistryIT"))
                    .get("key")
                    .asText();
            String registry = coffer.base() + "/api/npm/npmjs/";

            JsonNode lock = install(coffer, registry, key, "first");
            assertTree(lock, registry);

            // the tarballs npm verified are in Coffer's cache, byte for byte the ones the registry
            // publishes, each fetched once, by the reader's request
            List<JsonNode> fetches = fetches(admin);
            for (Map.Entry<String, String> p : TREE.entrySet()) {
                String path = tarballPath(p.getKey(), p.getValue());
                String integrity = lock.path("packages")
                        .path("node_modules/" + p.getKey())
                        .path("integrity")
                        .asText();
                assertThat(integrity).as(path).isEqualTo(publishedIntegrity(p.getKey(), p.getValue()));
                Http.Response cached = admin.get("/repository/npmjs/" + path); // serves the cache, never fetches
                assertThat(cached.status()).as("%s: %s", path, cached).isEqualTo(200);
                assertThat(sri(cached.bytes())).as(path).isEqualTo(integrity);
                assertThat(fetches)
                        .as("remote.fetch of %s", path)
                        .filteredOn(e -> e.path("path").asText().equals(path))
                        .singleElement()
                        .satisfies(e -> {
                            assertThat(e.path("repo").asText()).isEqualTo("npmjs");
                            assertThat(e.path("username").asText()).isEqualTo("npm-ci");
                            assertThat(e.path("outcome").asText()).isEqualTo("success");
                        });
            }
            JsonNode cache = Fixtures.expect(admin.get("/api/repositories/npmjs/cache"), "cache", 200)
                    .json();
            // each package's tarball and its document (npm 11 asks for the full one; Coffer finds
            // tarballs in the abbreviated one, so both are cached)
            assertThat(cache.path("files").asLong()).as("%s", cache).isGreaterThanOrEqualTo(2L * TREE.size());

            // offline: the same install from a clean npm cache, with Coffer's cache alone
            Fixtures.expect(admin.putJson("/api/repositories/npmjs", "{\"offline\":true}"), "go offline", 200);
            Http.Response never = admin.get("/api/npm/npmjs/left-pad");
            assertThat(never.status()).as("%s", never).isEqualTo(404);
            assertThat(never.body()).contains("offline");
            JsonNode again = install(coffer, registry, key, "offline");
            assertTree(again, registry);
            assertThat(fetches(admin)).as("nothing fetched while offline").hasSameSizeAs(fetches);
            coffer.terminate(60); // a clean stop: the child JVM removes what it unpacked into target/tmp
        }
    }

    /** npm install in a fresh project with a fresh npm cache; its package-lock.json. */
    private JsonNode install(CofferProcess coffer, String registry, String key, String name) throws Exception {
        Path project = Files.createDirectories(temp.resolve(name));
        Path cache = temp.resolve(name + "-npm-cache");
        try {
            Files.writeString(project.resolve("package.json"), PACKAGE_JSON, StandardCharsets.UTF_8);
            Files.writeString(
                    project.resolve(".npmrc"),
                    "//127.0.0.1:" + coffer.port() + "/api/npm/npmjs/:_authToken=" + key + "\n",
                    StandardCharsets.UTF_8);
            Run run = npm(project, cache, registry, name, "install");
            assertThat(run.code()).as("npm install (%s): %s", name, run).isZero();
            for (Map.Entry<String, String> p : TREE.entrySet()) {
                JsonNode manifest = JSON.readTree(project.resolve("node_modules/" + p.getKey() + "/package.json")
                        .toFile());
                assertThat(manifest.path("name").asText()).isEqualTo(p.getKey());
                assertThat(manifest.path("version").asText()).as(p.getKey()).isEqualTo(p.getValue());
            }
            return JSON.readTree(project.resolve("package-lock.json").toFile());
        } finally {
            Folders.delete(cache);
            Folders.delete(project);
        }
    }

    /** The lock names exactly the tree, every package resolved through Coffer with an integrity. */
    private static void assertTree(JsonNode lock, String registry) {
        Set<String> installed = new TreeSet<>();
        lock.path("packages").fieldNames().forEachRemaining(installed::add);
        installed.remove("");
        assertThat(installed)
                .isEqualTo(TREE.keySet().stream().map(n -> "node_modules/" + n).collect(Collectors.toSet()));
        for (Map.Entry<String, String> p : TREE.entrySet()) {
            JsonNode entry = lock.path("packages").path("node_modules/" + p.getKey());
            assertThat(entry.path("version").asText()).isEqualTo(p.getValue());
            assertThat(entry.path("resolved").asText()).isEqualTo(registry + tarballPath(p.getKey(), p.getValue()));
            assertThat(entry.path("integrity").asText()).as(p.getKey()).startsWith("sha512-");
        }
    }

    /** {@code debug/-/debug-4.3.4.tgz}, {@code @types/ms/-/ms-2.1.0.tgz}. */
    private static String tarballPath(String name, String version) {
        return name + "/-/" + name.substring(name.indexOf('/') + 1) + "-" + version + ".tgz";
    }

    private static String sri(byte[] bytes) throws Exception {
        return "sha512-"
                + Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
    }

    /** {@code dist.integrity} of the version as the registry itself has it. */
    private static String publishedIntegrity(String name, String version) throws Exception {
        URI uri = URI.create(REGISTRY.replaceAll("/+$", "") + "/" + name.replace("/", "%2f") + "/" + version);
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", uri).isEqualTo(200);
        return JSON.readTree(r.body()).path("dist").path("integrity").asText();
    }

    /** The remote.fetch events of the audit trail. */
    private static List<JsonNode> fetches(Http admin) {
        JsonNode audit = Fixtures.expect(admin.get("/api/audit?limit=1000"), "audit", 200)
                .json();
        assertThat(audit.path("next").isNull())
                .as("one page holds the whole trail")
                .isTrue();
        List<JsonNode> found = new ArrayList<>();
        audit.path("events").forEach(e -> {
            if (e.path("action").asText().equals("remote.fetch")) {
                found.add(e);
            }
        });
        return found;
    }

    /**
     * npm with its own empty user and global config and cache (never the user's ~/.npmrc), the project's .npmrc
     * for the key; its output (every request, at loglevel http) kept in target/npm-registry-it.
     */
    private Run npm(Path dir, Path cache, String registry, String log, String... args) throws Exception {
        Path userconfig = temp.resolve("userconfig.npmrc");
        Files.writeString(userconfig, "");
        Path globalconfig = temp.resolve("globalconfig.npmrc"); // a machine's own could name a registry
        Files.writeString(globalconfig, "");
        List<String> cmd = new ArrayList<>(List.of(NpmTool.NPM.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of(
                "--userconfig",
                userconfig.toString(),
                "--globalconfig",
                globalconfig.toString(),
                "--cache",
                cache.toString(),
                "--registry",
                registry,
                "--no-audit",
                "--no-fund",
                "--no-update-notifier",
                "--loglevel",
                "http"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).startsWith("npm_config_"));
        pb.environment().put("HOME", temp.toString());
        pb.environment().put("NO_PROXY", "127.0.0.1");
        Path logs = Files.createDirectories(Path.of("target", "npm-registry-it").toAbsolutePath());
        Path out = logs.resolve(log + ".out.log");
        Path err = logs.resolve(log + ".err.log");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("npm " + String.join(" ", args) + " did not finish in 5 minutes: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Null when the registry answers at all (any HTTP status), else why not. */
    private static String unreachable() {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            client.send(
                    HttpRequest.newBuilder(URI.create(REGISTRY.replaceAll("/+$", "") + "/left-pad"))
                            .timeout(Duration.ofSeconds(15))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return null;
        } catch (IOException e) {
            StringBuilder why = new StringBuilder(e.toString());
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                why.append(": ").append(c); // HttpClient's ConnectException says why only in its cause
            }
            return why.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
