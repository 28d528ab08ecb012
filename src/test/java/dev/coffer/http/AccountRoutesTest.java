package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PUT /api/me/password: self-service password change. */
class AccountRoutesTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http session(String user, String password) {
        JsonNode j = Fixtures.session(server, user, password);
        return server.anonymous()
                .header("X-Auth-Token", j.get("token").asText())
                .header("X-Auth-UserId", j.get("user_id").asText());
    }

    private static Http.Response change(Http who, String current, String next) {
        return who.putJson("/api/me/password", Fixtures.json(Map.of("currentPassword", current, "newPassword", next)));
    }

    @Test
    void changesThePasswordAndEndsSessionsButNotKeys() {
        String user = Fixtures.unique("pw");
        Fixtures.user(server, user, "old-password");
        Http s1 = session(user, "old-password");
        Http s2 = session(user, "old-password");
        Http.Response key = s1.header("Content-Type", "application/json").post("/api/access-keys", "{}");
        assertThat(key.status()).isEqualTo(201);
        Http withKey = server.anonymous()
                .header("X-Auth-AccessKey", key.json().get("key").asText());

        Http.Response r = change(s1, "old-password", "new-password");
        assertThat(r.status()).as(r.toString()).isEqualTo(204);

        assertThat(s1.get("/api/access-keys").status()).isEqualTo(401);
        assertThat(s2.get("/api/access-keys").status()).isEqualTo(401);
        assertThat(server.anonymous().basic(user, "old-password").get("/api/me").status())
                .isEqualTo(401);
        assertThat(server.anonymous()
                        .basic(user, "new-password")
                        .get("/api/me")
                        .json()
                        .get("username")
                        .asText())
                .isEqualTo(user);
        assertThat(withKey.get("/api/me").status()).isEqualTo(200);
    }

    @Test
    void aWrongCurrentPasswordIs403AndChangesNothing() {
        String user = Fixtures.unique("pw");
        Fixtures.user(server, user, "right-password");
        Http s = session(user, "right-password");
        Http.Response r = change(s, "wrong-password", "new-password");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("password_wrong");
        assertThat(s.get("/api/access-keys").status())
                .as("the session still works")
                .isEqualTo(200);
        assertThat(server.anonymous()
                        .basic(user, "right-password")
                        .get("/api/me")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void needsAFullCredentialAndAValidBody() {
        assertThat(change(server.anonymous(), "a", "b").status()).isEqualTo(401);
        String user = Fixtures.unique("pw");
        Fixtures.user(server, user, "pass-one-1");
        Http basic = server.anonymous().basic(user, "pass-one-1");
        Http.Response bad = basic.putJson("/api/me/password", "{\"newPassword\":\"x\"}");
        assertThat(bad.status()).isEqualTo(400);
        Http.Response empty = change(basic, "pass-one-1", "");
        assertThat(empty.status()).isEqualTo(400);

        Fixtures.repo(server, Fixtures.unique("pwrepo"), false);
        Http.Response token = basic.header("Content-Type", "application/json")
                .post("/access/api/v1/tokens", Fixtures.json(Map.of("scope", "artifact:anything/**:r")));
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        Http narrowed =
                server.anonymous().bearer(token.json().get("access_token").asText());
        Http.Response denied = change(narrowed, "pass-one-1", "pass-two-2");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(basic.get("/api/me").status()).as("password unchanged").isEqualTo(200);
    }
}
