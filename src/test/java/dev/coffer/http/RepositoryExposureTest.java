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
 * API.md §3 (issue 15, finding 2): a change that widens a repository's exposure needs admin, or
 * {@code m} and {@code r} over the whole repository, and is audited with its values before and
 * after. {@code m} on one folder must not make the whole repository public.
 */
class RepositoryExposureTest {
    private static final String PAYROLL = "private/payroll.csv";
    /** What a refused settings change is audited as: its route. */
    private static final String SETTINGS_PUT = "PUT /api/repositories/{repo}";

    private static TestServer server;
    private static Http admin;
    private static Http anonymous;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        anonymous = server.anonymous();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A private repository with a settings file and a payroll file. */
    private static String privateRepo() {
        String repo = Fixtures.unique("mrepo");
        Fixtures.repo(server, repo, false);
        Fixtures.put(admin, "/repository/" + repo + "/settings/app.yml", "colour: blue");
        Fixtures.put(admin, "/repository/" + repo + "/" + PAYROLL, "alice,100000");
        return repo;
    }

    /** A new user with {@code actions} on {@code repo} through one target with these patterns. */
    private static Http userWith(String repo, String actions, List<String> includes, List<String> excludes) {
        String name = Fixtures.unique("u");
        Fixtures.user(server, name, name + "-pass");
        Fixtures.permission(
                server, name + "-target", repo, includes, excludes, Map.of(name, Fixtures.letters(actions)), Map.of());
        return anonymous.basic(name, name + "-pass");
    }

    private static Http token(Http owner, String scope) {
        String token = Fixtures.expect(
                        Fixtures.postJson(owner, "/access/api/v1/tokens", Map.of("scope", scope, "expires_in", 600)),
                        "token " + scope,
                        200)
                .json()
                .get("access_token")
                .asText();
        return anonymous.bearer(token);
    }

    private static Http.Response makePublic(Http who, String repo) {
        return who.putJson("/api/repositories/" + repo, "{\"anonymousRead\":true}");
    }

    private static boolean isPublic(String repo) {
        return admin.get("/api/repositories/" + repo)
                .json()
                .path("anonymousRead")
                .asBoolean();
    }

    /** The refusal changed nothing: still private, payroll still unreadable without credentials. */
    private static void assertStillPrivate(String repo, Http.Response refused) {
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("forbidden");
        assertThat(isPublic(repo)).isFalse();
        assertThat(anonymous.get("/repository/" + repo + "/" + PAYROLL).status())
                .isEqualTo(401);
    }

    private static void assertNowPublic(String repo, Http.Response done) {
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().path("anonymousRead").asBoolean()).isTrue();
        assertThat(isPublic(repo)).isTrue();
        assertThat(anonymous.get("/repository/" + repo + "/" + PAYROLL).body()).isEqualTo("alice,100000");
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The events about {@code repo}'s settings, newest first: {@code repository.*} and the refused
     * {@code PUT}. Reads are audited too and may be written after the change a test looks for.
     */
    private static List<JsonNode> repositoryEvents(String repo) {
        List<JsonNode> out = new ArrayList<>();
        admin.get("/api/audit?limit=1000").json().path("events").forEach(e -> {
            if (repo.equals(e.path("repo").asText(null))
                    && (e.path("action").asText().startsWith("repository.")
                            || e.path("action").asText().equals(SETTINGS_PUT))) {
                out.add(e);
            }
        });
        return out;
    }

    @Test
    void manageOnASettingsFolderCannotMakeTheRepositoryPublic() {
        String repo = privateRepo();
        Http settingsManager = userWith(repo, "m", List.of("settings/**"), List.of());
        assertThat(settingsManager.get("/repository/" + repo + "/" + PAYROLL).status())
                .isEqualTo(403);

        Http.Response r = makePublic(settingsManager, repo);

        assertStillPrivate(repo, r);
        assertThat(r.json().path("error").path("message").asText()).contains("anonymousRead", "every path");
        JsonNode denied = repositoryEvents(repo).get(0);
        assertThat(denied.path("action").asText()).isEqualTo(SETTINGS_PUT);
        assertThat(denied.path("outcome").asText()).isEqualTo("denied");
        assertThat(denied.path("change").isNull()).isTrue();
    }

    @Test
    void manageAndReadOverEverythingMayMakeItPublicAndTheChangeIsAudited() {
        String repo = privateRepo();
        Http owner = userWith(repo, "mr", List.of("**"), List.of());

        assertNowPublic(repo, makePublic(owner, repo));

        JsonNode e = repositoryEvents(repo).get(0);
        assertThat(e.path("action").asText()).isEqualTo("repository.update");
        assertThat(e.path("outcome").asText()).isEqualTo("success");
        assertThat(e.path("change")).isEqualTo(json("{\"anonymousRead\":{\"before\":false,\"after\":true}}"));
    }

    @Test
    void anExcludeAnywhereIsNotTheWholeRepository() {
        String repo = privateRepo();
        Http excluded = userWith(repo, "mr", List.of("**"), List.of("private/**"));
        assertStillPrivate(repo, makePublic(excluded, repo));
        // even an exclude of nothing that exists: what it would hide later is not the caller's
        Http excludesNothing = userWith(repo, "mr", List.of("**"), List.of("no-such-folder/**"));
        assertStillPrivate(repo, makePublic(excludesNothing, repo));
    }

    @Test
    void manageEverywhereWithoutReadIsNotEnough() {
        String repo = privateRepo();
        assertStillPrivate(repo, makePublic(userWith(repo, "m", List.of("**"), List.of()), repo));
    }

    @Test
    void aTokenScopedToTheSettingsFolderOfACoveringUserCannot() {
        String repo = privateRepo();
        Http owner = userWith(repo, "mr", List.of("**"), List.of());
        Http narrow = token(owner, "artifact:" + repo + "/settings/**:m,r");
        assertStillPrivate(repo, makePublic(narrow, repo));
        // the same user's token over the whole repository may
        assertNowPublic(repo, makePublic(token(owner, "artifact:" + repo + "/**:m,r"), repo));
    }

    @Test
    void aNarrowlyScopedAdminTokenCannotAndAnAdminCan() {
        String repo = privateRepo();
        assertStillPrivate(repo, makePublic(token(admin, "artifact:" + repo + "/settings/**:m,r"), repo));
        // an administrator's narrowed token is not an administrator, and admins hold no grants to count
        assertStillPrivate(repo, makePublic(token(admin, "artifact:" + repo + "/**:m,r"), repo));
        assertNowPublic(repo, makePublic(token(admin, "applied-permissions/admin"), repo));
        assertThat(admin.putJson("/api/repositories/" + repo, "{\"anonymousRead\":false}")
                        .status())
                .isEqualTo(200);
        assertNowPublic(repo, makePublic(admin, repo));
    }

    @Test
    void narrowingAndTheDescriptionNeedOnlyManageAsBefore() {
        String repo = Fixtures.unique("mrepo");
        Fixtures.repo(server, repo, true);
        Http settingsManager = userWith(repo, "m", List.of("settings/**"), List.of());

        // already public: saying so again, with a new description, widens nothing
        Http.Response same = settingsManager.putJson(
                "/api/repositories/" + repo, "{\"anonymousRead\":true,\"description\":\"words\"}");
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        assertThat(repositoryEvents(repo).get(0).path("change"))
                .isEqualTo(json("{\"description\":{\"before\":\"test repo " + repo + "\",\"after\":\"words\"}}"));

        Http.Response off = settingsManager.putJson("/api/repositories/" + repo, "{\"anonymousRead\":false}");
        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        assertThat(isPublic(repo)).isFalse();
        assertThat(repositoryEvents(repo).get(0).path("change"))
                .isEqualTo(json("{\"anonymousRead\":{\"before\":true,\"after\":false}}"));

        // and back on is a widening again
        assertThat(makePublic(settingsManager, repo).status()).isEqualTo(403);
        assertThat(isPublic(repo)).isFalse();
    }

    @Test
    void creatingAPublicRepositoryIsAuditedWithItsValues() {
        String repo = Fixtures.unique("created");
        Http.Response r = admin.putJson("/api/repositories/" + repo, "{\"anonymousRead\":true,\"description\":\"d\"}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode e = repositoryEvents(repo).get(0);
        assertThat(e.path("action").asText()).isEqualTo("repository.create");
        assertThat(e.path("change"))
                .isEqualTo(
                        json(
                                "{\"description\":{\"before\":null,\"after\":\"d\"},\"anonymousRead\":{\"before\":null,\"after\":true}}"));
    }
}
