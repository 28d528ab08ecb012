package dev.coffer.http;

import static dev.coffer.http.NpmRegistryTest.assertNpmError;
import static dev.coffer.http.NpmRegistryTest.sri;
import static dev.coffer.http.NpmRegistryTest.tarball;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.MutableClock;
import dev.coffer.testing.RemoteFixtures;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.UpstreamServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API.md §9/§10: a remote npm repository over HTTP. Its upstream is a second in-process Coffer
 * with a local npm repository (packages published through its npm API), or the test {@link
 * UpstreamServer} where a doctored document or tarball is needed.
 */
class NpmRemoteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ABBREVIATED = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8";
    private static final MutableClock clock = new MutableClock();
    private static TestServer server;
    private static TestServer upstream;

    @BeforeAll
    static void start() throws Exception {
        upstream = npmUpstream();
        server = TestServer.start(Map.of(), clock);
        Fixtures.user(server, "reader", "reader-password-1");
        Fixtures.user(server, "nobody", "nobody-password-1");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** A Coffer with a private local npm repository holding @acme/web 1.0.0 and left-pad 1.0.0. */
    private static TestServer npmUpstream() throws Exception {
        TestServer u = TestServer.start();
        Fixtures.expect(u.admin().putJson("/api/repositories/npm-local", "{\"packageType\":\"npm\"}"), "npm", 201);
        Fixtures.expect(put(u, "@acme/web", "1.0.0"), "publish", 201);
        Fixtures.expect(put(u, "left-pad", "1.0.0"), "publish", 201);
        return u;
    }

    private static Http.Response put(TestServer u, String name, String version) throws Exception {
        return u.admin()
                .putJson(
                        "/api/npm/npm-local/" + name.replace("/", "%2f"),
                        NpmRegistryTest.publishBody(name, version, tarball(name, version), null));
    }

    /** A remote npm repository of {@code url} (the upstream's credentials: its admin's). */
    private static String remote(String url, Map<String, Object> more) {
        String name = Fixtures.unique("npm-remote");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("packageType", "npm");
        body.put("username", "admin");
        body.put("password", TestServer.ADMIN_PASSWORD);
        body.putAll(more);
        RemoteFixtures.remote(server, name, url, body);
        return name;
    }

    private static String remoteOfCoffer(TestServer u) {
        return remote(u.base() + "/api/npm/npm-local", Map.of("cacheSeconds", 60));
    }

    private static String reg(String remote) {
        return "/api/npm/" + remote + "/";
    }

    @Test
    void fetchedRewrittenCachedAndServedWhileTheUpstreamIsGone() throws Exception {
        TestServer own = npmUpstream();
        String remote;
        try {
            remote = remoteOfCoffer(own);
            Http.Response full = Fixtures.expect(server.admin().get(reg(remote) + "@acme%2fweb"), "doc", 200);
            JsonNode v = full.json().path("versions").path("1.0.0");
            assertThat(v.path("dist").path("tarball").asText())
                    .isEqualTo(server.base() + reg(remote) + "@acme/web/-/web-1.0.0.tgz");
            assertThat(v.path("dist").path("integrity").asText()).isEqualTo(sri(tarball("@acme/web", "1.0.0")));
            assertThat(full.json().path("readme").asText()).isEqualTo("# @acme/web");
            assertThat(full.header("Warning")).isNull();

            // the abbreviated form is asked for as such (the upstream leaves the readme out)
            Http.Response small = Fixtures.expect(
                    server.admin().header("Accept", ABBREVIATED).get(reg(remote) + "@acme/web"), "abbreviated", 200);
            assertThat(small.header("Content-Type")).startsWith("application/vnd.npm.install-v1+json");
            assertThat(small.json().has("readme")).isFalse();
            assertThat(small.json()
                            .path("versions")
                            .path("1.0.0")
                            .path("dist")
                            .path("tarball")
                            .asText())
                    .isEqualTo(server.base() + reg(remote) + "@acme/web/-/web-1.0.0.tgz");

            Http.Response tgz =
                    Fixtures.expect(server.admin().get(reg(remote) + "@acme/web/-/web-1.0.0.tgz"), "tarball", 200);
            assertThat(tgz.bytes()).isEqualTo(tarball("@acme/web", "1.0.0"));
            // the tarball is in the remote's cache, like any remote repository's file
            assertThat(server.admin()
                            .get("/repository/" + remote + "/@acme/web/-/web-1.0.0.tgz")
                            .bytes())
                    .isEqualTo(tarball("@acme/web", "1.0.0"));
            // the generic routes serve cached tarballs only: not the upstream's raw documents, and
            // they fetch nothing (a tarball is fetched only as its document says, through /api/npm)
            assertThat(server.admin()
                            .get("/repository/" + remote + "/@acme/web/-/package.json")
                            .status())
                    .isEqualTo(404);
            assertThat(server.admin()
                            .get("/repository/" + remote + "/left-pad/-/left-pad-1.0.0.tgz")
                            .body())
                    .contains("fetches through its npm registry URL");
            JsonNode audit = server.admin().get("/api/audit?limit=1000").json();
            assertThat(audit.toString()).contains(remote).contains("@acme/web/-/web-1.0.0.tgz");
        } finally {
            own.close();
        }
        // the upstream is gone: the cache answers, fresh documents without a warning
        assertThat(server.admin().get(reg(remote) + "@acme%2fweb").status()).isEqualTo(200);
        assertThat(server.admin().get(reg(remote) + "@acme/web/-/web-1.0.0.tgz").bytes())
                .isEqualTo(tarball("@acme/web", "1.0.0"));
        // past cacheSeconds the document cannot be confirmed: served stale, with the warning
        clock.advance(Duration.ofSeconds(61));
        Http.Response stale = Fixtures.expect(server.admin().get(reg(remote) + "@acme%2fweb"), "stale", 200);
        assertThat(stale.header("Warning")).isEqualTo("110 - \"Response is Stale\"");
        assertThat(stale.json()
                        .path("versions")
                        .path("1.0.0")
                        .path("dist")
                        .path("tarball")
                        .asText())
                .isEqualTo(server.base() + reg(remote) + "@acme/web/-/web-1.0.0.tgz");
        // what was never cached cannot be served
        assertNpmError(server.admin().get(reg(remote) + "left-pad"), 502, "upstream_unavailable", "is unavailable");
        assertNpmError(
                server.admin().get(reg(remote) + "left-pad/-/left-pad-1.0.0.tgz"),
                502,
                "upstream_unavailable",
                "is unavailable");
    }

    @Test
    void anUpstream404IsA404AndRememberedForAWhile() throws Exception {
        String remote = remoteOfCoffer(upstream);
        String name = Fixtures.unique("later");
        assertNpmError(server.admin().get(reg(remote) + name), 404, "not_found", "was not found upstream");
        Fixtures.expect(put(upstream, name, "1.0.0"), "publish", 201);
        assertNpmError(server.admin().get(reg(remote) + name), 404, "not_found", "a moment ago");
        clock.advance(Duration.ofSeconds(61)); // remote.not-found-ttl is 60 s
        assertThat(server.admin().get(reg(remote) + name).status()).isEqualTo(200);
        // a tarball of a version the document does not have is not fetched from anywhere
        assertNpmError(
                server.admin().get(reg(remote) + name + "/-/" + name + "-9.9.9.tgz"),
                404,
                "not_found",
                "has no version whose tarball is");
    }

    /** A document of x 1.0.0 whose tarball is on {@code up} with {@code dist}'s checksums. */
    private static void document(UpstreamServer up, String name, ObjectNode dist) throws Exception {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("name", name);
        doc.putObject("dist-tags").put("latest", "1.0.0");
        ObjectNode v = doc.putObject("versions").putObject("1.0.0");
        v.put("name", name);
        v.put("version", "1.0.0");
        dist.put("tarball", up.url() + "/files/" + name + "-1.0.0.tgz");
        v.set("dist", dist);
        up.put(name, JSON.writeValueAsString(doc));
    }

    @Test
    void aTarballThatDoesNotMatchItsIntegrityIsRefusedAndNeverCached() throws Exception {
        try (UpstreamServer up = UpstreamServer.start()) {
            String remote = remote(up.url(), Map.of());
            byte[] real = "the real tarball".getBytes(StandardCharsets.UTF_8);
            byte[] doctored = "a doctored tarball".getBytes(StandardCharsets.UTF_8);
            ObjectNode dist = JSON.createObjectNode().put("integrity", sri(real));
            document(up, "x", dist);
            up.put("files/x-1.0.0.tgz", doctored);
            for (int i = 0; i < 2; i++) {
                assertNpmError(
                        server.admin().get(reg(remote) + "x/-/x-1.0.0.tgz"),
                        502,
                        "upstream_checksum_mismatch",
                        "dist.integrity (sha512) of x@1.0.0");
            }
            assertThat(up.gets("files/x-1.0.0.tgz")).isEqualTo(2); // nothing was cached in between
            assertThat(server.admin()
                            .get("/repository/" + remote + "/x/-/x-1.0.0.tgz")
                            .status())
                    .isEqualTo(404);

            // without an integrity, the sha1 shasum decides
            String sha1 =
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(real));
            document(up, "y", JSON.createObjectNode().put("shasum", sha1));
            up.put("files/y-1.0.0.tgz", doctored);
            assertNpmError(
                    server.admin().get(reg(remote) + "y/-/y-1.0.0.tgz"),
                    502,
                    "upstream_checksum_mismatch",
                    "dist.shasum (sha1) of y@1.0.0");
            // the right bytes are cached and served

            up.put("files/y-1.0.0.tgz", real);
            assertThat(server.admin().get(reg(remote) + "y/-/y-1.0.0.tgz").bytes())
                    .isEqualTo(real);
            up.force(500);
            assertThat(server.admin().get(reg(remote) + "y/-/y-1.0.0.tgz").bytes())
                    .isEqualTo(real);
        }
    }

    @Test
    void aVersionWhoseTarballUrlWouldLeaveThePackageIsLeftOut() throws Exception {
        try (UpstreamServer up = UpstreamServer.start()) {
            String remote = remote(up.url(), Map.of());
            ObjectNode doc = JSON.createObjectNode().put("name", "w");
            ObjectNode versions = doc.putObject("versions");
            for (String v : List.of("1.0.0", "1.0.0/../../../other/-/x")) {
                versions.putObject(v).put("version", v).putObject("dist").put("tarball", up.url() + "/w.tgz");
            }
            up.put("w", JSON.writeValueAsString(doc));
            JsonNode got = Fixtures.expect(server.admin().get(reg(remote) + "w"), "doc", 200)
                    .json();
            assertThat(got.path("versions").size()).isEqualTo(1);
            assertThat(got.path("versions")
                            .path("1.0.0")
                            .path("dist")
                            .path("tarball")
                            .asText())
                    .isEqualTo(server.base() + reg(remote) + "w/-/w-1.0.0.tgz");
        }
    }

    @Test
    void documentsAreRevalidatedWithTheUpstreamsValidators() throws Exception {
        try (UpstreamServer up = UpstreamServer.start()) {
            String remote = remote(up.url(), Map.of("cacheSeconds", 30));
            document(up, "@acme/z", JSON.createObjectNode().put("integrity", sri(new byte[] {1})));
            assertThat(server.admin().get(reg(remote) + "@acme%2fz").status()).isEqualTo(200);
            assertThat(server.admin().get(reg(remote) + "@acme%2fz").status()).isEqualTo(200);
            assertThat(up.gets("@acme/z")).isEqualTo(1);
            assertThat(up.seen().get(0).rawPath()).isEqualTo("/maven2/@acme%2fz");
            assertThat(up.seen().get(0).header("Authorization")).startsWith("Basic ");
            clock.advance(Duration.ofSeconds(31));
            assertThat(server.admin().get(reg(remote) + "@acme%2fz").status()).isEqualTo(200);
            UpstreamServer.Seen again = up.seen().get(up.seen().size() - 1);
            assertThat(again.header("If-None-Match")).isNotNull();
            assertThat(up.gets("@acme/z")).isEqualTo(2);
        }
    }

    @Test
    void anOfflineRemoteServesOnlyItsCache() throws Exception {
        String remote = remote(upstream.base() + "/api/npm/npm-local", Map.of("offline", true));
        // npm prints the sentence: it names the package, not the file its document is cached as
        assertNpmError(
                server.admin().get(reg(remote) + "left-pad"),
                404,
                "not_found",
                "package left-pad in remote repository '" + remote + "' is not cached, and the repository is offline");
    }

    @Test
    void aTarballAfterTheFullDocumentCostsTheUpstreamNoSecondDocument() throws Exception {
        String remote = remoteOfCoffer(upstream);
        Fixtures.expect(server.admin().get(reg(remote) + "left-pad"), "full document (npm 11 install)", 200);
        Fixtures.expect(server.admin().get(reg(remote) + "left-pad/-/left-pad-1.0.0.tgz"), "tarball", 200);
        List<String> fetched = new java.util.ArrayList<>();
        for (JsonNode e : server.admin().get("/api/audit?limit=1000").json().path("events")) {
            if (e.path("action").asText().equals("remote.fetch")
                    && e.path("repo").asText().equals(remote)) {
                fetched.add(e.path("path").asText());
            }
        }
        assertThat(fetched).containsExactlyInAnyOrder("left-pad/-/package.json", "left-pad/-/left-pad-1.0.0.tgz");
    }

    @Test
    void publishUnpublishAndDistTagChangesToARemoteAre405() throws Exception {
        String remote = remoteOfCoffer(upstream);
        Http admin = server.admin();
        assertNpmError(
                admin.putJson(
                        reg(remote) + "mine",
                        NpmRegistryTest.publishBody("mine", "1.0.0", tarball("mine", "1.0.0"), null)),
                405,
                "method_not_allowed",
                "is a remote npm repository");
        assertNpmError(admin.delete(reg(remote) + "left-pad/-rev/1-abc"), 405, "method_not_allowed", "remote");
        assertNpmError(
                admin.putJson(reg(remote) + "-/package/left-pad/dist-tags/beta", "\"1.0.0\""),
                405,
                "method_not_allowed",
                "remote");
        // the dist-tags are read from the upstream's document
        assertThat(admin.get(reg(remote) + "-/package/left-pad/dist-tags")
                        .json()
                        .path("latest")
                        .asText())
                .isEqualTo("1.0.0");
    }

    @Test
    void aPrivateRemoteAnswers401And403AsAnyRepository() throws Exception {
        String remote = remoteOfCoffer(upstream);
        Fixtures.grant(server, Fixtures.unique("acme"), List.of(remote), List.of("@acme/**"), "reader", "r");
        assertNpmError(server.anonymous().get(reg(remote) + "@acme%2fweb"), 401, "authentication_required", "");
        Http nobody = server.anonymous().basic("nobody", "nobody-password-1");
        assertNpmError(nobody.get(reg(remote) + "@acme%2fweb"), 403, "forbidden", "");
        assertNpmError(nobody.get(reg(remote) + "@acme/web/-/web-1.0.0.tgz"), 403, "forbidden", "");
        Http reader = server.anonymous().basic("reader", "reader-password-1");
        assertThat(reader.get(reg(remote) + "@acme%2fweb").status()).isEqualTo(200);
        assertThat(reader.get(reg(remote) + "@acme/web/-/web-1.0.0.tgz").bytes())
                .isEqualTo(tarball("@acme/web", "1.0.0"));
        assertNpmError(reader.get(reg(remote) + "left-pad"), 403, "forbidden", "");
    }
}
