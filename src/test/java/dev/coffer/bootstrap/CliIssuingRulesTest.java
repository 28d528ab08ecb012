package dev.coffer.bootstrap;

import static dev.coffer.testing.Fixtures.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Http;
import dev.coffer.testing.InProcessCli;
import dev.coffer.testing.InProcessCli.Run;
import dev.coffer.testing.TestServer;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 (finding 21): {@code coffer token create} follows the rule the HTTP API follows for an
 * administrator (IssuingRules): no token for a disabled user, at most 100 years. Issue 16: both
 * hand the same request to token/CredentialIssuer, so they give the same answer, word for word.
 */
class CliIssuingRulesTest {
    @TempDir
    Path data;

    private Run coffer(String... args) {
        return InProcessCli.run(data, args);
    }

    @Test
    void theCommandLineAndHttpRefuseTheSameThings() {
        assertThat(coffer("user", "add", "admin", "--password", TestServer.ADMIN_PASSWORD, "--admin")
                        .code())
                .isZero();
        assertThat(coffer("user", "add", "dave", "--password", "dave-password").code())
                .isZero();
        try (TestServer s = TestServer.start(data, Map.of(), false)) {
            assertThat(s.admin()
                            .putJson("/api/users/dave", "{\"disabled\":true}")
                            .status())
                    .isEqualTo(200);
            assertThat(s.admin()
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .post("/access/api/v1/tokens", "username=dave")
                            .status())
                    .isEqualTo(400);
        }
        Run disabled = coffer("token", "create", "--user", "dave");
        assertThat(disabled.code()).isEqualTo(2);
        assertThat(disabled.err()).contains("'dave' is disabled");
        assertThat(disabled.out()).isEmpty();

        Run tooLong = coffer("token", "create", "--user", "admin", "--expires-in", "3153600001");
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.out()).isEmpty();
        Run hundredYears = coffer("token", "create", "--user", "admin", "--expires-in", "3153600000");
        assertThat(hundredYears.code()).as(hundredYears.err()).isZero();
        Run never = coffer("token", "create", "--user", "admin", "--expires-in", "0");
        assertThat(never.code()).as(never.err()).isZero();
        assertThat(never.err()).contains("never expires");
    }

    /** One request, as `coffer token create` options and as the form of POST /access/api/v1/tokens. */
    private record Ask(String user, String scope, String expiresIn, String description, boolean refreshable) {
        static Ask of(String user) {
            return new Ask(user, null, null, null, false);
        }

        Ask scope(String s) {
            return new Ask(user, s, expiresIn, description, refreshable);
        }

        Ask expiresIn(String e) {
            return new Ask(user, scope, e, description, refreshable);
        }

        Ask description(String d) {
            return new Ask(user, scope, expiresIn, d, refreshable);
        }

        Ask withRefresh() {
            return new Ask(user, scope, expiresIn, description, true);
        }

        String[] cli() {
            List<String> a = new ArrayList<>(List.of("token", "create", "--user", user));
            if (scope != null) {
                a.addAll(List.of("--scope", scope));
            }
            if (expiresIn != null) {
                a.addAll(List.of("--expires-in", expiresIn));
            }
            if (description != null) {
                a.addAll(List.of("--description", description));
            }
            if (refreshable) {
                a.add("--refreshable");
            }
            return a.toArray(String[]::new);
        }

        String form() {
            StringBuilder f = new StringBuilder("username=" + enc(user));
            if (scope != null) {
                f.append("&scope=").append(enc(scope));
            }
            if (expiresIn != null) {
                f.append("&expires_in=").append(enc(expiresIn));
            }
            if (description != null) {
                f.append("&description=").append(enc(description));
            }
            if (refreshable) {
                f.append("&refreshable=true");
            }
            return f.toString();
        }
    }

    @Test
    void theSameRequestGetsTheSameAnswerOverHttpAndFromTheCommandLine() {
        assertThat(coffer("user", "add", "admin", "--password", TestServer.ADMIN_PASSWORD, "--admin")
                        .code())
                .isZero();
        assertThat(coffer("user", "add", "alice", "--password", "alice-password")
                        .code())
                .isZero();
        assertThat(coffer("user", "add", "carol", "--password", "carol-password")
                        .code())
                .isZero();
        List<Ask> asks = List.of(
                Ask.of("alice"),
                Ask.of("alice")
                        .scope("applied-permissions/groups:ops artifact:libs/**:r,w")
                        .expiresIn("600")
                        .description("ci job")
                        .withRefresh(),
                Ask.of("alice").scope("applied-permissions/admin"),
                Ask.of("admin").scope("applied-permissions/admin").expiresIn("0"),
                Ask.of("alice").expiresIn("3153600000"),
                Ask.of("alice").expiresIn("3153600001"),
                Ask.of("alice").expiresIn("-1"),
                Ask.of("carol"),
                Ask.of("nobody"),
                Ask.of("x".repeat(256)),
                Ask.of("alice").scope("bogus"),
                Ask.of("alice").scope(""),
                Ask.of("alice").scope("applied-permissions/user artifact:libs:q"),
                Ask.of("alice").description("bell\u0007"),
                Ask.of("alice").description("mine: " + Secrets.generate(SecretKind.ACCESS_TOKEN)),
                Ask.of("alice").description("d".repeat(1025)));
        try (TestServer s = TestServer.start(data, Map.of(), false)) {
            assertThat(s.admin()
                            .putJson("/api/groups/ops", "{\"description\":\"g\"}")
                            .status())
                    .isIn(200, 201);
            assertThat(s.admin()
                            .putJson("/api/users/carol", "{\"disabled\":true}")
                            .status())
                    .isEqualTo(200);
            for (Ask ask : asks) {
                int before = tokens(s).size();
                Http.Response http = s.admin()
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .post("/access/api/v1/tokens", ask.form());
                Run cli = coffer(ask.cli());
                String what = ask + ": HTTP " + http + ", CLI " + cli;
                if (http.status() == 200) {
                    assertThat(cli.code()).as(what).isZero();
                    JsonNode byHttp = token(s, http.json().get("token_id").asText());
                    Matcher id = Pattern.compile("created access token (\\S+) ").matcher(cli.err());
                    assertThat(id.find()).as(what).isTrue();
                    JsonNode byCli = token(s, id.group(1));
                    for (String field : List.of("subject", "scope", "refreshable", "description")) {
                        assertThat(byCli.get(field)).as("%s: %s", field, what).isEqualTo(byHttp.get(field));
                    }
                    assertThat(lifetime(byCli)).as(what).isEqualTo(lifetime(byHttp));
                    assertThat(cli.out().lines().count()).as(what).isEqualTo(ask.refreshable() ? 2 : 1);
                } else {
                    assertThat(http.status()).as(what).isIn(400, 403);
                    assertThat(cli.code()).as(what).isEqualTo(2);
                    assertThat(cli.out()).as(what).isEmpty();
                    assertThat(cli.err())
                            .as(what)
                            .isEqualTo("coffer: "
                                    + http.json().path("error").path("message").asText() + "\n");
                    assertThat(tokens(s)).as("nothing stored: " + what).hasSize(before);
                }
            }
        }
    }

    private static JsonNode tokens(TestServer s) {
        return s.admin().get("/access/api/v1/tokens").json().get("tokens");
    }

    private static JsonNode token(TestServer s, String id) {
        for (JsonNode t : tokens(s)) {
            if (t.get("token_id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no token " + id);
    }

    /** Seconds from issue to expiry, or -1 for never. */
    private static long lifetime(JsonNode t) {
        return t.get("expiry").isNull()
                ? -1
                : t.get("expiry").asLong() - t.get("issued_at").asLong();
    }
}
