package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route that reads a body, walked with an unknown field, a value of the wrong type and
 * (where the body has one) an empty list: 400 naming the field (and the one probably meant), and
 * nothing changed, as a GET after each refusal shows.
 */
class StrictBodyTest {
    private static final String USER = "strict-user";
    private static final String PASSWORD = "strict-user-password";
    private static TestServer server;
    private static Http admin;
    private static Http user;

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
                Map.of(USER, List.of("r")),
                Map.of("devs", List.of("r")));
        user = server.anonymous().basic(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends the request: 400 with that code, naming each of {@code mentions}; what {@code state} shows is the same. */
    private static void refused(
            Supplier<String> state, Supplier<Http.Response> request, String code, String... mentions) {
        String before = state.get();
        Http.Response r = request.get();
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).as(r.toString()).isEqualTo(code);
        assertThat(r.json().path("error").path("message").asText())
                .as(r.toString())
                .contains(mentions);
        assertThat(state.get()).as("nothing changed after %s", r).isEqualTo(before);
    }

    private static Supplier<String> get(Http client, String path) {
        return () -> {
            Http.Response r = client.get(path);
            return r.status() + " " + r.body();
        };
    }

    private static Supplier<Http.Response> put(String path, String json) {
        return () -> admin.putJson(path, json);
    }

    @Test
    void aTypoInAnAccessRuleIsAnErrorNeverAWiderGrant() {
        // the case: a missing 's' used to grant 'r' on all of libs
        refused(
                get(admin, "/api/permissions/p2"),
                put(
                        "/api/permissions/p2",
                        "{\"repositories\":[\"libs\"],\"includePattern\":[\"app/**\"],\"users\":{\"" + USER
                                + "\":[\"r\"]}}"),
                "field_unknown",
                "'includePattern'",
                "did you mean 'includePatterns'?");
        refused(
                get(admin, "/api/repositories/libs"),
                put("/api/repositories/libs", "{\"anonymousread\":true}"),
                "field_unknown",
                "'anonymousread'",
                "did you mean 'anonymousRead'?");
        assertThat(server.anonymous().get("/repository/libs/").status()).isEqualTo(401);
    }

    @Test
    void repositories() {
        String path = "/api/repositories/libs";
        refused(
                get(admin, path),
                put(path, "{\"description\":\"d\",\"anonymousRaed\":true}"),
                "field_unknown",
                "'anonymousRaed'",
                "'anonymousRead'");
        refused(get(admin, path), put(path, "{\"anonymousRead\":\"true\"}"), "body_invalid", "'anonymousRead'");
        refused(get(admin, path), put(path, "{\"description\":[\"d\"]}"), "body_invalid", "'description'");
        refused(get(admin, path), put(path, "{\"handleSnapshots\":false}"), "field_unsupported", "'handleSnapshots'");
        refused(get(admin, path), put(path, "{\"key\":\"other\"}"), "name_mismatch", "'key'");
        refused(
                get(admin, "/api/repositories/fresh"),
                put("/api/repositories/fresh", "{\"descripton\":\"d\"}"),
                "field_unknown",
                "'descripton'",
                "did you mean 'description'?");
    }

    @Test
    void users() {
        String path = "/api/users/" + USER;
        refused(
                get(admin, path),
                put(path, "{\"emial\":\"e@example.org\"}"),
                "field_unknown",
                "'emial'",
                "did you mean 'email'?");
        refused(get(admin, path), put(path, "{\"admin\":\"true\"}"), "body_invalid", "'admin'");
        refused(get(admin, path), put(path, "{\"disabled\":1}"), "body_invalid", "'disabled'");
        refused(get(admin, path), put(path, "{\"groups\":[\"devs\",\"\"]}"), "body_invalid", "'groups[1]'");
        refused(get(admin, path), put(path, "{\"groups\":[\"devs\",7]}"), "body_invalid", "'groups[1]'");
        refused(
                get(admin, "/api/users/newbie"),
                put("/api/users/newbie", "{\"pasword\":\"long-enough-password\"}"),
                "field_unknown",
                "'pasword'",
                "did you mean 'password'?");
        assertThat(user.get("/api/me").status()).as("the password still works").isEqualTo(200);
    }

    @Test
    void groups() {
        String path = "/api/groups/devs";
        refused(get(admin, path), put(path, "{\"member\":[]}"), "field_unknown", "'member'", "did you mean 'members'?");
        refused(get(admin, path), put(path, "{\"members\":\"" + USER + "\"}"), "body_invalid", "'members'");
        refused(get(admin, path), put(path, "{\"members\":[\" \"]}"), "body_invalid", "'members[0]'");
        refused(get(admin, path), put(path, "{\"name\":\"ops\"}"), "name_mismatch", "'name'");
    }

    @Test
    void permissions() {
        String path = "/api/permissions/p1";
        refused(get(admin, path), put(path, "{\"user\":{}}"), "field_unknown", "'user'", "did you mean 'users'?");
        refused(
                get(admin, path),
                put(path, "{\"principals\":{\"users\":{}}}"),
                "field_unknown",
                "'principals'",
                "'users' and 'groups'");
        refused(get(admin, path), put(path, "{\"includePatterns\":\"**\"}"), "body_invalid", "'includePatterns'");
        refused(get(admin, path), put(path, "{\"repositories\":[]}"), "permission_invalid", "'repositories'");
        refused(get(admin, path), put(path, "{\"includePatterns\":[]}"), "permission_invalid", "'includePatterns'");
        refused(
                get(admin, path),
                put(path, "{\"includePatterns\":[\"a/**\",\"b/**\",\"\"]}"),
                "permission_invalid",
                "'includePatterns[2]'");
        refused(
                get(admin, path),
                put(path, "{\"excludePatterns\":[\"a/../b\"]}"),
                "permission_invalid",
                "'excludePatterns[0]'");
        refused(
                get(admin, path),
                put(path, "{\"includePatterns\":[\"a/**\",\"b/**\",3]}"),
                "body_invalid",
                "'includePatterns[2]'");
        refused(
                get(admin, path),
                put(path, "{\"repositories\":[\"libs\",\"\"]}"),
                "permission_invalid",
                "'repositories[1]'");
        refused(
                get(admin, path),
                put(path, "{\"users\":{\"" + USER + "\":[\"r\",\"w\",\"q\"]}}"),
                "permission_invalid",
                "'users." + USER + "[2]'");
        refused(get(admin, path), put(path, "{\"groups\":{\"devs\":\"r\"}}"), "body_invalid", "'groups.devs'");
        refused(
                get(admin, "/api/permissions/p3"),
                put("/api/permissions/p3", "{\"users\":{}}"),
                "permission_invalid",
                "'repositories'");
    }

    @Test
    void passwordChange() {
        Supplier<String> logins = () -> user.get("/api/me").status() + " "
                + server.anonymous()
                        .basic(USER, "brand-new-password")
                        .get("/api/me")
                        .status();
        refused(
                logins,
                () -> user.putJson(
                        "/api/me/password",
                        "{\"currentPassword\":\"" + PASSWORD + "\",\"newpassword\":\"brand-new-password\"}"),
                "field_unknown",
                "'newpassword'",
                "'newPassword'");
        refused(
                logins,
                () -> user.putJson(
                        "/api/me/password",
                        "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":[\"brand-new-password\"]}"),
                "body_invalid",
                "'newPassword'");
    }

    /** Logins leave an audit event: none for a refused one. */
    private static Supplier<String> logins() {
        return () -> String.valueOf(
                admin
                        .get("/api/audit?username=" + USER + "&limit=1000")
                        .json()
                        .path("events")
                        .findValues("action")
                        .stream()
                        .filter(a -> a.asText().equals("login"))
                        .count());
    }

    @Test
    void sessionLogin() {
        Http anon = server.anonymous().header("Content-Type", "application/json");
        long before = Long.parseLong(logins().get());
        refused(
                logins(),
                () -> anon.post(
                        "/api/tokens",
                        "{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\",\"remember\":true}"),
                "field_unknown",
                "'remember'");
        refused(
                logins(),
                () -> anon.post("/api/tokens", "{\"username\":\"" + USER + "\",\"password\":12345678}"),
                "body_invalid",
                "'password'");
        Http.Response ok =
                anon.post("/api/tokens", "{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(Long.parseLong(logins().get())).as("a login is audited").isEqualTo(before + 1);
    }

    @Test
    void accessKeys() {
        Http json = user.header("Content-Type", "application/json");
        refused(
                get(user, "/api/access-keys"),
                () -> json.post("/api/access-keys", "{\"description\":\"d\",\"expires\":\"2030-01-01T00:00:00Z\"}"),
                "field_unknown",
                "'expires'",
                "did you mean 'expiresAt'?");
        refused(
                get(user, "/api/access-keys"),
                () -> json.post("/api/access-keys", "{\"description\":5}"),
                "body_invalid",
                "'description'");
    }

    @Test
    void accessTokens() {
        Supplier<String> tokens = get(user, "/access/api/v1/tokens");
        Http form = user.header("Content-Type", "application/x-www-form-urlencoded");
        Http json = user.header("Content-Type", "application/json");
        refused(
                tokens,
                () -> form.post("/access/api/v1/tokens", "scope=applied-permissions/user&expires=60"),
                "field_unknown",
                "'expires'",
                "did you mean 'expires_in'?");
        refused(
                tokens,
                () -> form.post("/access/api/v1/tokens?expiresIn=60", ""),
                "field_unknown",
                "'expiresIn'",
                "did you mean 'expires_in'?");
        refused(
                tokens,
                () -> json.post("/access/api/v1/tokens", "{\"scope\":[\"applied-permissions/user\"]}"),
                "body_invalid",
                "'scope'");
        refused(
                tokens,
                () -> json.post("/access/api/v1/tokens", "{\"refreshable\":{}}"),
                "body_invalid",
                "'refreshable'");
        refused(
                tokens,
                () -> json.post("/access/api/v1/tokens", "{\"expires_in\":1.5}"),
                "body_invalid",
                "'expires_in'");
        refused(
                tokens,
                () -> json.post("/access/api/v1/tokens", "{\"project_key\":\"acme\"}"),
                "field_unsupported",
                "'project_key'");
        // curl -d '{...}' without a JSON content type: its scope used to be lost, giving a token of all the rights
        refused(
                tokens,
                () -> form.post("/access/api/v1/tokens", "{\"scope\":\"artifact:libs/app/**:r\"}"),
                "body_invalid",
                "Content-Type: application/json");
        // a part without '=' is not repeated: it may be a pasted password
        Http.Response bare = form.post("/access/api/v1/tokens", "scope=applied-permissions/user&hunter2-secret");
        assertThat(bare.status()).isEqualTo(400);
        assertThat(bare.body()).contains("part 2").doesNotContain("hunter2");
    }

    @Test
    void refreshGrant() {
        Http.Response issued = Fixtures.postForm(user, "/access/api/v1/tokens", "refreshable=true");
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        String refresh = issued.json().get("refresh_token").asText();
        Http anon = server.anonymous().header("Content-Type", "application/x-www-form-urlencoded");
        Supplier<String> tokens = get(user, "/access/api/v1/tokens");
        refused(
                tokens,
                () -> anon.post(
                        "/access/api/v1/tokens", "grant_type=refresh_token&refresh_token=" + refresh + "&refresh=1"),
                "field_unknown",
                "'refresh'");
        refused(
                tokens,
                () -> anon.post(
                        "/access/api/v1/tokens",
                        "grant_type=refresh_token&refresh_token=" + refresh + "&scope=artifact:libs/app/**:r"),
                "field_unsupported",
                "'scope'");
        refused(
                tokens,
                () -> anon.header("Content-Type", "application/json")
                        .post(
                                "/access/api/v1/tokens",
                                "{\"grant_type\":\"refresh_token\",\"refresh_token\":[\"" + refresh + "\"]}"),
                "body_invalid",
                "'refresh_token'");
        // the refresh token was not used up by the refusals
        Http.Response ok = anon.post("/access/api/v1/tokens", "grant_type=refresh_token&refresh_token=" + refresh);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    }
}
