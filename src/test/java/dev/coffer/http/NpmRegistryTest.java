package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.format.npm.Packument;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API.md §10 npm: the registry protocol of a local npm repository, over HTTP as npm speaks it. */
class NpmRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static Http admin;
    private static final String REG = "/api/npm/npm-local/";

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        Fixtures.expect(admin.putJson("/api/repositories/npm-local", "{\"packageType\":\"npm\"}"), "npm repo", 201);
        Fixtures.repo(server, "plain", false);
        Fixtures.user(server, "reader", "reader-password-1");
        Fixtures.user(server, "nobody", "nobody-password-1");
        Fixtures.grant(server, "npm-acme-read", List.of("npm-local"), List.of("@acme/**"), "reader", "r");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static byte[] tarball(String name, String version) {
        return ("tarball of " + name + "@" + version).getBytes(StandardCharsets.UTF_8);
    }

    /** What npm publish sends (libnpmpublish buildMetadata). */
    static String publishBody(String name, String version, byte[] tgz, String integrity) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("_id", name);
        root.put("name", name);
        root.put("description", "the " + name + " package");
        root.putObject("dist-tags").put("latest", version);
        ObjectNode m = root.putObject("versions").putObject(version);
        m.put("name", name);
        m.put("version", version);
        m.put("_id", name + "@" + version);
        m.put("description", "the " + name + " package");
        m.putArray("keywords").add("widgets");
        m.putObject("dependencies").put("left-pad", "^1.0.0");
        ObjectNode dist = m.putObject("dist");
        dist.put("integrity", integrity != null ? integrity : sri(tgz));
        dist.put(
                "shasum",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(tgz)));
        dist.put("tarball", "http://localhost/" + name + "/-/" + name + "-" + version + ".tgz");
        root.put("access", "public");
        root.put("readme", "# " + name);
        ObjectNode a = root.putObject("_attachments").putObject(name + "-" + version + ".tgz");
        a.put("content_type", "application/octet-stream");
        a.put("data", Base64.getEncoder().encodeToString(tgz));
        a.put("length", tgz.length);
        return JSON.writeValueAsString(root);
    }

    static String sri(byte[] b) throws Exception {
        return "sha512-"
                + Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-512").digest(b));
    }

    static Http.Response publish(Http h, String name, String version) throws Exception {
        return h.putJson(REG + name.replace("/", "%2f"), publishBody(name, version, tarball(name, version), null));
    }

    static void assertNpmError(Http.Response r, int status, String code, String sentence) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        JsonNode b = r.json();
        assertThat(b.path("error").isTextual()).as(r.toString()).isTrue();
        assertThat(b.path("error").asText()).contains(sentence);
        assertThat(b.path("code").asText()).isEqualTo(code);
        assertThat(b.path("status").asInt()).isEqualTo(status);
    }

    @Test
    void publishThenFullAndAbbreviatedDocumentsScopedEitherWay() throws Exception {
        Fixtures.expect(publish(admin, "@acme/web", "1.0.0"), "publish", 201);
        Http.Response full = Fixtures.expect(admin.get(REG + "@acme%2fweb"), "doc", 200);
        JsonNode d = full.json();
        assertThat(d.path("_id").asText()).isEqualTo("@acme/web");
        assertThat(d.path("_rev").asText()).matches("\\d+-[0-9a-f]{32}");
        assertThat(d.path("dist-tags").path("latest").asText()).isEqualTo("1.0.0");
        assertThat(d.path("readme").asText()).isEqualTo("# @acme/web");
        assertThat(d.path("time").has("1.0.0")).isTrue();
        JsonNode v = d.path("versions").path("1.0.0");
        assertThat(v.path("dist").path("tarball").asText())
                .isEqualTo(server.base() + REG + "@acme/web/-/web-1.0.0.tgz");
        assertThat(v.path("keywords").get(0).asText()).isEqualTo("widgets");
        // the literal scoped name is the same document
        assertThat(admin.get(REG + "@acme/web").json()).isEqualTo(d);

        Http.Response small = admin.header(
                        "Accept", "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8")
                .get(REG + "@acme%2fweb");
        assertThat(small.header("Content-Type")).startsWith("application/vnd.npm.install-v1+json");
        JsonNode s = small.json();
        assertThat(s.has("readme")).isFalse();
        assertThat(s.has("modified")).isTrue();
        JsonNode sv = s.path("versions").path("1.0.0");
        assertThat(sv.path("dependencies").path("left-pad").asText()).isEqualTo("^1.0.0");
        assertThat(sv.has("keywords")).isFalse();
        assertThat(sv.has("description")).isFalse();
        assertThat(sv.path("dist").path("integrity").asText()).isEqualTo(sri(tarball("@acme/web", "1.0.0")));
    }

    @Test
    void tarballsAreServedByTheDownloadCode() throws Exception {
        Fixtures.expect(publish(admin, "tarred", "2.0.0"), "publish", 201);
        byte[] tgz = tarball("tarred", "2.0.0");
        Http.Response r = Fixtures.expect(admin.get(REG + "tarred/-/tarred-2.0.0.tgz"), "tarball", 200);
        assertThat(r.body()).isEqualTo(new String(tgz, StandardCharsets.UTF_8));
        String etag = r.header("ETag");
        assertThat(etag).isNotBlank();
        assertThat(admin.header("If-None-Match", etag)
                        .get(REG + "tarred/-/tarred-2.0.0.tgz")
                        .status())
                .isEqualTo(304);
        Http.Response range = admin.header("Range", "bytes=0-6").get(REG + "tarred/-/tarred-2.0.0.tgz");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("tarball");
        Http.Response head = admin.head(REG + "tarred/-/tarred-2.0.0.tgz");
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(tgz.length));
        // the generic route reads it too, and refuses writes with the npm registry URL
        assertThat(admin.get("/repository/npm-local/tarred/-/tarred-2.0.0.tgz").status())
                .isEqualTo(200);
        Http.Response put = admin.put("/repository/npm-local/tarred/-/x.tgz", "x");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.json().path("error").path("message").asText()).contains("/api/npm/npm-local/");
        assertThat(admin.delete("/repository/npm-local/tarred/-/tarred-2.0.0.tgz")
                        .status())
                .isEqualTo(405);
    }

    @Test
    void publishingOverAVersionIs409AndABadTarball400WithNothingStored() throws Exception {
        Fixtures.expect(publish(admin, "once", "1.0.0"), "publish", 201);
        assertNpmError(
                publish(admin, "once", "1.0.0"),
                409,
                "version_exists",
                "cannot publish over the previously published version 1.0.0 of once");
        byte[] tgz = tarball("bad", "1.0.0");
        Http.Response bad = admin.putJson(REG + "bad", publishBody("bad", "1.0.0", tgz, sri("other".getBytes())));
        assertNpmError(bad, 400, "integrity_mismatch", "nothing was published");
        assertThat(admin.get(REG + "bad").status()).isEqualTo(404);
        assertThat(admin.get(REG + "bad/-/bad-1.0.0.tgz").status()).isEqualTo(404);
    }

    @Test
    void distTags() throws Exception {
        Fixtures.expect(publish(admin, "tagged", "1.0.0"), "publish", 201);
        Fixtures.expect(publish(admin, "tagged", "1.1.0"), "publish", 201);
        String tags = REG + "-/package/tagged/dist-tags";
        Fixtures.expect(admin.putJson(tags + "/beta", "\"1.0.0\""), "tag", 200);
        JsonNode t = admin.get(tags).json();
        assertThat(t.path("latest").asText()).isEqualTo("1.1.0");
        assertThat(t.path("beta").asText()).isEqualTo("1.0.0");
        assertNpmError(admin.putJson(tags + "/beta", "\"9.9.9\""), 404, "not_found", "no version 9.9.9");
        Fixtures.expect(admin.delete(tags + "/beta"), "untag", 200);
        assertThat(admin.get(tags).json().has("beta")).isFalse();
        assertThat(admin.delete(tags + "/latest").status()).isEqualTo(400);
    }

    @Test
    void deprecateChangesOnlyTheDeprecatedField() throws Exception {
        Fixtures.expect(publish(admin, "old", "1.0.0"), "publish", 201);
        ObjectNode doc = (ObjectNode) admin.get(REG + "old?write=true").json();
        ((ObjectNode) doc.path("versions").path("1.0.0")).put("deprecated", "use new");
        Fixtures.expect(admin.putJson(REG + "old", JSON.writeValueAsString(doc)), "deprecate", 200);
        assertThat(admin.get(REG + "old")
                        .json()
                        .path("versions")
                        .path("1.0.0")
                        .path("deprecated")
                        .asText())
                .isEqualTo("use new");
        ((ObjectNode) doc.path("versions").path("1.0.0")).put("main", "evil.js");
        assertNpmError(
                admin.putJson(REG + "old", JSON.writeValueAsString(doc)),
                400,
                "change_unsupported",
                "only the 'deprecated' message");
    }

    @Test
    void documentsCarryAnEtagAndRevalidateWithA304UntilTheyChange() throws Exception {
        Fixtures.expect(publish(admin, "revalidated", "1.0.0"), "publish", 201);
        Http.Response first = admin.get(REG + "revalidated");
        String etag = first.header("ETag");
        assertThat(etag).startsWith("\"");
        Http.Response again = admin.header("If-None-Match", etag).get(REG + "revalidated");
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(etag);
        // the abbreviated form is other bytes: another validator
        Http corgi = admin.header("Accept", Packument.ABBREVIATED);
        String corgiTag = corgi.get(REG + "revalidated").header("ETag");
        assertThat(corgiTag).isNotEqualTo(etag);
        assertThat(corgi.header("If-None-Match", etag).get(REG + "revalidated").status())
                .isEqualTo(200);
        // a change (a dist-tag) is a new document at once, never the remembered one
        Fixtures.expect(admin.putJson(REG + "-/package/revalidated/dist-tags/beta", "\"1.0.0\""), "tag", 200);
        Http.Response changed = admin.header("If-None-Match", etag).get(REG + "revalidated");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("dist-tags").path("beta").asText()).isEqualTo("1.0.0");
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        // unpublished and published again, its revision counts from the start: still a new document
        String rev = changed.json().path("_rev").asText();
        Fixtures.expect(admin.delete(REG + "revalidated/-rev/" + rev), "unpublish all", 200);
        assertThat(admin.header("If-None-Match", etag).get(REG + "revalidated").status())
                .isEqualTo(404);
        Fixtures.expect(publish(admin, "revalidated", "2.0.0"), "publish", 201);
        Http.Response reborn = admin.header("If-None-Match", etag).get(REG + "revalidated");
        assertThat(reborn.status()).isEqualTo(200);
        assertThat(reborn.json().path("versions").has("2.0.0")).isTrue();
        assertThat(reborn.json().path("versions").has("1.0.0")).isFalse();
    }

    @Test
    void unpublishAVersionThenThePackage() throws Exception {
        Fixtures.expect(publish(admin, "gone", "1.0.0"), "publish", 201);
        Fixtures.expect(publish(admin, "gone", "1.1.0"), "publish", 201);
        ObjectNode doc = (ObjectNode) admin.get(REG + "gone?write=true").json();
        String rev = doc.path("_rev").asText();
        ((ObjectNode) doc.path("versions")).remove("1.1.0");
        ((ObjectNode) doc.path("dist-tags")).put("latest", "1.0.0");
        Fixtures.expect(admin.putJson(REG + "gone/-rev/" + rev, JSON.writeValueAsString(doc)), "unpublish", 200);
        // the same revision again is a lost update
        assertNpmError(
                admin.putJson(REG + "gone/-rev/" + rev, JSON.writeValueAsString(doc)),
                409,
                "revision_conflict",
                "changed since");
        JsonNode after = admin.get(REG + "gone").json();
        assertThat(after.path("versions").has("1.1.0")).isFalse();
        assertThat(after.path("dist-tags").path("latest").asText()).isEqualTo("1.0.0");
        assertThat(admin.get(REG + "gone/-/gone-1.1.0.tgz").status()).isEqualTo(404);
        // npm then deletes the tarball, which is gone already (npm takes the 404)
        assertThat(admin.delete(REG + "gone/-/gone-1.1.0.tgz/-rev/"
                                + after.path("_rev").asText())
                        .status())
                .isEqualTo(404);
        Fixtures.expect(admin.delete(REG + "gone/-rev/" + after.path("_rev").asText()), "unpublish all", 200);
        assertThat(admin.get(REG + "gone").status()).isEqualTo(404);
        assertThat(admin.get(REG + "gone/-/gone-1.0.0.tgz").status()).isEqualTo(404);
    }

    @Test
    void refusalsKeep401And403And404() throws Exception {
        Fixtures.expect(publish(admin, "@acme/secret", "1.0.0"), "publish", 201);
        Http.Response anon = server.anonymous().get(REG + "@acme%2fsecret");
        assertNpmError(anon, 401, "authentication_required", "credentials");
        assertThat(anon.header("WWW-Authenticate")).isNotBlank();
        assertNpmError(
                server.anonymous().basic("nobody", "nobody-password-1").get(REG + "@acme%2fsecret"),
                403,
                "forbidden",
                "");
        assertThat(admin.get("/api/npm/no-such-repo/x").status()).isEqualTo(404);
        assertNpmError(admin.get("/api/npm/plain/x"), 404, "not_found", "not an npm repository");
        assertThat(admin.get(REG + "no-such-package").status()).isEqualTo(404);
        // reader may read @acme but not publish there
        Http reader = server.anonymous().basic("reader", "reader-password-1");
        assertThat(reader.get(REG + "@acme%2fsecret").status()).isEqualTo(200);
        assertNpmError(publish(reader, "@acme/more", "1.0.0"), 403, "forbidden", "");
    }

    @Test
    void searchShowsOnlyWhatTheCallerMayRead() throws Exception {
        Fixtures.expect(publish(admin, "@acme/findme", "1.0.0"), "publish", 201);
        Fixtures.expect(publish(admin, "findme-too", "1.0.0"), "publish", 201);
        JsonNode all = admin.get(REG + "-/v1/search?text=findme&size=20").json();
        assertThat(names(all)).containsExactly("@acme/findme", "findme-too");
        assertThat(all.path("total").asInt()).isEqualTo(2);
        assertThat(all.path("objects").get(0).path("package").path("version").asText())
                .isEqualTo("1.0.0");
        Http reader = server.anonymous().basic("reader", "reader-password-1");
        assertThat(names(reader.get(REG + "-/v1/search?text=findme").json())).containsExactly("@acme/findme");
        assertThat(server.anonymous()
                        .basic("nobody", "nobody-password-1")
                        .get(REG + "-/v1/search?text=x")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aScopedTokenPublishesItsScopeAndNothingElse() throws Exception {
        String token =
                CredentialRulesTest.token(server, admin, "scope=" + Fixtures.enc("artifact:npm-local/@acme/**:r,w"));
        Http scoped = server.anonymous().bearer(token);
        Fixtures.expect(publish(scoped, "@acme/tok", "1.0.0"), "scoped publish", 201);
        assertNpmError(publish(scoped, "other-tok", "1.0.0"), 403, "forbidden", "");
        assertNpmError(publish(scoped, "@other/tok", "1.0.0"), 403, "forbidden", "");
        assertThat(admin.get(REG + "other-tok").status()).isEqualTo(404);
    }

    @Test
    void publishTagDeprecateAndUnpublishAreAuditedWithPackageAndVersion() throws Exception {
        Fixtures.expect(publish(admin, "@acme/audited", "1.0.0"), "publish", 201);
        Fixtures.expect(publish(admin, "@acme/audited", "1.1.0"), "publish", 201);
        String tags = REG + "-/package/@acme%2faudited/dist-tags/";
        Fixtures.expect(admin.putJson(tags + "next", "\"1.1.0\""), "tag", 200);
        ObjectNode doc =
                (ObjectNode) admin.get(REG + "@acme%2faudited?write=true").json();
        ((ObjectNode) doc.path("versions").path("1.0.0")).put("deprecated", "old");
        Fixtures.expect(admin.putJson(REG + "@acme%2faudited", JSON.writeValueAsString(doc)), "deprecate", 200);
        String rev = admin.get(REG + "@acme%2faudited").json().path("_rev").asText();
        Fixtures.expect(admin.delete(REG + "@acme%2faudited/-rev/" + rev), "unpublish", 200);

        List<String> seen = new ArrayList<>();
        admin.get("/api/audit?limit=1000").json().path("events").forEach(e -> {
            if (e.path("action").asText().startsWith("npm.")
                    && e.path("path").asText().equals("@acme/audited")) {
                assertThat(e.path("repo").asText()).isEqualTo("npm-local");
                assertThat(e.path("username").asText()).isEqualTo("admin");
                seen.add(e.path("action").asText() + " " + e.path("change"));
            }
        });
        assertThat(seen)
                .anyMatch(l -> l.startsWith("npm.publish") && l.contains("\"after\":\"1.0.0\""))
                .anyMatch(l -> l.startsWith("npm.publish") && l.contains("\"after\":\"1.1.0\""))
                .anyMatch(l -> l.startsWith("npm.dist-tag") && l.contains("\"next\"") && l.contains("1.1.0"))
                .anyMatch(l -> l.startsWith("npm.deprecate") && l.contains("1.0.0") && l.contains("\"old\""))
                .anyMatch(l -> l.startsWith("npm.unpublish") && l.contains("\"before\":\"1.0.0\""))
                .anyMatch(l -> l.startsWith("npm.unpublish") && l.contains("\"before\":\"1.1.0\""));
    }

    @Test
    void concurrentPublishesOfOneVersionStoreExactlyOne() throws Exception {
        int n = 12; // enough racers that some share a blob-lock stripe (64 of them)
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Http.Response>> results = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            for (int i = 0; i < n; i++) {
                byte[] tgz = ("racer " + i).getBytes(StandardCharsets.UTF_8);
                String body = publishBody("race", "1.0.0", tgz, null);
                results.add(pool.submit(() -> {
                    go.await();
                    return admin.putJson(REG + "race", body);
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (var f : results) {
                statuses.add(f.get().status());
            }
            assertThat(statuses).containsOnly(201, 409).containsOnlyOnce(201);
        } finally {
            pool.shutdownNow();
        }
        // the manifest and the tarball are the same publish's
        JsonNode v = admin.get(REG + "race").json().path("versions").path("1.0.0");
        Http.Response tgz = admin.get(REG + "race/-/race-1.0.0.tgz");
        assertThat(v.path("dist").path("integrity").asText())
                .isEqualTo(sri(tgz.body().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void strictBodiesAndNamesAndADeletedRepositoryTakesItsPackages() throws Exception {
        String dup = "{\"name\":\"dup\",\"name\":\"dup\"}";
        assertNpmError(admin.putJson(REG + "dup", dup), 400, "body_invalid", "more than once");
        assertNpmError(
                publish(admin, "bad%20name", "1.0.0"), 400, "package_name_invalid", "not a valid npm package name");
        String other = publishBody("other-name", "1.0.0", tarball("x", "1.0.0"), null);
        assertNpmError(admin.putJson(REG + "not-other", other), 400, "name_mismatch", "not the package of the URL");
        assertThat(admin.get(REG + "not-other").status()).isEqualTo(404);

        Fixtures.expect(admin.putJson("/api/repositories/npm-tmp", "{\"packageType\":\"npm\"}"), "repo", 201);
        Fixtures.expect(
                admin.putJson("/api/npm/npm-tmp/kept", publishBody("kept", "1.0.0", tarball("kept", "1.0.0"), null)),
                "publish",
                201);
        Fixtures.expect(admin.delete("/api/repositories/npm-tmp"), "delete repo", 204);
        Fixtures.expect(admin.putJson("/api/repositories/npm-tmp", "{\"packageType\":\"npm\"}"), "again", 201);
        assertThat(admin.get("/api/npm/npm-tmp/kept").status()).isEqualTo(404);
    }

    @Test
    void aTarballOverJacksonsDefaultStringLimitPublishes() throws Exception {
        // 16 MiB is over 21 million base64 characters, past Jackson's default of 20 million
        byte[] big = new byte[16 * 1024 * 1024];
        new java.util.Random(19).nextBytes(big);
        Fixtures.expect(admin.putJson(REG + "big", publishBody("big", "1.0.0", big, null)), "big publish", 201);
        assertThat(admin.head(REG + "big/-/big-1.0.0.tgz").header("Content-Length"))
                .isEqualTo(String.valueOf(big.length));
    }

    @Test
    void unpublishNeedsDeleteOnEveryTarballAndChangesNothingWithout() throws Exception {
        Fixtures.expect(publish(admin, "kept-one", "1.0.0"), "publish", 201);
        Fixtures.expect(publish(admin, "kept-one", "1.1.0"), "publish", 201);
        Fixtures.user(server, "unpub", "unpub-password-1");
        Fixtures.permission(
                server,
                "npm-unpub",
                "npm-local",
                List.of("kept-one/**", "kept-one"),
                List.of("kept-one/-/kept-one-1.1.0.tgz"),
                Map.of("unpub", List.of("r", "w", "d")),
                Map.of());
        Http unpub = server.anonymous().basic("unpub", "unpub-password-1");
        String rev = unpub.get(REG + "kept-one").json().path("_rev").asText();
        assertNpmError(unpub.delete(REG + "kept-one/-rev/" + rev), 403, "forbidden", "kept-one-1.1.0.tgz");
        JsonNode after = admin.get(REG + "kept-one").json();
        assertThat(after.path("versions").has("1.0.0")).isTrue();
        assertThat(after.path("versions").has("1.1.0")).isTrue();
        assertThat(after.path("_rev").asText()).isEqualTo(rev);
        assertThat(admin.get(REG + "kept-one/-/kept-one-1.0.0.tgz").status()).isEqualTo(200);
        // the version it may delete goes
        ObjectNode doc = (ObjectNode) unpub.get(REG + "kept-one?write=true").json();
        ((ObjectNode) doc.path("versions")).remove("1.0.0");
        Fixtures.expect(unpub.putJson(REG + "kept-one/-rev/" + rev, JSON.writeValueAsString(doc)), "unpub 1.0.0", 200);
        assertThat(admin.get(REG + "kept-one/-/kept-one-1.0.0.tgz").status()).isEqualTo(404);
    }

    /**
     * Found by AccessMatrixNpmTest: DELETE /{name}/-/{file}/-rev/{rev} takes the version out of the
     * package's document, so it needs d on the package as well as on the tarball (ISSUE 19). It was
     * admitted on the tarball's path alone, so d on tarball files unpublished whole versions.
     */
    @Test
    void unpublishingAVersionByItsTarballNeedsDeleteOnThePackage() throws Exception {
        Fixtures.expect(publish(admin, "by-file", "1.0.0"), "publish", 201);
        Fixtures.expect(publish(admin, "by-file", "1.1.0"), "publish", 201);
        Fixtures.user(server, "tgzonly", "tgzonly-password-1");
        Fixtures.permission(
                server,
                "npm-tgzonly",
                "npm-local",
                List.of("**/-/*.tgz"),
                List.of(),
                Map.of("tgzonly", List.of("r", "w", "d")),
                Map.of());
        Http tgzonly = server.anonymous().basic("tgzonly", "tgzonly-password-1");
        JsonNode before = admin.get(REG + "by-file").json();
        String rev = before.path("_rev").asText();
        assertNpmError(tgzonly.delete(REG + "by-file/-/by-file-1.0.0.tgz/-rev/" + rev), 403, "forbidden", "by-file");
        assertThat(admin.get(REG + "by-file").json()).isEqualTo(before);
        assertThat(admin.get(REG + "by-file/-/by-file-1.0.0.tgz").status()).isEqualTo(200);
        // with d on the package too it unpublishes that version, and only that one
        Fixtures.permission(
                server,
                "npm-tgzonly",
                "npm-local",
                List.of("**/-/*.tgz", "by-file"),
                List.of(),
                Map.of("tgzonly", List.of("r", "w", "d")),
                Map.of());
        Fixtures.expect(tgzonly.delete(REG + "by-file/-/by-file-1.0.0.tgz/-rev/" + rev), "unpublish 1.0.0", 200);
        JsonNode after = admin.get(REG + "by-file").json();
        assertThat(after.path("versions").has("1.0.0")).isFalse();
        assertThat(after.path("versions").has("1.1.0")).isTrue();
        assertThat(admin.get(REG + "by-file/-/by-file-1.0.0.tgz").status()).isEqualTo(404);
    }

    @Test
    void tarballUrlsFollowTheAddressUsedAndOnlyTrustedProxies() throws Exception {
        Fixtures.expect(publish(admin, "linked", "1.0.0"), "publish", 201);
        Http forged = admin.header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https");
        assertThat(forged.get(REG + "linked")
                        .json()
                        .path("versions")
                        .path("1.0.0")
                        .path("dist")
                        .path("tarball")
                        .asText())
                .isEqualTo(server.base() + REG + "linked/-/linked-1.0.0.tgz");
        try (TestServer proxied = TestServer.start(Map.of("trusted.proxies", "127.0.0.1"))) {
            Http a = proxied.admin();
            Fixtures.expect(a.putJson("/api/repositories/npm-local", "{\"packageType\":\"npm\"}"), "repo", 201);
            Fixtures.expect(publish(a, "linked", "1.0.0"), "publish", 201);
            JsonNode dist = a.header("X-Forwarded-Host", "registry.example.org")
                    .header("X-Forwarded-Proto", "https")
                    .get(REG + "linked")
                    .json()
                    .path("versions")
                    .path("1.0.0")
                    .path("dist");
            assertThat(dist.path("tarball").asText())
                    .isEqualTo("https://registry.example.org" + REG + "linked/-/linked-1.0.0.tgz");
        }
    }

    private static List<String> names(JsonNode search) {
        List<String> out = new ArrayList<>();
        search.path("objects")
                .forEach(o -> out.add(o.path("package").path("name").asText()));
        return out;
    }
}
