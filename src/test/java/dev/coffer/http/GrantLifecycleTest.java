package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SECURITY-CHECKLIST 13 over HTTP: grants follow identities, not names. A deleted user, group or
 * repository takes its grants with it, so a new one of the same name starts with nothing; a
 * permission target naming what does not exist is refused (400) and changes nothing.
 */
class GrantLifecycleTest {
    private static TestServer server;
    private static Http admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http as(String user) {
        return new Http(server.base()).basic(user, user + "-pass");
    }

    private static Map<String, Object> target(
            List<String> repos, Map<String, List<String>> users, Map<String, List<String>> groups) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("repositories", repos);
        body.put("includePatterns", List.of("**"));
        body.put("users", users);
        body.put("groups", groups);
        return body;
    }

    private static Http.Response putTarget(String name, Map<String, Object> body) {
        return admin.putJson("/api/permissions/" + name, Fixtures.json(body));
    }

    private static JsonNode stored(String name) {
        Http.Response r = admin.get("/api/permissions/" + name);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** The target as GET /api/permissions (the in-memory index) shows it, or null. */
    private static JsonNode listed(String name) {
        for (JsonNode t : admin.get("/api/permissions").json()) {
            if (t.path("name").asText().equals(name)) {
                return t;
            }
        }
        return null;
    }

    @Test
    void aRecreatedUserDoesNotInheritTheDeletedUsersGrants() {
        String repo = Fixtures.unique("dave-repo");
        Fixtures.repo(server, repo, false);
        Fixtures.put(admin, "/repository/" + repo + "/a.txt", "secret");
        Fixtures.user(server, "dave", "dave-pass");
        Fixtures.grantUser(server, "dave-read", repo, "dave", "r");
        assertThat(as("dave").get("/repository/" + repo + "/a.txt").status()).isEqualTo(200);
        CredentialRulesTest.Creds old = CredentialRulesTest.creds(server, "dave", "dave-pass");

        assertThat(admin.delete("/api/users/dave").status()).isEqualTo(204);
        Fixtures.user(server, "dave", "dave-pass");

        Http.Response read = as("dave").get("/repository/" + repo + "/a.txt");
        assertThat(read.status())
                .as("the new dave reads what the old one could: %s", read)
                .isEqualTo(403);
        assertThat(stored("dave-read").path("users").has("dave")).isFalse();
        assertThat(listed("dave-read").path("users").has("dave")).isFalse();
        // the old account's key and token died with it (and do not pass to the new account)
        CredentialRulesTest.assert401(
                new Http(server.base()).header("Circle-Token", old.key()).get("/repository/" + repo + "/a.txt"));
        CredentialRulesTest.assert401(
                new Http(server.base()).bearer(old.token()).get("/api/me"));
        // granting the new account works as usual
        Fixtures.grantUser(server, "dave-read", repo, "dave", "r");
        assertThat(as("dave").get("/repository/" + repo + "/a.txt").status()).isEqualTo(200);
    }

    @Test
    void aRecreatedGroupDoesNotInheritTheDeletedGroupsGrants() {
        String repo = Fixtures.unique("ops-repo");
        Fixtures.repo(server, repo, false);
        Fixtures.put(admin, "/repository/" + repo + "/a.txt", "secret");
        Fixtures.group(server, "ops");
        Fixtures.user(server, "olga", "olga-pass", "ops");
        Fixtures.permission(server, "ops-read", repo, List.of("**"), List.of(), Map.of(), Map.of("ops", List.of("r")));
        assertThat(as("olga").get("/repository/" + repo + "/a.txt").status()).isEqualTo(200);

        assertThat(admin.delete("/api/groups/ops").status()).isEqualTo(204);
        Fixtures.group(server, "ops");
        Fixtures.user(server, "olga", "olga-pass", "ops");

        Http.Response read = as("olga").get("/repository/" + repo + "/a.txt");
        assertThat(read.status())
                .as("a member of the new ops reads what the old ops could: %s", read)
                .isEqualTo(403);
        assertThat(stored("ops-read").path("groups").has("ops")).isFalse();
        assertThat(listed("ops-read").path("groups").has("ops")).isFalse();
    }

    @Test
    void aRecreatedRepositoryDoesNotRegainTheDeletedRepositorysGrants() {
        String repo = Fixtures.unique("gone");
        String other = Fixtures.unique("kept");
        Fixtures.repo(server, repo, false);
        Fixtures.repo(server, other, false);
        Fixtures.user(server, "rita", "rita-pass");
        Fixtures.grantUser(server, "rita-only", repo, "rita", "rw");
        assertThat(putTarget("rita-both", target(List.of(repo, other), Map.of("rita", List.of("r")), Map.of()))
                        .status())
                .isEqualTo(201);

        assertThat(admin.delete("/api/repositories/" + repo).status()).isEqualTo(204);
        Fixtures.repo(server, repo, false);
        Fixtures.put(admin, "/repository/" + repo + "/a.txt", "new content");

        assertThat(as("rita").get("/repository/" + repo + "/a.txt").status()).isEqualTo(403);
        assertThat(as("rita").put("/repository/" + repo + "/b.txt", "x").status())
                .isEqualTo(403);
        assertThat(admin.get("/api/permissions/rita-only").status())
                .as("a target left with no repository is deleted")
                .isEqualTo(404);
        assertThat(listed("rita-only")).isNull();
        assertThat(stored("rita-both").path("repositories").toString()).isEqualTo("[\"" + other + "\"]");
    }

    @Test
    void aTargetNamingWhatDoesNotExistIsRefusedAndChangesNothing() {
        String repo = Fixtures.unique("real");
        Fixtures.repo(server, repo, false);
        Fixtures.user(server, "uma", "uma-pass");
        Fixtures.group(server, "real-group");

        Http.Response r = putTarget(
                "ghosts",
                target(
                        List.of(repo, "no-such-repo"),
                        Map.of("uma", List.of("r"), "nobody", List.of("r")),
                        Map.of("no-such-group", List.of("r"))));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("permission_invalid");
        String message = r.json().path("error").path("message").asText();
        assertThat(message)
                .contains("unknown user 'nobody'", "unknown group 'no-such-group'", "unknown repository 'no-such-repo'")
                .doesNotContain("'uma'");
        assertThat(admin.get("/api/permissions/ghosts").status()).isEqualTo(404);

        Map<String, Object> good =
                target(List.of(repo), Map.of("uma", List.of("r")), Map.of("real-group", List.of("r")));
        assertThat(putTarget("ghosts", good).status()).isEqualTo(201);
        JsonNode before = stored("ghosts");
        for (Map<String, Object> bad : List.of(
                target(List.of(repo), Map.of("nobody", List.of("r", "w")), Map.of()),
                target(List.of(repo), Map.of(), Map.of("no-such-group", List.of("r"))),
                target(List.of("no-such-repo"), Map.of("uma", List.of("r")), Map.of()))) {
            Http.Response update = putTarget("ghosts", bad);
            assertThat(update.status()).as(update.toString()).isEqualTo(400);
            assertThat(update.errorCode()).isEqualTo("permission_invalid");
        }
        assertThat(stored("ghosts")).isEqualTo(before);
        assertThat(listed("ghosts")).isEqualTo(before);
    }

    @Test
    void anyRepositoryStillWorks() {
        String repo = Fixtures.unique("star");
        Fixtures.repo(server, repo, false);
        Fixtures.put(admin, "/repository/" + repo + "/a.txt", "x");
        Fixtures.user(server, "stan", "stan-pass");

        assertThat(putTarget("stan-everywhere", target(List.of("*"), Map.of("stan", List.of("r")), Map.of()))
                        .status())
                .isEqualTo(201);
        assertThat(as("stan").get("/repository/" + repo + "/a.txt").status()).isEqualTo(200);
        // "*" is no name of a user
        Http.Response star = putTarget("star-user", target(List.of("*"), Map.of("*", List.of("r")), Map.of()));
        assertThat(star.status()).isEqualTo(400);
        assertThat(star.errorCode()).isEqualTo("permission_invalid");
    }

    /**
     * A user's deletion racing a PUT of a target naming that user: whichever lands first, no grant
     * for the name is left (the PUT is refused, or the delete takes the name out of what it wrote),
     * and a new account of the name reads nothing.
     */
    @Test
    void aUserDeletionRacingAPermissionPutNeverLeavesAGrantForTheName() throws Exception {
        String repo = Fixtures.unique("race");
        Fixtures.repo(server, repo, false);
        Fixtures.put(admin, "/repository/" + repo + "/a.txt", "x");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 30; round++) {
                String user = "racer-" + round;
                String name = "race-" + round;
                Fixtures.user(server, user, user + "-pass");
                Map<String, Object> body = target(List.of(repo), Map.of(user, List.of("r")), Map.of());
                CountDownLatch go = new CountDownLatch(1);
                Future<Http.Response> deleted = pool.submit(() -> {
                    go.await();
                    return admin.delete("/api/users/" + user);
                });
                Future<Http.Response> put = pool.submit(() -> {
                    go.await();
                    return putTarget(name, body);
                });
                go.countDown();
                assertThat(deleted.get().status()).isEqualTo(204);
                Http.Response p = put.get();
                assertThat(p.status()).as("round %d: %s", round, p).isIn(201, 400);
                if (p.status() == 201) {
                    assertThat(stored(name).path("users").has(user))
                            .as("round %d", round)
                            .isFalse();
                    assertThat(listed(name).path("users").has(user))
                            .as("round %d", round)
                            .isFalse();
                } else {
                    assertThat(admin.get("/api/permissions/" + name).status()).isEqualTo(404);
                }
                Fixtures.user(server, user, user + "-pass");
                assertThat(as(user).get("/repository/" + repo + "/a.txt").status())
                        .as("round %d", round)
                        .isEqualTo(403);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
