package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What strict bodies still accept: what our own GET returned, PUT back; the fields of the
 * products whose routes Coffer borrows (Artifactory's repository configuration and Create Token,
 * Tuleap's tokens); and an update that leaves fields out.
 */
class KnownFieldsTest {
    private static final String USER = "known-user";
    private static final String PASSWORD = "known-user-password";
    private static TestServer server;
    private static Http admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        Fixtures.repo(server, "libs", false);
        Fixtures.group(server, "devs");
        Fixtures.user(server, USER, PASSWORD, "devs");
        Fixtures.permission(
                server,
                "p1",
                "libs",
                List.of("app/**"),
                List.of("app/secret/**"),
                Map.of(USER, List.of("r", "w")),
                Map.of("devs", List.of("r")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Response ok(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
        return r;
    }

    private static JsonNode without(JsonNode n, String... fields) {
        ObjectNode o = n.deepCopy();
        o.remove(List.of(fields));
        return o;
    }

    @Test
    void whatGetReturnedCanBePutBack() {
        JsonNode repo = admin.get("/api/repositories/libs").json();
        assertThat(repo.has("actions") && repo.has("created") && repo.has("lastModified"))
                .as(repo.toString())
                .isTrue();
        ((ObjectNode) repo).put("description", "edited after GET");
        JsonNode saved =
                ok(admin.putJson("/api/repositories/libs", repo.toString())).json();
        assertThat(saved.get("description").asText()).isEqualTo("edited after GET");
        for (JsonNode listed : admin.get("/api/repositories").json()) {
            ok(admin.putJson("/api/repositories/" + listed.get("name").asText(), listed.toString()));
        }

        JsonNode user = admin.get("/api/users/" + USER).json();
        assertThat(user.has("userId")).isTrue();
        assertThat(without(
                        ok(admin.putJson("/api/users/" + USER, user.toString())).json(), "lastModified"))
                .isEqualTo(without(user, "lastModified"));
        assertThat(server.anonymous().basic(USER, PASSWORD).get("/api/me").status())
                .isEqualTo(200);

        JsonNode group = admin.get("/api/groups/devs").json();
        assertThat(without(
                        ok(admin.putJson("/api/groups/devs", group.toString())).json(), "lastModified"))
                .isEqualTo(without(group, "lastModified"));

        JsonNode target = admin.get("/api/permissions/p1").json();
        assertThat(ok(admin.putJson("/api/permissions/p1", target.toString())).json())
                .isEqualTo(target);
        assertThat(admin.get("/api/permissions/p1").json()).isEqualTo(target);
    }

    @Test
    void anUpdateThatLeavesFieldsOutKeepsThem() {
        Fixtures.permission(
                server,
                "p-keep",
                "libs",
                List.of("app/**"),
                List.of("app/secret/**"),
                Map.of(USER, List.of("r")),
                Map.of());
        JsonNode saved = ok(admin.putJson("/api/permissions/p-keep", "{\"users\":{\"" + USER + "\":[\"r\",\"w\"]}}"))
                .json();
        assertThat(saved.get("includePatterns").toString()).isEqualTo("[\"app/**\"]");
        assertThat(saved.get("excludePatterns").toString()).isEqualTo("[\"app/secret/**\"]");
        assertThat(saved.get("repositories").toString()).isEqualTo("[\"libs\"]");
        assertThat(saved.get("users").get(USER).toString()).isEqualTo("[\"r\",\"w\"]");
        Http u = server.anonymous().basic(USER, PASSWORD);
        assertThat(u.put("/repository/libs/app/secret/x.txt", "x").status()).isEqualTo(403);
        assertThat(u.put("/repository/libs/other/x.txt", "x").status()).isEqualTo(403);
    }

    @Test
    void artifactorysRepositoryConfigurationIsAccepted() {
        String body = "{\"key\":\"art-local\",\"rclass\":\"local\",\"packageType\":\"generic\",\"description\":\"d\","
                + "\"notes\":\"internal\",\"includesPattern\":\"**/*\",\"excludesPattern\":\"\","
                + "\"repoLayoutRef\":\"simple-default\",\"handleReleases\":true,\"handleSnapshots\":true,"
                + "\"maxUniqueSnapshots\":0,\"suppressPomConsistencyChecks\":false,\"blackedOut\":false,"
                + "\"xrayIndex\":false,\"propertySets\":[\"artifactory\"],\"archiveBrowsingEnabled\":false,"
                + "\"checksumPolicyType\":\"client-checksums\",\"snapshotVersionBehavior\":\"unique\","
                + "\"environments\":[\"DEV\"],\"projectKey\":\"\",\"enableFileListsIndexing\":\"false\"}";
        Http.Response r = admin.putJson("/api/repositories/art-local", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("description").asText()).isEqualTo("d");
        assertThat(r.json().get("anonymousRead").asBoolean()).isFalse();
    }

    @Test
    void artifactorysCreateTokenFieldsAreAcceptedAsFormAndJson() {
        Http u = server.anonymous().basic(USER, PASSWORD);
        Http.Response form = Fixtures.postForm(
                u,
                "/access/api/v1/tokens",
                "grant_type=client_credentials&username=" + USER + "&scope=applied-permissions/user&expires_in=3600"
                        + "&refreshable=true&description=ci&audience=*%40*&include_reference_token=true"
                        + "&force_revocable=true&project_key=");
        assertThat(form.status()).as(form.toString()).isEqualTo(200);
        assertThat(form.json().has("refresh_token")).isTrue();

        Http.Response typed = Fixtures.postJson(
                u,
                "/access/api/v1/tokens",
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "username",
                        USER,
                        "scope",
                        "artifact:libs/app/**:r",
                        "expires_in",
                        3600,
                        "refreshable",
                        true,
                        "description",
                        "ci",
                        "audience",
                        "jfrt@*",
                        "include_reference_token",
                        false,
                        "force_revocable",
                        true));
        assertThat(typed.status()).as(typed.toString()).isEqualTo(200);
        assertThat(typed.json().get("expires_in").asLong()).isEqualTo(3600);

        // as JFrog's own examples send it: booleans as strings
        Http.Response texts = Fixtures.postJson(
                u,
                "/access/api/v1/tokens",
                Map.of(
                        "description",
                        "test",
                        "scope",
                        "applied-permissions/user",
                        "include_reference_token",
                        "true",
                        "refreshable",
                        "true"));
        assertThat(texts.status()).as(texts.toString()).isEqualTo(200);

        Http.Response refreshed = Fixtures.postJson(
                server.anonymous(),
                "/access/api/v1/tokens",
                Map.of(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        texts.json().get("refresh_token").asText(),
                        "audience",
                        "*@*"));
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
    }

    @Test
    void tuleapsTokenRequestIsAccepted() {
        Http.Response r =
                Fixtures.postJson(server.anonymous(), "/api/tokens", Map.of("username", USER, "password", PASSWORD));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().has("user_id") && r.json().has("token") && r.json().has("uri"))
                .isTrue();
    }
}
