package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 11: a folder is listed only when some file below it is readable by the caller,
 * and a folder with nothing readable in it answers exactly as a folder that does not exist.
 */
class FolderListingTest {
    private static TestServer server;
    private static Http admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        Fixtures.repo(server, "priv", false);
        Fixtures.repo(server, "bare", false);
        Fixtures.user(server, "reader", "reader-pass");
        Fixtures.user(server, "narrow", "narrow-pass");
        Fixtures.permission(
                server,
                "reader-priv",
                "priv",
                List.of("**"),
                List.of("**/*.key"),
                Map.of("reader", List.of("r")),
                Map.of());
        // exactly the .jar files below team/: the folders themselves are not readable, only what is below
        Fixtures.permission(
                server,
                "narrow-priv",
                "priv",
                List.of("team/**/*.jar"),
                List.of(),
                Map.of("narrow", List.of("r")),
                Map.of());
        Fixtures.permission(
                server,
                "narrow-bare",
                "bare",
                List.of("team/**/*.jar"),
                List.of(),
                Map.of("narrow", List.of("r")),
                Map.of());
        for (String p : List.of(
                "keys/a.key",
                "keys/b.key",
                "keys/deep/c.key",
                "pub/lib.jar",
                "mixed/x.key",
                "mixed/y.jar",
                "team/app/a.jar",
                "team/keys/k.key",
                "team/keys/deeper/k2.key")) {
            Fixtures.put(admin, "/repository/priv/" + p, p);
        }
        Fixtures.put(admin, "/repository/bare/team/notes.txt", "not a jar");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http as(String user) {
        return new Http(server.base()).basic(user, user + "-pass");
    }

    private static List<String> names(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().path("children").forEach(c -> out.add(c.path("name").asText()));
        return out;
    }

    @Test
    void aFolderWithOnlyExcludedFilesIsNotListed() {
        Http reader = as("reader");
        assertThat(names(reader.get("/repository/priv/"))).containsExactly("mixed", "pub", "team");
        assertThat(names(reader.get("/api/storage/priv/"))).containsExactly("mixed", "pub", "team");
        assertThat(names(reader.get("/repository/priv/mixed/"))).containsExactly("y.jar");
        assertThat(names(reader.get("/repository/priv/team/"))).containsExactly("app");
        assertThat(reader.header("Accept", "text/html").get("/repository/priv/").body())
                .contains("pub/")
                .doesNotContain("keys");
    }

    @Test
    void aFolderWithNothingReadableAnswersAsOneThatDoesNotExist() {
        Http reader = as("reader");
        for (String prefix : List.of("/repository/priv/", "/api/storage/priv/")) {
            Http.Response missing = reader.get(prefix + "nosuch/");
            assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
            for (String folder : List.of("keys/", "keys", "keys/deep/", "team/keys/", "team/keys/deeper")) {
                Http.Response r = reader.get(prefix + folder);
                assertThat(r.status()).as("%s%s: %s", prefix, folder, r).isEqualTo(missing.status());
                assertThat(r.errorCode()).isEqualTo(missing.errorCode());
                assertThat(r.header("Content-Type")).isEqualTo(missing.header("Content-Type"));
                assertThat(r.body().replace(folder.replaceAll("/$", ""), "nosuch"))
                        .isEqualTo(missing.body());
            }
        }
    }

    @Test
    void whereTheFolderItselfIsNotReadableTheAnswerIs403EitherWay() {
        Http narrow = as("narrow");
        assertThat(names(narrow.get("/repository/priv/"))).containsExactly("team");
        assertThat(names(narrow.get("/repository/priv/team/"))).containsExactly("app");
        for (String prefix : List.of("/repository/priv/", "/api/storage/priv/")) {
            Http.Response missing = narrow.get(prefix + "team/nosuch/");
            assertThat(missing.status()).as(missing.toString()).isEqualTo(403);
            for (String folder : List.of("team/keys/", "team/keys/deeper/")) {
                Http.Response r = narrow.get(prefix + folder);
                assertThat(r.status()).as("%s%s: %s", prefix, folder, r).isEqualTo(403);
                assertThat(r.errorCode()).isEqualTo(missing.errorCode());
            }
        }
    }

    @Test
    void theRepositoryRootIsAlways200() {
        Http narrow = as("narrow");
        Http.Response root = narrow.get("/repository/bare/");
        assertThat(names(root)).isEmpty();
        assertThat(names(narrow.get("/api/storage/bare/"))).isEmpty();
        assertThat(narrow.get("/repository/bare/team/").status()).isEqualTo(403);
    }
}
