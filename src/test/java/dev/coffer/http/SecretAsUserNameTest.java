package dev.coffer.http;

import static dev.coffer.http.CredentialRulesTest.CHALLENGE;
import static dev.coffer.testing.Fixtures.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, items 3 and 4. A key or token sent as the Basic user name with a password
 * ({@code curl -u "$KEY:x"}) was taken for a password login: counted by the lockout, so the secret
 * sat in login_failures (and the WAL) for twice the lockout window. And a session token in the
 * path of {@code DELETE /api/tokens/{token}}, percent-encoded, reached access.log unmasked.
 */
class SecretAsUserNameTest {
    @TempDir
    Path data;

    /**
     * On a server where a single counted failure locks password login from this address, a
     * secret-shaped user name is refused (401 with what to do instead) and nothing is counted.
     */
    @Test
    void aSecretAsTheBasicUserNameIsRefusedNeverCounted() {
        try (TestServer s = TestServer.start(Map.of("lockout", "1", "lockout.address", "1"))) {
            Fixtures.user(s, "alice", "alice-password");
            Http alice = s.anonymous().basic("alice", "alice-password");
            String key = postJson(alice, "/api/access-keys", Map.of("description", "ci"))
                    .json()
                    .path("key")
                    .asText();
            JsonNode token = Fixtures.postForm(alice, "/access/api/v1/tokens", "expires_in=600")
                    .json();
            String accessToken = token.path("access_token").asText();

            for (String user : new String[] {key, accessToken, "x_" + key, key.replace("_", "%5F"), "cofst_abc"}) {
                Http.Response r = s.anonymous().basic(user, "x").get("/api/me");
                assertThat(r.status()).as(user).isEqualTo(401);
                assertThat(r.errorCode()).isEqualTo("credentials_invalid");
                assertThat(r.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
                assertThat(r.json().path("error").path("message").asText())
                        .contains("empty password")
                        .contains("as the password with its owner's user name");
                assertThat(r.body()).doesNotContain(user).doesNotContain(key.substring(6));
                // the same on the fast download path
                assertThat(s.anonymous()
                                .basic(user, "x")
                                .get("/repository/none/a.txt")
                                .status())
                        .isEqualTo(401);
            }
            // what API.md section 4 allows still works: the secret alone with an empty password
            assertThat(s.anonymous()
                            .basic(key, "")
                            .get("/api/me")
                            .json()
                            .path("authenticatedBy")
                            .asText())
                    .isEqualTo("access-key");
            assertThat(s.anonymous()
                            .basic(accessToken, "")
                            .get("/api/me")
                            .json()
                            .path("authenticatedBy")
                            .asText())
                    .isEqualTo("access-token");
            // POST /api/tokens with a secret as the user name, and a Basic header with an empty password
            Http.Response login = postJson(s.anonymous(), "/api/tokens", Map.of("username", key, "password", "x"));
            assertThat(login.status()).isEqualTo(401);
            assertThat(login.body()).doesNotContain(key.substring(6));
            assertThat(s.anonymous().basic("alice", "").get("/api/me").status()).isEqualTo(401);

            // none of that was counted: one counted failure would have locked this address
            assertThat(alice.get("/api/me").status()).isEqualTo(200);
            // and counting is live here: a wrong password locks at once
            assertThat(s.anonymous().basic("alice", "wrong").get("/api/me").status())
                    .isEqualTo(401);
            assertThat(alice.get("/api/me").status()).isEqualTo(429);
        }
    }

    @Test
    void noUserMayBeNamedLikeASecret() {
        try (TestServer s = TestServer.start()) {
            for (String name : new String[] {"cofak_deploy", "ci_cofat_x", "cofrt_", "cofst_1"}) {
                Http.Response r = s.admin().putJson("/api/users/" + name, "{\"password\":\"some-password\"}");
                assertThat(r.status()).as(name).isEqualTo(400);
                assertThat(r.errorCode()).isEqualTo("name_invalid");
                assertThat(r.json().path("error").path("message").asText()).startsWith("username:");
                assertThat(s.admin().get("/api/users/" + name).status()).isEqualTo(404);
            }
            // near misses are ordinary names
            for (String name : new String[] {"cofak", "coffee_ak", "cof-ak_x"}) {
                assertThat(s.admin()
                                .putJson("/api/users/" + name, "{\"password\":\"some-password\"}")
                                .status())
                        .as(name)
                        .isEqualTo(201);
            }
        }
    }

    /** Issue 15 item 4: the encoded token escaped the redaction, which matched only the literal prefix. */
    @Test
    void anEncodedSessionTokenInThePathIsMaskedInTheAccessLog() throws Exception {
        String session;
        try (TestServer s = TestServer.start(data, Map.of("access.log", "logs/access.log"), false)) {
            Fixtures.user(s, "alice", "alice-password");
            JsonNode login = postJson(
                            s.anonymous(), "/api/tokens", Map.of("username", "alice", "password", "alice-password"))
                    .json();
            session = login.path("token").asText();
            Http sess = s.anonymous()
                    .header("X-Auth-Token", session)
                    .header("X-Auth-UserId", login.path("user_id").asText());
            assertThat(sess.get("/api/me").status()).isEqualTo(200);
            assertThat(s.admin()
                            .get("/api/storage/x/" + session.replace("_", "%255F"))
                            .status())
                    .isBetween(400, 404);
            assertThat(sess.delete("/api/tokens/" + session.replace("_", "%5F")).status())
                    .isEqualTo(204);
        } // stopped: the access log is complete
        String log = Files.readString(data.resolve("logs/access.log"), StandardCharsets.UTF_8);
        assertThat(log)
                .contains("\"path\":\"/api/tokens/cofst_[redacted]\"")
                .contains("\"path\":\"/api/storage/x/cofst_[redacted]\"")
                .doesNotContain(session.substring(6));
    }
}
