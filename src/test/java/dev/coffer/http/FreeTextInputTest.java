package dev.coffer.http;

import static dev.coffer.testing.Fixtures.postForm;
import static dev.coffer.testing.Fixtures.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 18: descriptions are shown in listings, also in a terminal ({@code coffer token
 * list}), so control characters in them are refused at input with a 400 naming the field; and
 * neither a description nor an error message keeps a secret a client sent.
 */
class FreeTextInputTest {
    private static final List<String> CONTROLLED = List.of(
            "clear\u001b[2J",
            "two\nlines",
            "tab\there",
            "bell\u0007",
            "c1\u009b31m",
            "rtl\u202Efdp.exe",
            "del\u007f",
            "cr\rfake");

    private static TestServer server;
    private static Http alice;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        Fixtures.user(server, "alice", "alice-password");
        alice = server.anonymous().basic("alice", "alice-password");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertDescriptionRefused(Http.Response r, String what) {
        assertThat(r.status()).as("%s: %s", what, r).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("description_invalid");
        assertThat(r.json().path("error").path("message").asText()).startsWith("description:");
    }

    private static int keys() {
        return alice.get("/api/access-keys").json().size();
    }

    private static int tokens() {
        return alice.get("/access/api/v1/tokens").json().path("tokens").size();
    }

    @Test
    void controlCharactersInADescriptionAreRefusedForKeysAndTokens() {
        int keysBefore = keys();
        int tokensBefore = tokens();
        for (String d : CONTROLLED) {
            assertDescriptionRefused(postJson(alice, "/api/access-keys", Map.of("description", d)), "key " + d);
            assertDescriptionRefused(
                    postForm(
                            alice,
                            "/access/api/v1/tokens",
                            "description=" + URLEncoder.encode(d, StandardCharsets.UTF_8)),
                    "form token " + d);
            assertDescriptionRefused(
                    postJson(alice, "/access/api/v1/tokens", Map.of("description", d)), "json token " + d);
        }
        assertDescriptionRefused(postJson(alice, "/api/access-keys", Map.of("description", "x".repeat(1025))), "long");
        // nothing was created
        assertThat(keys()).isEqualTo(keysBefore);
        assertThat(tokens()).isEqualTo(tokensBefore);
        // ordinary text, accents and emoji included, is fine
        assertThat(postJson(alice, "/api/access-keys", Map.of("description", "déploiement nightly \uD83D\uDE80"))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void aDescriptionHoldingASecretIsRefused() {
        String key = postJson(alice, "/api/access-keys", Map.of("description", "first"))
                .json()
                .path("key")
                .asText();
        int before = keys();
        for (String d : List.of("rotated from " + key, "x_" + key, key.replace("_", "%5F"))) {
            Http.Response r = postJson(alice, "/api/access-keys", Map.of("description", d));
            assertDescriptionRefused(r, d);
            assertThat(r.body()).doesNotContain(key.substring(6));
            assertDescriptionRefused(
                    postForm(
                            alice,
                            "/access/api/v1/tokens",
                            "description=" + URLEncoder.encode(d, StandardCharsets.UTF_8)),
                    "token " + d);
        }
        assertThat(keys()).isEqualTo(before);
    }

    @Test
    void errorMessagesNeverQuoteASecret() {
        String secret = Secrets.generate(SecretKind.ACCESS_TOKEN);
        String body = secret.substring(6);
        Fixtures.repo(server, "libs", false);
        List<Http.Response> answers = List.of(
                server.admin().get("/api/storage/libs/" + secret),
                server.admin().get("/repository/libs/dir/" + secret.replace("_", "%5F") + "/f.txt"),
                postForm(server.admin(), "/access/api/v1/tokens", "username=" + secret),
                server.admin().delete("/api/access-keys/" + secret),
                server.admin().get("/api/access-keys?username=" + secret));
        for (Http.Response r : answers) {
            assertThat(r.status()).as(r.toString()).isBetween(400, 499);
            assertThat(r.body()).doesNotContain(body).contains("cofat_[redacted]");
        }
    }
}
