package dev.coffer.http;

import static dev.coffer.http.NpmAccountRoutesTest.NPM;
import static dev.coffer.http.NpmAccountRoutesTest.PASSWORD;
import static dev.coffer.http.NpmAccountRoutesTest.npmError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API.md §10: npm token list|create|revoke on /-/npm/v1/tokens, backed by the caller's own access keys. */
class NpmTokenRoutesTest {
    private static final String TOKENS = NPM + "/npm/v1/tokens";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http as(String user) {
        return server.anonymous().basic(user, PASSWORD);
    }

    private static int keyCount(String user) {
        return as(user).get("/api/access-keys").json().size();
    }

    @Test
    void listShowsTheCallersKeysInNpmsShapeWithoutSecrets() {
        String alice = NpmAccountRoutesTest.user(server, "tok-alice");
        String bob = NpmAccountRoutesTest.user(server, "tok-bob");
        JsonNode key = Fixtures.key(as(alice), Map.of("description", "ci"));
        Fixtures.key(as(bob), Map.of("description", "bob's"));
        Http.Response r = server.anonymous().bearer(key.path("key").asText()).get(TOKENS);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode list = r.json();
        assertThat(list.path("total").asInt()).isEqualTo(1);
        assertThat(list.path("urls").path("next").isNull()).isTrue();
        JsonNode t = list.path("objects").get(0);
        assertThat(t.path("key").asText()).isEqualTo(key.path("id").asText());
        assertThat(t.path("token").asText()).isEqualTo("cofak_");
        assertThat(t.path("name").asText()).isEqualTo("ci");
        assertThat(t.path("readonly").asBoolean()).isFalse();
        assertThat(t.has("created")).isTrue();
        assertThat(t.has("cidr_whitelist")).isTrue();
        assertThat(r.body()).doesNotContain(key.path("key").asText());
    }

    @Test
    void createChecksThePasswordAgainAndReturnsAWorkingKey() {
        String carol = NpmAccountRoutesTest.user(server, "tok-carol");
        Http.Response r = Fixtures.postJson(as(carol), TOKENS, Map.of("password", PASSWORD));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String token = r.json().path("token").asText();
        assertThat(token).startsWith("cofak_");
        assertThat(r.json().path("readonly").asBoolean()).isFalse();
        Http.Response who = server.anonymous().bearer(token).get(NPM + "/whoami");
        assertThat(who.json().path("username").asText()).isEqualTo(carol);
        assertThat(as(carol)
                        .get("/api/access-keys")
                        .json()
                        .get(0)
                        .path("description")
                        .asText())
                .isEqualTo("npm token");
        NpmAccountRoutesTest.audit(server, carol, "access-key.create");
        // with npm 11's name, description and expiry in days
        Http.Response named = Fixtures.postJson(
                server.anonymous().bearer(token),
                TOKENS,
                Map.of("password", PASSWORD, "name", "deploy", "expires", 30, "bypass_2fa", true));
        assertThat(named.status()).as(named.toString()).isEqualTo(201);
        assertThat(named.json().path("name").asText()).isEqualTo("deploy");
        assertThat(named.json().path("expires").isTextual()).isTrue();
    }

    @Test
    void aWrongPasswordIs401AndCreatesNothing() {
        String dave = NpmAccountRoutesTest.user(server, "tok-dave");
        Http.Response r = Fixtures.postJson(as(dave), TOKENS, Map.of("password", "not-it"));
        npmError(r, 401, "password_wrong");
        assertThat(keyCount(dave)).isZero();
        NpmAccountRoutesTest.audit(server, dave, "login");
    }

    /** Coffer keys carry all of the owner's rights: what would narrow one is refused, never ignored. */
    @Test
    void readOnlyAndAddressLimitedKeysAreRefusedRatherThanGrantingWrite() {
        String erin = NpmAccountRoutesTest.user(server, "tok-erin");
        Http.Response ro = Fixtures.postJson(as(erin), TOKENS, Map.of("password", PASSWORD, "readonly", true));
        npmError(ro, 400, "field_unsupported");
        assertThat(ro.json().path("error").asText()).contains("readonly").contains("cannot be read-only");
        npmError(
                Fixtures.postJson(
                        as(erin),
                        TOKENS,
                        Map.of("password", PASSWORD, "cidr_whitelist", java.util.List.of("10.0.0.0/8"))),
                400,
                "field_unsupported");
        npmError(
                Fixtures.postJson(
                        as(erin), TOKENS, Map.of("password", PASSWORD, "packages", java.util.List.of("@acme/web"))),
                400,
                "field_unsupported");
        npmError(Fixtures.postJson(as(erin), TOKENS, Map.of()), 400, "body_invalid");
        assertThat(keyCount(erin)).isZero();
        // what asks for nothing narrower is fine (npm-profile sends readonly false and an empty list)
        Http.Response plain = Fixtures.postJson(
                as(erin),
                TOKENS,
                Map.of("password", PASSWORD, "readonly", false, "cidr_whitelist", java.util.List.of()));
        assertThat(plain.status()).as(plain.toString()).isEqualTo(201);
    }

    @Test
    void revokeByKeyOrBySecretOnlyForTheCallersOwnKeys() {
        String gina = NpmAccountRoutesTest.user(server, "tok-gina");
        String hank = NpmAccountRoutesTest.user(server, "tok-hank");
        JsonNode g1 = Fixtures.key(as(gina), Map.of());
        JsonNode g2 = Fixtures.key(as(gina), Map.of());
        JsonNode h1 = Fixtures.key(as(hank), Map.of());
        Http asGina = server.anonymous().bearer(g1.path("key").asText());

        Http.Response other = asGina.delete(TOKENS + "/token/" + h1.path("id").asText());
        npmError(other, 404, "not_found");
        Http.Response otherSecret =
                asGina.delete(TOKENS + "/token/" + h1.path("key").asText());
        assertThat(otherSecret.status()).isEqualTo(404);
        assertThat(otherSecret.body()).doesNotContain(h1.path("key").asText());
        assertThat(asGina.delete(TOKENS + "/token/nosuchkey").status()).isEqualTo(404);
        assertThat(server.anonymous()
                        .bearer(h1.path("key").asText())
                        .get(NPM + "/whoami")
                        .status())
                .isEqualTo(200);

        assertThat(asGina.delete(TOKENS + "/token/" + g2.path("id").asText()).status())
                .isEqualTo(204);
        assertThat(server.anonymous()
                        .bearer(g2.path("key").asText())
                        .get(NPM + "/whoami")
                        .status())
                .isEqualTo(401);
        assertThat(asGina.delete(TOKENS + "/token/" + g1.path("key").asText()).status())
                .isEqualTo(204);
        assertThat(asGina.get(NPM + "/whoami").status()).isEqualTo(401);
        assertThat(NpmAccountRoutesTest.audit(server, gina, "access-key.revoke")
                        .path("path")
                        .asText())
                .startsWith("access-keys/");
    }

    @Test
    void aNarrowedTokenCannotListCreateOrRevokeKeys() {
        String ivy = NpmAccountRoutesTest.user(server, "tok-ivy");
        JsonNode key = Fixtures.key(as(ivy), Map.of());
        String scoped = Fixtures.token(as(ivy), Map.of("scope", "artifact:libs/**:r"))
                .path("access_token")
                .asText();
        Http asScoped = server.anonymous().bearer(scoped);
        npmError(asScoped.get(TOKENS), 403, "forbidden");
        npmError(Fixtures.postJson(asScoped, TOKENS, Map.of("password", PASSWORD)), 403, "forbidden");
        npmError(asScoped.delete(TOKENS + "/token/" + key.path("id").asText()), 403, "forbidden");
        npmError(server.anonymous().get(TOKENS), 401, "authentication_required");
        assertThat(keyCount(ivy)).isEqualTo(1);
    }
}
