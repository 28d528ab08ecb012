package dev.coffer.http;

import static dev.coffer.testing.Fixtures.enc;
import static dev.coffer.testing.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.MavenMetadataXml;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.VirtualFixtures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.repository.metadata.Metadata;
import org.apache.maven.artifact.repository.metadata.io.xpp3.MetadataXpp3Reader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Virtual repositories over HTTP (API.md §9): member order, include/exclude patterns, deploys and
 * the 405s, merged maven-metadata.xml with checksums of what each caller gets, scoped tokens and
 * anonymous reads through the virtual repository, namespace protection, listings, the access check.
 * Each test makes repositories of its own on one server.
 */
class VirtualRepositoryTest {
    static final String PASSWORD = "virtual-test-password";
    static final String JAR = "com/acme/lib/1.0/lib-1.0.jar";
    static final String META = "com/acme/lib/maven-metadata.xml";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        System.out.println("VirtualRepositoryTest: backends "
                + (server.onFileStore() ? "SQLite + file store" : "PostgreSQL + S3 (content in S3)"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String name(String prefix) {
        return Fixtures.unique(prefix);
    }

    static Http as(String user) {
        return server.anonymous().basic(user, PASSWORD);
    }

    static String user(String prefix) {
        String u = name(prefix);
        Fixtures.user(server, u, PASSWORD);
        return u;
    }

    static void reads(String user, String... repos) {
        for (String repo : repos) {
            Fixtures.grantUser(server, name("read-" + repo), repo, user, "r");
        }
    }

    static void put(String repo, String path, String content) {
        Fixtures.put(server.admin(), "/repository/" + repo + "/" + path, content);
    }

    static Http.Response get(Http h, String repo, String path) {
        return h.get("/repository/" + repo + "/" + path);
    }

    @Test
    void theFirstMemberThatHasTheFileAnswers() {
        String a = name("a");
        String b = name("b");
        String v = name("v");
        VirtualFixtures.local(server, a, false);
        VirtualFixtures.local(server, b, false);
        VirtualFixtures.virtual(server, v, false, null, a, b);
        put(a, JAR, "from a");
        put(b, JAR, "from b");
        put(b, "com/acme/lib/2.0/lib-2.0.jar", "only in b");
        String u = user("reader");
        reads(u, v, a, b);

        assertThat(get(as(u), v, JAR).body()).isEqualTo("from a");
        Http.Response onlyB = get(as(u), v, "com/acme/lib/2.0/lib-2.0.jar");
        assertThat(onlyB.body()).isEqualTo("only in b");
        assertThat(onlyB.header("X-Checksum-Sha256")).isEqualTo(Digests.sha256("only in b"));
        Http.Response head = as(u).head("/repository/" + v + "/" + JAR);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("6");
        assertThat(head.header("ETag")).isEqualTo("\"" + Digests.sha256("from a") + "\"");
        assertThat(get(as(u), v, "com/acme/lib/3.0/lib-3.0.jar").status()).isEqualTo(404);
        assertThat(as(u).header("If-None-Match", head.header("ETag"))
                        .get("/repository/" + v + "/" + JAR)
                        .status())
                .isEqualTo(304);
    }

    @Test
    void aMembersPatternsSayWhichPathsItIsAskedFor() {
        String internal = name("internal");
        String all = name("all");
        String v = name("v");
        VirtualFixtures.local(server, internal, false, List.of("com/acme/**"), List.of("com/acme/legacy/**"));
        VirtualFixtures.local(server, all, false);
        VirtualFixtures.virtual(server, v, false, null, internal, all);
        for (String path : List.of(JAR, "org/x/y/1/y-1.jar", "com/acme/legacy/1/legacy-1.jar")) {
            put(internal, path, "internal");
            put(all, path, "all");
        }
        String u = user("reader");
        reads(u, v, internal, all);

        assertThat(get(as(u), v, JAR).body()).isEqualTo("internal");
        assertThat(get(as(u), v, "org/x/y/1/y-1.jar").body()).isEqualTo("all");
        assertThat(get(as(u), v, "com/acme/legacy/1/legacy-1.jar").body()).isEqualTo("all");
    }

    @Test
    void deploysLandInTheDefaultDeployRepositoryWithItsUsualRules() {
        String libs = name("libs");
        String releases = name("releases");
        String v = name("v");
        VirtualFixtures.local(server, libs, false);
        VirtualFixtures.local(server, releases, false);
        VirtualFixtures.virtual(server, v, false, releases, libs, releases);
        String dev = user("dev");
        Fixtures.grantUser(server, name("dev-v"), v, dev, "rwd");
        Fixtures.grantUser(server, name("dev-rel"), releases, dev, "rw");

        Http.Response created = as(dev).put("/repository/" + v + "/" + JAR + ";build.name=web;build.number=7", "v1");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("repo").asText()).isEqualTo(releases);
        assertThat(created.header("Location")).isEqualTo("/repository/" + releases + "/" + JAR);
        assertThat(get(server.admin(), releases, JAR).body()).isEqualTo("v1");
        assertThat(get(server.admin(), libs, JAR).status()).isEqualTo(404);
        JsonNode info =
                server.admin().get("/api/storage/" + releases + "/" + JAR).json();
        assertThat(info.path("properties").path("build.name").get(0).asText()).isEqualTo("web");
        assertThat(get(as(dev), v, JAR).body()).isEqualTo("v1");

        // replacing needs d on the deploy repository too (dev has it only on the virtual one)
        Http.Response again = as(dev).put("/repository/" + v + "/" + JAR, "v2");
        assertThat(again.status()).as(again.toString()).isEqualTo(403);
        assertThat(get(server.admin(), releases, JAR).body()).isEqualTo("v1");
        // Maven metadata may be replaced with w, as on a local repository
        assertThat(as(dev).put("/repository/" + v + "/" + META, "<metadata/>").status())
                .isEqualTo(201);
        assertThat(as(dev).put("/repository/" + v + "/" + META, "<metadata></metadata>")
                        .status())
                .isEqualTo(200);
        // a checksum that does not match stores nothing
        Http.Response bad = as(dev).header("X-Checksum-Sha256", Digests.sha256("other"))
                .put("/repository/" + v + "/com/acme/lib/2.0/lib-2.0.jar", "v2");
        assertThat(bad.status()).isEqualTo(409);
        assertThat(get(server.admin(), releases, "com/acme/lib/2.0/lib-2.0.jar").status())
                .isEqualTo(404);

        // w on the virtual repository without w on the deploy repository: refused, nothing stored
        String other = user("other");
        Fixtures.grantUser(server, name("other-v"), v, other, "rw");
        Http.Response refused = as(other).put("/repository/" + v + "/com/acme/lib/3.0/lib-3.0.jar", "x");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("forbidden");
        assertThat(get(server.admin(), releases, "com/acme/lib/3.0/lib-3.0.jar").status())
                .isEqualTo(404);
    }

    @Test
    void deployingWithoutADeployRepositoryAndDeletingAreRefusedWith405() {
        String libs = name("libs");
        String v = name("v");
        String vd = name("vd");
        VirtualFixtures.local(server, libs, false);
        VirtualFixtures.virtual(server, v, false, null, libs);
        VirtualFixtures.virtual(server, vd, false, libs, libs);
        put(libs, JAR, "kept");
        String dev = user("dev");
        Fixtures.grantUser(server, name("dev-v"), v, dev, "rwd");
        Fixtures.grantUser(server, name("dev-vd"), vd, dev, "rwd");
        Fixtures.grantUser(server, name("dev-libs"), libs, dev, "rwd");

        Http.Response deploy = as(dev).put("/repository/" + v + "/com/acme/lib/2.0/lib-2.0.jar", "x");
        assertThat(deploy.status()).isEqualTo(405);
        assertThat(deploy.errorCode()).isEqualTo("method_not_allowed");
        assertThat(deploy.json().path("error").path("message").asText()).contains(libs);
        assertThat(deploy.header("Allow")).isEqualTo("GET, HEAD");
        for (String repo : List.of(v, vd)) {
            Http.Response delete = as(dev).delete("/repository/" + repo + "/" + JAR);
            assertThat(delete.status()).isEqualTo(405);
            assertThat(delete.json().path("error").path("message").asText()).contains(libs);
            assertThat(as(dev).delete("/repository/" + repo + "/com/").status()).isEqualTo(405);
        }
        assertThat(as(dev).delete("/repository/" + vd + "/" + JAR).header("Allow"))
                .isEqualTo("GET, HEAD, PUT");
        assertThat(get(server.admin(), libs, JAR).body()).isEqualTo("kept");
        // admission first: a caller without the action on the virtual repository learns nothing of it
        String stranger = user("stranger");
        assertThat(as(stranger).delete("/repository/" + v + "/" + JAR).status()).isEqualTo(403);
        assertThat(server.anonymous().put("/repository/" + v + "/" + JAR, "x").status())
                .isEqualTo(401);
    }

    static Metadata metadata(byte[] bytes) throws Exception {
        return new MetadataXpp3Reader().read(new ByteArrayInputStream(bytes), true);
    }

    @Test
    void metadataIsMergedFromTheMembersTheCallerMayReadWithChecksumsOfWhatItGets() throws Exception {
        String releases = name("releases");
        String staging = name("staging");
        String v = name("v");
        VirtualFixtures.local(server, releases, false);
        VirtualFixtures.local(server, staging, false);
        VirtualFixtures.virtual(server, v, false, null, releases, staging);
        put(releases, META, MavenMetadataXml.ga("20240101101010", "1.1", "1.1", "1.0", "1.1"));
        put(staging, META, MavenMetadataXml.ga("20250101101010", "2.0", "2.0", "1.1", "2.0"));
        String insider = user("insider");
        String outsider = user("outsider");
        reads(insider, v, releases, staging);
        reads(outsider, v, releases);

        Http.Response all = get(as(insider), v, META);
        assertThat(all.status()).isEqualTo(200);
        assertThat(metadata(all.bytes()).getVersioning().getVersions()).containsExactly("1.0", "1.1", "2.0");
        assertThat(metadata(all.bytes()).getVersioning().getRelease()).isEqualTo("2.0");
        assertThat(metadata(all.bytes()).getVersioning().getLastUpdated()).isEqualTo("20250101101010");
        Http.Response some = get(as(outsider), v, META);
        assertThat(metadata(some.bytes()).getVersioning().getVersions()).containsExactly("1.0", "1.1");
        assertThat(some.body()).doesNotContain("2.0");

        for (String[] kind :
                new String[][] {{"md5", "MD5"}, {"sha1", "SHA-1"}, {"sha256", "SHA-256"}, {"sha512", "SHA-512"}}) {
            for (String u : List.of(insider, outsider)) {
                byte[] got = get(as(u), v, META).bytes();
                Http.Response sum = get(as(u), v, META + "." + kind[0]);
                assertThat(sum.status()).isEqualTo(200);
                assertThat(sum.body()).as(u + " " + kind[0]).isEqualTo(Digests.hex(kind[1], got));
            }
        }
        assertThat(all.header("X-Checksum-Sha1")).isEqualTo(Digests.hex("SHA-1", all.bytes()));
        assertThat(all.header("ETag")).isNotEqualTo(some.header("ETag"));
    }

    @Test
    void aScopedTokenReadsTheMemberOnlyThroughItsVirtualRepositoryAndOnlyWhereItsScopeReaches() {
        String libs = name("libs");
        String v = name("maven-virtual");
        VirtualFixtures.local(server, libs, false);
        VirtualFixtures.virtual(server, v, false, null, libs);
        put(libs, JAR, "acme");
        put(libs, "com/other/x/1/x-1.jar", "other");
        String ci = user("ci");
        reads(ci, v, libs);
        String token = Fixtures.token(as(ci), Map.of("scope", "artifact:" + v + "/com/acme/**:r"))
                .get("access_token")
                .asText();
        Http t = server.anonymous().bearer(token);

        assertThat(get(t, v, JAR).body()).isEqualTo("acme");
        assertThat(get(t, v, "com/other/x/1/x-1.jar").status()).isEqualTo(403);
        assertThat(get(t, libs, JAR).status()).isEqualTo(403);
        String memberToken = Fixtures.token(as(ci), Map.of("scope", "artifact:" + libs + "/**:r"))
                .get("access_token")
                .asText();
        assertThat(get(server.anonymous().bearer(memberToken), v, JAR).status()).isEqualTo(403);
        assertThat(get(server.anonymous().bearer(memberToken), libs, JAR).status())
                .isEqualTo(200);
    }

    @Test
    void anonymousReadsThroughAVirtualRepositoryNeedAnonymousReadOnItAndOnTheMember() {
        String pub = name("pub");
        String priv = name("priv");
        String v = name("v");
        String closed = name("closed");
        VirtualFixtures.local(server, pub, true);
        VirtualFixtures.local(server, priv, false);
        VirtualFixtures.virtual(server, v, true, null, priv, pub);
        VirtualFixtures.virtual(server, closed, false, null, pub);
        put(priv, JAR, "private");
        put(pub, JAR, "public");
        put(priv, "com/acme/only/1/only-1.jar", "private only");

        assertThat(get(server.anonymous(), v, JAR).body()).isEqualTo("public");
        assertThat(get(server.anonymous(), v, "com/acme/only/1/only-1.jar").status())
                .isEqualTo(404);
        Http.Response challenged = get(server.anonymous(), closed, JAR);
        assertThat(challenged.status()).isEqualTo(401);
        assertThat(challenged.header("WWW-Authenticate")).isEqualTo(Errors.CHALLENGE);
    }

    @Test
    void aLocalMembersNamespaceIsNeverTakenFromARemoteMember() throws Exception {
        String libs = name("libs");
        String central = name("central");
        String v = name("v");
        VirtualFixtures.local(server, libs, false);
        VirtualFixtures.remote(server, central, false);
        VirtualFixtures.virtual(server, v, false, null, libs, central);
        put(libs, JAR, "ours");
        put(libs, META, MavenMetadataXml.ga("20240101101010", "1.0", "1.0", "1.0"));
        // the upstream published the same coordinates, "newer", and an unrelated library
        VirtualFixtures.stored(server, central, "com/acme/lib/9.9/lib-9.9.jar", "dependency confusion");
        VirtualFixtures.stored(server, central, META, MavenMetadataXml.ga("20990101101010", "9.9", "9.9", "9.9"));
        VirtualFixtures.stored(server, central, "org/junit/junit/4.13/junit-4.13.jar", "junit");
        String u = user("reader");
        reads(u, v, libs, central);

        assertThat(get(as(u), v, "com/acme/lib/9.9/lib-9.9.jar").status()).isEqualTo(404);
        assertThat(metadata(get(as(u), v, META).bytes()).getVersioning().getVersions())
                .containsExactly("1.0");
        assertThat(get(as(u), v, "org/junit/junit/4.13/junit-4.13.jar").body()).isEqualTo("junit");
        JsonNode lib = get(as(u), v, "com/acme/lib/").json();
        List<String> children = new ArrayList<>();
        lib.path("children").forEach(c -> children.add(c.path("name").asText()));
        assertThat(children).containsExactly("1.0", "maven-metadata.xml");
    }

    @Test
    void listingsMergeWhatTheCallerMayReadInEachMember() {
        String a = name("a");
        String b = name("b");
        String hidden = name("hidden");
        String v = name("v");
        VirtualFixtures.local(server, a, false);
        VirtualFixtures.local(server, b, false);
        VirtualFixtures.local(server, hidden, false);
        VirtualFixtures.virtual(server, v, false, null, a, hidden, b);
        put(a, "com/acme/lib/1.0/lib-1.0.jar", "a");
        put(b, "com/acme/app/1.0/app-1.0.jar", "b");
        put(hidden, "com/acme/secret/1.0/secret-1.0.jar", "hidden");
        String u = user("reader");
        reads(u, v, a, b);

        JsonNode acme = get(as(u), v, "com/acme/").json();
        List<String> names = new ArrayList<>();
        acme.path("children").forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).containsExactly("app", "lib");
        assertThat(acme.path("repo").asText()).isEqualTo(v);
        assertThat(acme.path("children").get(0).path("uri").asText()).isEqualTo("/repository/" + v + "/com/acme/app/");
        assertThat(get(as(u), v, "com/acme/secret/").status()).isEqualTo(404);
        assertThat(as(u).header("Accept", "text/html")
                        .get("/repository/" + v + "/com/acme/")
                        .body())
                .contains("app/", "lib/")
                .doesNotContain("secret");
    }

    @Test
    void theAccessCheckNamesTheMemberThatAnswersAndWhyTheOthersDoNot() {
        String excluded = name("excluded");
        String hidden = name("hidden");
        String empty = name("empty");
        String libs = name("libs");
        String v = name("v");
        VirtualFixtures.local(server, excluded, false, List.of("org/**"), List.of());
        VirtualFixtures.local(server, hidden, false);
        VirtualFixtures.local(server, empty, false);
        VirtualFixtures.local(server, libs, false);
        VirtualFixtures.virtual(server, v, false, libs, excluded, hidden, empty, libs);
        put(libs, JAR, "libs");
        put(hidden, JAR, "hidden");
        String u = user("reader");
        reads(u, v, empty, libs);

        JsonNode j = expect(
                        as(u).get("/api/access/check?repo=" + v + "&path=" + enc(JAR) + "&action=r"),
                        "access check",
                        200)
                .json();
        assertThat(j.path("allowed").asBoolean()).isTrue();
        assertThat(j.path("reason").asText()).contains("member '" + libs + "' answers");
        assertThat(j.path("virtual").path("member").asText()).isEqualTo(libs);
        List<String> outcomes = new ArrayList<>();
        j.path("virtual")
                .path("members")
                .forEach(m -> outcomes.add(
                        m.path("repo").asText() + "=" + m.path("outcome").asText()));
        assertThat(outcomes)
                .containsExactly(
                        excluded + "=outside_patterns", hidden + "=not_readable", empty + "=absent", libs + "=answers");

        JsonNode missing = as(u).get(
                        "/api/access/check?repo=" + v + "&path=" + enc("com/acme/none/1/n-1.jar") + "&action=r")
                .json();
        assertThat(missing.path("allowed").asBoolean()).isTrue();
        assertThat(missing.path("virtual").path("member").isNull()).isTrue();
        assertThat(missing.path("reason").asText()).contains("no member answers");

        JsonNode write = as(u).get("/api/access/check?repo=" + v + "&path=" + enc(JAR) + "&action=w")
                .json();
        assertThat(write.path("allowed").asBoolean()).isFalse();
        JsonNode delete = server.admin()
                .get("/api/access/check?repo=" + v + "&path=" + enc(JAR) + "&action=d")
                .json();
        assertThat(delete.path("allowed").asBoolean()).isFalse();
        assertThat(delete.path("reason").asText()).contains("405");
        // a caller who may not read the virtual repository learns nothing about its members
        String stranger = user("stranger");
        JsonNode refused = as(stranger)
                .get("/api/access/check?repo=" + v + "&path=" + enc(JAR) + "&action=r")
                .json();
        assertThat(refused.path("allowed").asBoolean()).isFalse();
        assertThat(refused.path("virtual").path("members")).isEmpty();
    }

    static long fastDownloads() {
        String metrics = server.admin().get("/metrics").body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("coffer_fast_downloads_total")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no coffer_fast_downloads_total in /metrics");
    }

    @Test
    void theFastPathServesAMembersFileAndNeverTheVirtualRepositorysOwn() {
        String libs = name("libs");
        String v = name("v");
        VirtualFixtures.local(server, libs, false);
        VirtualFixtures.virtual(server, v, true, null, libs);
        put(libs, JAR, "member's file");
        // a file stored under the virtual repository's own name (no route writes one) is never
        // served: what a virtual repository answers comes from its members, for each caller
        VirtualFixtures.stored(server, v, JAR, "stale file under the virtual name");
        String u = user("reader");
        reads(u, v, libs);

        assertThat(get(as(u), v, JAR).body()).isEqualTo("member's file"); // warms the caches
        long before = fastDownloads();
        assertThat(get(as(u), v, JAR).body()).isEqualTo("member's file");
        assertThat(fastDownloads()).isEqualTo(before + 1);
        // the private member shows nothing to anonymous callers, on either path
        assertThat(get(server.anonymous(), v, JAR).status()).isEqualTo(404);
        assertThat(fastDownloads()).isEqualTo(before + 1);
        // and the member's own download takes the fast path as before
        assertThat(get(as(u), libs, JAR).body()).isEqualTo("member's file");
        assertThat(fastDownloads()).isEqualTo(before + 2);
    }

    @Test
    void metadataChecksumFilesOfAMemberAreNeverServedThroughTheVirtualRepository() {
        String libs = name("libs");
        String v = name("v");
        VirtualFixtures.local(server, libs, false);
        VirtualFixtures.virtual(server, v, false, null, libs);
        String doc = MavenMetadataXml.ga("20240101101010", "1.0", "1.0", "1.0");
        put(libs, META, doc);
        put(libs, META + ".sha1", "0000000000000000000000000000000000000000");
        String u = user("reader");
        reads(u, v, libs);
        assertThat(get(as(u), v, META + ".sha1").body())
                .isEqualTo(Digests.hex("SHA-1", doc.getBytes(StandardCharsets.UTF_8)));
    }
}
