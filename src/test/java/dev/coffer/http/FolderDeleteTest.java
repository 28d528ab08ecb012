package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, item 1: a folder delete (the repository root included) needs `d` on every file below
 * it, excludes and token scopes included; all or nothing, 403 without changing anything. Matrix
 * parameters belong to uploads only, so `;x` can never turn a path into the root.
 */
class FolderDeleteTest {
    private static TestServer server;
    private static Http admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        Fixtures.repo(server, "priv", false);
        Fixtures.repo(server, "scratch", false);
        Fixtures.user(server, "mallory", "mallory-pass");
        Fixtures.user(server, "carol", "carol-pass");
        Fixtures.permission(
                server,
                "mallory-priv",
                "priv",
                List.of("**"),
                List.of("**/*.key"),
                Map.of("mallory", List.of("r", "w", "d")),
                Map.of());
        Fixtures.permission(
                server,
                "mallory-scratch",
                "scratch",
                List.of("**"),
                List.of("**/*.key"),
                Map.of("mallory", List.of("r", "w", "d")),
                Map.of());
        Fixtures.permission(
                server,
                "carol-priv",
                "priv",
                List.of("**"),
                List.of(),
                Map.of("carol", List.of("r", "w", "d")),
                Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http mallory() {
        return new Http(server.base()).basic("mallory", "mallory-pass");
    }

    private static String url(String repo, String path) {
        return "/repository/" + repo + "/" + path;
    }

    private static void assertNothingWasDeleted(String repo, String... paths) {
        for (String p : paths) {
            Http.Response r = admin.get(url(repo, p));
            assertThat(r.status()).as("%s/%s is still there: %s", repo, p, r).isEqualTo(200);
            assertThat(r.body()).isEqualTo(p);
        }
    }

    private static void store(String repo, String... paths) {
        for (String p : paths) {
            Fixtures.put(admin, url(repo, p), p);
        }
    }

    @Test
    void aFolderDeleteIsRefusedWhenAnExcludedFileIsBelowIt() {
        store("priv", "build/app.jar", "build/app.key", "build/lib/dep.jar");

        Http.Response file = mallory().delete(url("priv", "build/app.key"));
        assertThat(file.status()).as(file.toString()).isEqualTo(403);

        Http.Response folder = mallory().delete(url("priv", "build"));
        assertThat(folder.status()).as(folder.toString()).isEqualTo(403);
        assertThat(folder.errorCode()).isEqualTo("forbidden");
        assertThat(folder.json().path("error").path("message").asText())
                .isEqualTo("deleting 'build' needs the delete (d) action on every file below it; nothing was deleted");
        assertNothingWasDeleted("priv", "build/app.jar", "build/app.key", "build/lib/dep.jar");

        Http.Response slash = mallory().delete(url("priv", "build/"));
        assertThat(slash.status()).as(slash.toString()).isEqualTo(403);
        assertNothingWasDeleted("priv", "build/app.jar", "build/app.key", "build/lib/dep.jar");
    }

    @Test
    void theRefusalNamesNoFileTheCallerMayNotRead() {
        store("priv", "names/visible.txt", "names/hidden-one.key", "names/deep/hidden-two.key");
        Http.Response r = mallory().delete(url("priv", "names"));
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.json().path("error").path("message").asText())
                .isEqualTo("deleting 'names' needs the delete (d) action on every file below it; nothing was deleted");
    }

    @Test
    void aFolderWhoseEveryFileMayBeDeletedGoesAsAWhole() {
        store("priv", "clean/a.jar", "clean/sub/b.jar", "cleanish/c.jar");
        Http.Response r = mallory().delete(url("priv", "clean"));
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
        assertThat(admin.get(url("priv", "clean/a.jar")).status()).isEqualTo(404);
        assertThat(admin.get(url("priv", "clean/sub/b.jar")).status()).isEqualTo(404);
        assertNothingWasDeleted("priv", "cleanish/c.jar");
    }

    @Test
    void aTokenScopeLimitsAFolderDeleteToTheFilesItCovers() {
        store("priv", "tmpdel/sub/b.bin", "tmpdel/a.bin");
        Http carol = new Http(server.base()).basic("carol", "carol-pass");
        Http.Response issued = carol.header("Content-Type", "application/x-www-form-urlencoded")
                .post(
                        "/access/api/v1/tokens",
                        "scope=" + URLEncoder.encode("artifact:priv/*:d", StandardCharsets.UTF_8));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        Http token = new Http(server.base())
                .bearer(issued.json().path("access_token").asText());

        Http.Response r = token.delete(url("priv", "tmpdel"));
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertNothingWasDeleted("priv", "tmpdel/sub/b.bin", "tmpdel/a.bin");
        // the owner's own rights cover everything: the scope is what refused
        assertThat(carol.delete(url("priv", "tmpdel")).status()).isEqualTo(204);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETE", "GET", "HEAD"})
    void matrixParametersOutsideAnUploadArePathInvalid(String method) {
        store("scratch", "m/keep.txt", "m/keep.key");
        for (String target : List.of(
                "/repository/scratch/;x",
                "/repository/scratch/m;x",
                "/repository/scratch/m/keep.txt;k=v",
                "/repository/scratch/;",
                "/api/storage/scratch/;x",
                "/api/storage/scratch/m/keep.txt;k=v")) {
            for (String auth : new String[] {
                Http.basicAuthorization("mallory", "mallory-pass"),
                Http.basicAuthorization("admin", TestServer.ADMIN_PASSWORD)
            }) {
                RawHttp.Reply r = RawHttp.send(server, method, target, "Authorization: " + auth);
                assertThat(r.status()).as("%s %s: %s", method, target, r).isEqualTo(400);
                if (!method.equals("HEAD")) {
                    assertThat(r.errorCode()).isEqualTo("path_invalid");
                }
            }
        }
        assertNothingWasDeleted("scratch", "m/keep.txt", "m/keep.key");
    }

    @Test
    void propertiesOnUploadStillWork() {
        Http.Response r = mallory().put(url("scratch", "props/app.zip;build.name=web"), "zip");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(admin.get("/api/storage/scratch/props/app.zip")
                        .json()
                        .path("properties")
                        .path("build.name")
                        .get(0)
                        .asText())
                .isEqualTo("web");
    }

    @Test
    void theRepositoryRootIsDecidedOnEveryFileLikeAnyFolder() {
        Fixtures.repo(server, "rooted", false);
        Fixtures.permission(
                server,
                "mallory-rooted",
                "rooted",
                List.of("**"),
                List.of("**/*.key"),
                Map.of("mallory", List.of("r", "w", "d")),
                Map.of());
        store("rooted", "top.txt", "a/b.jar", "a/secret.key");
        for (String target : List.of("/repository/rooted/", "/repository/rooted")) {
            Http.Response r = mallory().delete(target);
            assertThat(r.status()).as("DELETE %s: %s", target, r).isEqualTo(403);
            assertThat(r.json().path("error").path("message").asText())
                    .doesNotContain("secret")
                    .contains("nothing was deleted");
            assertNothingWasDeleted("rooted", "top.txt", "a/b.jar", "a/secret.key");
        }
        // without the excluded file the same caller may empty it
        assertThat(admin.delete(url("rooted", "a/secret.key")).status()).isEqualTo(204);
        Http.Response ok = mallory().delete("/repository/rooted/");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(204);
        assertThat(admin.get("/repository/rooted/").json().path("children")).isEmpty();
        // the root (a folder) of an empty repository: nothing to delete
        assertThat(mallory().delete("/repository/rooted/").status()).isEqualTo(404);
    }

    @Test
    void anAdministratorMayEmptyARepository() {
        Fixtures.repo(server, "emptied", false);
        store("emptied", "x.key", "y/z.txt");
        assertThat(admin.delete("/repository/emptied/").status()).isEqualTo(204);
        assertThat(admin.get("/repository/emptied/").json().path("children")).isEmpty();
    }
}
