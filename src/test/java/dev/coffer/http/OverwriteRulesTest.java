package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** API.md §1: PUT needs `w`, and also `d` to replace a file, except Maven metadata. */
class OverwriteRulesTest {
    private static TestServer server;
    private static Http admin;
    private static String repo;
    private static Http writer;
    private static Http writerDeleter;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        repo = Fixtures.unique("ow");
        Fixtures.repo(server, repo, false);
        Fixtures.user(server, "wonly", "wonly-pass");
        Fixtures.user(server, "wdel", "wdel-pass");
        Fixtures.grantUser(server, "p-wonly", repo, "wonly", "w");
        Fixtures.grantUser(server, "p-wdel", repo, "wdel", "wd");
        writer = new Http(server.base()).basic("wonly", "wonly-pass");
        writerDeleter = new Http(server.base()).basic("wdel", "wdel-pass");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String url(String path) {
        return "/repository/" + repo + "/" + path;
    }

    @Test
    void writeOnlyMayCreateButNotReplace() {
        Http.Response created = writer.put(url("w/lib-1.0.jar"), "first");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("createdBy").asText()).isEqualTo("wonly");

        Http.Response again = writer.put(url("w/lib-1.0.jar"), "second");
        assertThat(again.status()).as(again.toString()).isEqualTo(403);
        assertThat(again.header("Content-Type")).startsWith("application/json");
        assertThat(admin.get(url("w/lib-1.0.jar")).body()).isEqualTo("first");

        // the same bytes again are still a replacement
        assertThat(writer.put(url("w/lib-1.0.jar"), "first").status()).isEqualTo(403);
    }

    @Test
    void writeOnlyCannotReadOrDelete() {
        Fixtures.put(writer, url("w2/a.txt"), "a");
        assertThat(writer.get(url("w2/a.txt")).status()).isEqualTo(403);
        assertThat(writer.delete(url("w2/a.txt")).status()).isEqualTo(403);
        assertThat(admin.get(url("w2/a.txt")).body()).isEqualTo("a");
    }

    @Test
    void writeAndDeleteMayReplace() {
        assertThat(writerDeleter.put(url("wd/lib.jar"), "first").status()).isEqualTo(201);
        Http.Response again = writerDeleter.put(url("wd/lib.jar"), "second");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("createdBy").asText()).isEqualTo("wdel");
        assertThat(admin.get(url("wd/lib.jar")).body()).isEqualTo("second");
    }

    @Test
    void replacingAFileCreatedBySomeoneElseNeedsDeleteToo() {
        Fixtures.put(admin, url("other/by-admin.jar"), "admin's");
        assertThat(writer.put(url("other/by-admin.jar"), "mine").status()).isEqualTo(403);
        assertThat(writerDeleter.put(url("other/by-admin.jar"), "mine").status())
                .isEqualTo(200);
        assertThat(admin.get(url("other/by-admin.jar")).body()).isEqualTo("mine");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "maven-metadata.xml",
                "maven-metadata.xml.sha1",
                "maven-metadata.xml.md5",
                "maven-metadata.xml.sha256",
                "maven-metadata.xml.sha512"
            })
    void writeOnlyMayReplaceMavenMetadata(String name) {
        String path = url("com/acme/meta-" + Fixtures.unique("m") + "/" + name);
        assertThat(writer.put(path, "v1").status()).isEqualTo(201);
        Http.Response again = writer.put(path, "v2");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(admin.get(path).body()).isEqualTo("v2");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "maven-metadata.xml.bak",
                "maven-metadata.xml.sha1.bak",
                "maven-metadata.xmlx",
                "my-maven-metadata.xml",
                "maven-metadata.xml.",
                "Maven-Metadata.xml"
            })
    void writeOnlyMayNotReplaceLookAlikes(String name) {
        String path = url("com/acme/look-" + Fixtures.unique("m") + "/" + name);
        assertThat(writer.put(path, "v1").status()).isEqualTo(201);
        Http.Response again = writer.put(path, "v2");
        assertThat(again.status()).as(again.toString()).isEqualTo(403);
        assertThat(admin.get(path).body()).isEqualTo("v1");
    }

    @Test
    void matrixPropertiesAtUploadNeedOnlyWrite() {
        Http.Response r = writer.put(url("props/app.zip;build.name=app;build.number=7;vcs.revision=abc"), "zip");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode props =
                admin.get("/api/storage/" + repo + "/props/app.zip").json().path("properties");
        assertThat(props.path("build.name").get(0).asText()).isEqualTo("app");
        assertThat(props.path("build.number").get(0).asText()).isEqualTo("7");
        assertThat(props.path("vcs.revision").get(0).asText()).isEqualTo("abc");

        // but replacing the file with new properties still needs `d`
        Http.Response again = writer.put(url("props/app.zip;build.number=8"), "zip2");
        assertThat(again.status()).isEqualTo(403);
        JsonNode after =
                admin.get("/api/storage/" + repo + "/props/app.zip").json().path("properties");
        assertThat(after.path("build.number").get(0).asText()).isEqualTo("7");
        // and setting properties afterwards needs `a`
        assertThat(writer.put("/api/storage/" + repo + "/props/app.zip?properties=k=v", "")
                        .status())
                .isEqualTo(403);
    }
}
