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
 * Issue 15, finding 19: every password change leaves an audit event (API.md §6), and no event
 * holds a password, old or new.
 */
class PasswordChangeAuditTest {
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

    /** The whole audit trail as the API returns it, and its events about {@code users/<name>}. */
    private static List<JsonNode> eventsOn(String body, String user) {
        List<JsonNode> out = new ArrayList<>();
        try {
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body)
                    .path("events")
                    .forEach(e -> {
                        if (("users/" + user).equals(e.path("path").asText(null))
                                || user.equals(e.path("username").asText())) {
                            out.add(e);
                        }
                    });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String trail() {
        Http.Response r = admin.get("/api/audit?limit=1000");
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aUserChangingTheirOwnPasswordIsAuditedWithoutIt() {
        String user = Fixtures.unique("pwuser");
        String old = "Old-pass-" + user + "-x1";
        String next = "New-pass-" + user + "-y2";
        Fixtures.user(server, user, old);

        Http.Response r = server.anonymous()
                .basic(user, old)
                .putJson("/api/me/password", Fixtures.json(Map.of("currentPassword", old, "newPassword", next)));
        assertThat(r.status()).as(r.toString()).isEqualTo(204);

        String body = trail();
        List<JsonNode> changes = eventsOn(body, user).stream()
                .filter(e -> e.path("action").asText().equals("user.password.change"))
                .toList();
        assertThat(changes).as(body).hasSize(1);
        JsonNode e = changes.get(0);
        assertThat(e.path("username").asText()).isEqualTo(user);
        assertThat(e.path("authenticatedBy").asText()).isEqualTo("password");
        assertThat(e.path("path").asText()).isEqualTo("users/" + user);
        assertThat(e.path("outcome").asText()).isEqualTo("success");
        assertThat(e.path("status").asInt()).isEqualTo(204);
        assertThat(e.path("change").isNull()).isTrue();
        assertThat(body).doesNotContain(old).doesNotContain(next);
    }

    @Test
    void aWrongCurrentPasswordIsAuditedAsDeniedWithoutEitherPassword() {
        String user = Fixtures.unique("pwwrong");
        String real = "Real-pass-" + user;
        String guess = "Guess-pass-" + user;
        String next = "Next-pass-" + user;
        Fixtures.user(server, user, real);

        Http.Response r = server.anonymous()
                .basic(user, real)
                .putJson("/api/me/password", Fixtures.json(Map.of("currentPassword", guess, "newPassword", next)));
        assertThat(r.status()).isEqualTo(403);

        String body = trail();
        assertThat(eventsOn(body, user))
                .anyMatch(e -> e.path("outcome").asText().equals("denied")
                        && e.path("action").asText().contains("/api/me/password"));
        assertThat(eventsOn(body, user))
                .noneMatch(e -> e.path("action").asText().equals("user.password.change"));
        assertThat(body).doesNotContain(real).doesNotContain(guess).doesNotContain(next);
    }

    @Test
    void anAdministratorSettingAPasswordIsAuditedWithoutIt() {
        String user = Fixtures.unique("pwadmin");
        String first = "First-pass-" + user;
        String second = "Second-pass-" + user;
        Fixtures.user(server, user, first);

        Http.Response r = admin.putJson("/api/users/" + user, Fixtures.json(Map.of("password", second)));
        assertThat(r.status()).isEqualTo(200);

        String body = trail();
        assertThat(eventsOn(body, user))
                .anyMatch(e -> e.path("action").asText().equals("user.update")
                        && e.path("username").asText().equals("admin")
                        && e.path("outcome").asText().equals("success"));
        assertThat(body).doesNotContain(first).doesNotContain(second);
    }
}
