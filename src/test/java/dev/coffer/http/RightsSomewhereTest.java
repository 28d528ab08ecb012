package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Repository-level rights ("some action somewhere in the repository": the repository list, GET of
 * a repository, the manage right to change its description, the folder listings a read may lead
 * to) count only what a target grants on some path: an include that its excludes cancel grants
 * nothing. And nothing lies below a folder of a repository that does not exist, so a read let
 * through for what a "*" target might grant further down does not find a missing repository (404)
 * where an existing one answers 403. Both found by the route matrix
 * (RouteMatrixPropertyTest).
 */
class RightsSomewhereTest {
    private static TestServer server;
    private static Http cancelled;
    private static Http partial;
    private static Http star;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        Fixtures.repo(server, "cancel", false);
        Fixtures.repo(server, "snap", false);
        Fixtures.repo(server, "real", false);
        Fixtures.put(server.admin(), "/repository/cancel/lib/a.jar", "a");
        Fixtures.put(server.admin(), "/repository/snap/org/1.0-SNAPSHOT/c.jar", "c");
        Fixtures.put(server.admin(), "/repository/real/b.txt", "b");
        Fixtures.user(server, "vera", "vera-password");
        Fixtures.user(server, "pia", "pia-password");
        Fixtures.user(server, "sam", "sam-password");
        // vera: m on lib/** minus lib/**, nothing at all
        Fixtures.permission(
                server,
                "cancelled",
                "cancel",
                List.of("lib/**"),
                List.of("lib/**"),
                Map.of("vera", List.of("m", "r")),
                Map.of());
        // pia: a literal include that an exclude of every SNAPSHOT folder cancels
        Fixtures.permission(
                server,
                "snapshots-out",
                "snap",
                List.of("org/1.0-SNAPSHOT/c.jar"),
                List.of("**/*SNAPSHOT*/**"),
                Map.of("pia", List.of("r", "m")),
                Map.of());
        // sam: read "x2" folders in every repository
        Http.Response r = server.admin()
                .putJson(
                        "/api/permissions/x2-everywhere",
                        Fixtures.json(Map.of(
                                "repositories",
                                List.of("*"),
                                "includePatterns",
                                List.of("**/x2/**"),
                                "excludePatterns",
                                List.of(),
                                "users",
                                Map.of("sam", List.of("r")),
                                "groups",
                                Map.of())));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
        cancelled = server.anonymous().basic("vera", "vera-password");
        partial = server.anonymous().basic("pia", "pia-password");
        star = server.anonymous().basic("sam", "sam-password");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> listed(Http h) {
        List<String> names = new ArrayList<>();
        for (JsonNode n : h.get("/api/repositories").json()) {
            names.add(n.get("name").asText());
        }
        return names;
    }

    @Test
    void anIncludeItsExcludeCancelsGrantsNothingInTheRepository() {
        for (Http h : List.of(cancelled, partial)) {
            assertThat(listed(h)).doesNotContain("cancel", "snap");
        }
        Http.Response get = cancelled.get("/api/repositories/cancel");
        assertThat(get.status()).as(get.toString()).isEqualTo(403);
        Http.Response put = cancelled.putJson("/api/repositories/cancel", "{\"description\":\"mine now\"}");
        assertThat(put.status()).as(put.toString()).isEqualTo(403);
        assertThat(server.admin()
                        .get("/api/repositories/cancel")
                        .json()
                        .get("description")
                        .asText())
                .isEqualTo("test repo cancel");
        Http.Response snap = partial.putJson("/api/repositories/snap", "{\"description\":\"mine now\"}");
        assertThat(snap.status()).as(snap.toString()).isEqualTo(403);
        // nothing there is readable, so no listing leads anywhere either
        assertThat(cancelled.get("/repository/cancel/lib/").status()).isEqualTo(403);
        assertThat(cancelled.get("/repository/cancel/lib/a.jar").status()).isEqualTo(403);
    }

    @Test
    void aMissingRepositoryAnswersLikeAnExistingOneWithoutRights() {
        for (String path : List.of("/repository/%s/b.txt", "/repository/%s/lib/", "/api/storage/%s/b.txt")) {
            Http.Response real = star.get(path.formatted("real"));
            Http.Response missing = star.get(path.formatted("nosuch"));
            assertThat(real.status()).as("%s: %s", path, real).isEqualTo(403);
            assertThat(missing.status()).as("%s: %s", path, missing).isEqualTo(403);
            assertThat(missing.errorCode()).isEqualTo(real.errorCode());
        }
        // sam's "*" target reads x2 folders in every repository, those to come included: he may see
        // that one is missing, as he may list every one that exists
        assertThat(star.get("/api/repositories/real").status()).isEqualTo(200);
        assertThat(star.get("/api/repositories/nosuch").errorCode()).isEqualTo("repository_not_found");
        // an administrator still learns that it is missing
        assertThat(server.admin().get("/repository/nosuch/b.txt").errorCode()).isEqualTo("repository_not_found");
    }
}
