package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password is at least password.min-length (default 8) characters and not the user name, at
 * every place the API sets one; a password set before under a weaker rule keeps working.
 */
class PasswordPolicyTest {
    @TempDir
    Path data;

    private static void refused(Http.Response r, String... mentions) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("password_invalid");
        assertThat(r.json().path("error").path("message").asText()).contains(mentions);
    }

    @Test
    void theApiRefusesShortPasswordsAndTheUserNameAtEveryPlaceAPasswordIsSet() {
        try (TestServer server = TestServer.start()) {
            Http admin = server.admin();
            // create: nothing is created
            refused(admin.putJson("/api/users/bob", "{\"password\":\"x\"}"), "at least 8 characters");
            refused(admin.putJson("/api/users/bob", "{\"password\":\"1234567\"}"), "at least 8 characters");
            refused(
                    admin.putJson("/api/users/robert-the-bruce", "{\"password\":\"Robert-The-Bruce\"}"),
                    "not be the user name");
            assertThat(admin.get("/api/users/bob").status()).isEqualTo(404);
            assertThat(admin.get("/api/users/robert-the-bruce").status()).isEqualTo(404);
            // eight characters, counted as characters (not UTF-16 units or bytes)
            assertThat(admin.putJson("/api/users/bob", "{\"password\":\"12345678\"}")
                            .status())
                    .isEqualTo(201);
            refused(
                    admin.putJson(
                            "/api/users/carol",
                            "{\"password\":\"\uD83D\uDD12\uD83D\uDD12\uD83D\uDD12\uD83D\uDD12" + "abc\"}"),
                    "at least 8 characters");

            // update by an administrator: the old password keeps working
            refused(
                    admin.putJson("/api/users/bob", "{\"password\":\"short\",\"email\":\"b@example.org\"}"),
                    "at least 8 characters");
            refused(admin.putJson("/api/users/bob", "{\"password\":\"BOB\"}"), "at least 8 characters");
            Http bob = server.anonymous().basic("bob", "12345678");
            assertThat(bob.get("/api/me").status()).isEqualTo(200);
            assertThat(admin.get("/api/users/bob").json().get("email").isNull())
                    .as("nothing changed")
                    .isTrue();

            // the user's own change: refused before the current password is even checked
            refused(
                    bob.putJson("/api/me/password", "{\"currentPassword\":\"12345678\",\"newPassword\":\"1234\"}"),
                    "at least 8 characters");
            refused(
                    bob.putJson("/api/me/password", "{\"currentPassword\":\"wrong-one\",\"newPassword\":\"1234\"}"),
                    "at least 8 characters");
            assertThat(bob.get("/api/me").status()).isEqualTo(200);
            assertThat(bob.putJson(
                                    "/api/me/password",
                                    "{\"currentPassword\":\"12345678\",\"newPassword\":" + "\"a-longer-one\"}")
                            .status())
                    .isEqualTo(204);
            assertThat(server.anonymous()
                            .basic("bob", "a-longer-one")
                            .get("/api/me")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aPasswordSetUnderAWeakerRuleKeepsWorking() {
        Map<String, String> opts = new HashMap<>(Map.of("password.min-length", "3"));
        if (System.getProperty(TestServer.BACKENDS_PROPERTY, "").equals("postgres-s3")) {
            TestServer.onPostgresAndS3(opts); // both starts on the same database
        }
        try (TestServer weak = TestServer.start(data, opts, false)) {
            refused(weak.admin().putJson("/api/users/old", "{\"password\":\"ab\"}"), "at least 3 characters");
            assertThat(weak.admin()
                            .putJson("/api/users/old", "{\"password\":\"abc\"}")
                            .status())
                    .isEqualTo(201);
        }
        opts.remove("password.min-length");
        try (TestServer strict = TestServer.start(data, opts, false)) {
            Http old = strict.anonymous().basic("old", "abc");
            assertThat(old.get("/api/me").status()).isEqualTo(200);
            // fields other than the password change as before
            assertThat(strict.admin()
                            .putJson("/api/users/old", "{\"email\":\"old@example.org\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(old.get("/api/me").status()).isEqualTo(200);
            // setting it (again) follows today's rule
            refused(strict.admin().putJson("/api/users/old", "{\"password\":\"abc\"}"), "at least 8 characters");
        }
    }
}
