package dev.coffer.http;

import static dev.coffer.http.CredentialRulesTest.assert401;
import static dev.coffer.testing.Fixtures.enc;
import static dev.coffer.testing.Fixtures.postForm;
import static dev.coffer.testing.Fixtures.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.http.CredentialRulesTest.Creds;
import dev.coffer.http.CredentialRulesTest.Transport;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.Typos;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every route of API.md §4 (sessions, access keys) and §5 (scoped access tokens). */
class CredentialRoutesTest {
    private static TestServer server;
    private static Http admin;
    private static Http anon;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        anon = server.anonymous();
        Fixtures.repo(server, "priv", false);
        Fixtures.put(admin, "/repository/priv/a.txt", "private");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Creds user(String prefix) {
        Creds c = CredentialRulesTest.newUser(server, prefix);
        Fixtures.grantUser(server, "t-" + c.user(), "priv", c.user(), "r");
        return c;
    }

    private static Http pw(Creds c) {
        return anon.basic(c.user(), c.password());
    }

    private static int meStatus(Http h) {
        return h.get("/api/me").status();
    }

    // ---- POST /api/tokens, DELETE /api/tokens/{token} (Tuleap sessions)

    @Test
    void loginOpensASession() {
        Creds c = user("sess");
        Http.Response r = postJson(anon, "/api/tokens", Map.of("username", c.user(), "password", c.password()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Deprecation")).isEqualTo("true");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode j = r.json();
        String token = j.get("token").asText();
        assertThat(token).startsWith("cofst_");
        assertThat(Secrets.verifyFormat(token)).contains(SecretKind.SESSION_TOKEN);
        assertThat(j.get("user_id").asLong()).isEqualTo(c.userId());
        assertThat(j.get("user_id").isNumber() || j.get("user_id").isTextual()).isTrue();
        assertThat(j.get("uri").asText()).isEqualTo("/api/tokens/" + token);
        Http s = anon.header("X-Auth-Token", token)
                .header("X-Auth-UserId", j.get("user_id").asText());
        Http.Response me = s.get("/api/me");
        assertThat(me.json().get("authenticatedBy").asText()).isEqualTo("session-token");
        assertThat(me.json().get("username").asText()).isEqualTo(c.user());
        assertThat(s.get("/repository/priv/a.txt").status()).isEqualTo(200);
        // each login is a new session
        Http.Response again = postJson(anon, "/api/tokens", Map.of("username", c.user(), "password", c.password()));
        assertThat(again.json().get("token").asText()).isNotEqualTo(token);
    }

    @Test
    void loginWithWrongPasswordOrUnknownUserIs401() {
        Creds c = user("sessw");
        assert401(postJson(anon, "/api/tokens", Map.of("username", c.user(), "password", "nope")));
        assert401(postJson(anon, "/api/tokens", Map.of("username", "no-such-user", "password", "nope")));
        assert401(postJson(anon, "/api/tokens", Map.of("username", c.user(), "password", c.key())));
        Http.Response missing = postJson(anon, "/api/tokens", Map.of("username", c.user()));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(postJson(anon, "/api/tokens", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void deletingTheSessionEndsIt() {
        Creds c = user("sessd");
        Http s = Transport.X_AUTH_TOKEN_SESSION.with(server, c);
        assertThat(meStatus(s)).isEqualTo(200);
        // someone else cannot end it
        Creds o = user("sesso");
        Http.Response foreign = Transport.X_AUTH_TOKEN_SESSION.with(server, o).delete("/api/tokens/" + c.session());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body()).doesNotContain(c.session());
        assertThat(meStatus(s)).isEqualTo(200);
        Http.Response d = s.delete("/api/tokens/" + c.session());
        assertThat(d.status()).isEqualTo(204);
        assert401(s.get("/api/me"));
        assert401(s.get("/repository/priv/a.txt"));
        // and ending it again is not found (with the password as credential)
        assertThat(pw(c).delete("/api/tokens/" + c.session()).status()).isEqualTo(404);
        // keys and tokens of that user are unaffected
        assertThat(meStatus(Transport.BEARER_KEY.with(server, c))).isEqualTo(200);
        assertThat(meStatus(Transport.BEARER_TOKEN.with(server, c))).isEqualTo(200);
    }

    @Test
    void deletingASessionNeedsCredentials() {
        Creds c = user("sessn");
        Http.Response r = anon.delete("/api/tokens/" + c.session());
        assertThat(r.status()).isEqualTo(401);
        assertThat(meStatus(Transport.X_AUTH_TOKEN_SESSION.with(server, c))).isEqualTo(200);
    }

    // ---- /api/access-keys

    @Test
    void createKeyShowsTheSecretOnce() {
        Creds c = user("key");
        Http.Response r = postJson(pw(c), "/api/access-keys", Map.of("description", "ci deploy"));
        assertThat(r.status()).isEqualTo(201);
        JsonNode j = r.json();
        assertThat(j.get("id").asText()).isNotBlank();
        String key = j.get("key").asText();
        assertThat(key).startsWith("cofak_");
        assertThat(Secrets.verifyFormat(key)).contains(SecretKind.ACCESS_KEY);
        assertThat(j.get("description").asText()).isEqualTo("ci deploy");
        Instant created = Instant.parse(j.get("createdAt").asText());
        assertThat(created)
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
        assertThat(j.has("expiresAt")).isTrue();
        assertThat(j.get("expiresAt").isNull()).isTrue();
        assertThat(meStatus(anon.header("X-Auth-AccessKey", key))).isEqualTo(200);
        // with an empty body too
        Http.Response empty = pw(c).header("Content-Type", "application/json").post("/api/access-keys", "");
        assertThat(empty.status()).as(empty.toString()).isEqualTo(201);
    }

    @Test
    void keyWithAnExpiry() {
        Creds c = user("keyx");
        Instant at = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Http.Response r = postJson(pw(c), "/api/access-keys", Map.of("expiresAt", at.toString()));
        assertThat(r.status()).isEqualTo(201);
        assertThat(Instant.parse(r.json().get("expiresAt").asText())).isEqualTo(at);
        JsonNode listed =
                find(pw(c).get("/api/access-keys").json(), r.json().get("id").asText());
        assertThat(Instant.parse(listed.get("expiresAt").asText())).isEqualTo(at);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2000-01-01T00:00:00Z", "yesterday", "2030-13-01T00:00:00Z"})
    void keyExpiryInThePastOrMalformedIs400(String expiresAt) {
        Creds c = user("keyp");
        Http.Response r = postJson(pw(c), "/api/access-keys", Map.of("expiresAt", expiresAt));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(pw(c).get("/api/access-keys").json()).hasSize(1);
    }

    private static JsonNode find(JsonNode array, String id) {
        for (JsonNode n : array) {
            if (n.get("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no " + id + " in " + array);
    }

    @Test
    void listingKeysShowsNoSecretsAndLastUse() throws Exception {
        Creds c = user("keyl");
        Http.Response list = pw(c).get("/api/access-keys");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().isArray()).isTrue();
        JsonNode k = find(list.json(), c.keyId());
        assertThat(k.get("description").asText()).isEqualTo("key of " + c.user());
        assertThat(k.has("createdAt")).isTrue();
        assertThat(k.has("expiresAt")).isTrue();
        assertThat(k.has("lastUsedAt")).isTrue();
        assertThat(k.has("lastUsedIp")).isTrue();
        assertThat(k.get("lastUsedAt").isNull()).isTrue();
        assertThat(k.has("key")).isFalse();
        assertThat(list.body()).doesNotContain(c.key()).doesNotContain(Secrets.hash(c.key()));
        Instant before = Instant.now().minusSeconds(1);
        assertThat(meStatus(Transport.X_AUTH_ACCESS_KEY.with(server, c))).isEqualTo(200);
        JsonNode used = null;
        for (int i = 0; i < 50; i++) {
            used = find(pw(c).get("/api/access-keys").json(), c.keyId());
            if (!used.get("lastUsedAt").isNull()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(used.get("lastUsedAt").isNull()).as(used.toString()).isFalse();
        assertThat(Instant.parse(used.get("lastUsedAt").asText())).isAfter(before);
        assertThat(used.get("lastUsedIp").asText()).isEqualTo("127.0.0.1");
        // and it stays after the batched write
        Thread.sleep(2500);
        JsonNode later = find(pw(c).get("/api/access-keys").json(), c.keyId());
        assertThat(later.get("lastUsedAt").asText())
                .isEqualTo(used.get("lastUsedAt").asText());
        assertThat(later.get("lastUsedIp").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void manyKeysPerUserAndOnlyOwnListed() {
        Creds c = user("keym");
        Creds o = user("keymo");
        List<String> keys = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        ids.add(c.keyId());
        for (int i = 0; i < 5; i++) {
            Http.Response r = postJson(pw(c), "/api/access-keys", Map.of("description", "k" + i));
            keys.add(r.json().get("key").asText());
            ids.add(r.json().get("id").asText());
        }
        assertThat(ids).hasSize(6);
        assertThat(new HashSet<>(keys)).hasSize(5);
        for (String k : keys) {
            assertThat(anon.bearer(k).get("/api/me").json().get("username").asText())
                    .isEqualTo(c.user());
        }
        JsonNode list = pw(c).get("/api/access-keys").json();
        assertThat(list).hasSize(6);
        Set<String> listed = new HashSet<>();
        list.forEach(n -> listed.add(n.get("id").asText()));
        assertThat(listed).isEqualTo(ids).doesNotContain(o.keyId());
        // a non-admin cannot list someone else's keys; an admin can
        assertThat(pw(o).get("/api/access-keys?username=" + c.user()).status()).isEqualTo(403);
        assertThat(admin.get("/api/access-keys?username=" + c.user()).json()).hasSize(6);
    }

    @Test
    void revokingAKey() {
        Creds c = user("keyr");
        Http k = Transport.X_AUTH_ACCESS_KEY.with(server, c);
        assertThat(meStatus(k)).isEqualTo(200);
        Http.Response d = pw(c).delete("/api/access-keys/" + c.keyId());
        assertThat(d.status()).isEqualTo(204);
        for (Transport t : List.of(
                Transport.X_AUTH_ACCESS_KEY,
                Transport.BEARER_KEY,
                Transport.BASIC_OWNER_KEY,
                Transport.BASIC_KEY_EMPTY_PASSWORD,
                Transport.CIRCLE_TOKEN_KEY)) {
            assert401(t.with(server, c).get("/api/me"));
        }
        assertThat(pw(c).get("/api/access-keys").json()).isEmpty();
        assertThat(pw(c).delete("/api/access-keys/" + c.keyId()).status()).isEqualTo(404);
    }

    @Test
    void aKeyCanRevokeItself() {
        Creds c = user("keys");
        Http k = Transport.BEARER_KEY.with(server, c);
        assertThat(k.delete("/api/access-keys/" + c.keyId()).status()).isEqualTo(204);
        assert401(k.get("/api/me"));
    }

    @Test
    void anotherUserCannotRevokeAKey() {
        Creds c = user("keyv");
        Creds o = user("keyvo");
        Http.Response r = pw(o).delete("/api/access-keys/" + c.keyId());
        assertThat(r.status()).isEqualTo(404);
        Http.Response r2 = Transport.BEARER_KEY.with(server, o).delete("/api/access-keys/" + c.keyId());
        assertThat(r2.status()).isEqualTo(404);
        Http.Response r3 = pw(o).delete("/api/access-keys/" + c.keyId() + "?username=" + c.user());
        assertThat(r3.status()).isIn(403, 404);
        assertThat(meStatus(Transport.BEARER_KEY.with(server, c))).isEqualTo(200);
        assertThat(anon.delete("/api/access-keys/" + c.keyId()).status()).isEqualTo(401);
        assertThat(meStatus(Transport.BEARER_KEY.with(server, c))).isEqualTo(200);
    }

    @Test
    void adminRevokesAnyUsersKey() {
        Creds c = user("keya");
        Creds o = user("keyao");
        // with the wrong username the key is not found
        assertThat(admin.delete("/api/access-keys/" + c.keyId() + "?username=" + o.user())
                        .status())
                .isEqualTo(404);
        assertThat(meStatus(Transport.BEARER_KEY.with(server, c))).isEqualTo(200);
        assertThat(admin.delete("/api/access-keys/" + c.keyId() + "?username=" + c.user())
                        .status())
                .isEqualTo(204);
        assert401(Transport.BEARER_KEY.with(server, c).get("/api/me"));
        assertThat(meStatus(Transport.BEARER_KEY.with(server, o))).isEqualTo(200);
    }

    @Test
    void keysNeedCredentials() {
        assertThat(anon.get("/api/access-keys").status()).isEqualTo(401);
        assertThat(postJson(anon, "/api/access-keys", Map.of()).status()).isEqualTo(401);
        assertThat(anon.get("/api/access-keys").header("WWW-Authenticate")).isEqualTo(CredentialRulesTest.CHALLENGE);
    }

    @Test
    void keysCanBeCreatedWithEveryFullCredential() {
        Creds c = user("keyc");
        for (Transport t : Transport.values()) {
            Http.Response r = postJson(t.with(server, c), "/api/access-keys", Map.of("description", t.toString()));
            assertThat(r.status()).as("%s: %s", t, r).isEqualTo(201);
            Http.Response tok = postForm(t.with(server, c), "/access/api/v1/tokens", "description=" + t);
            assertThat(tok.status()).as("%s: %s", t, tok).isEqualTo(200);
        }
    }

    // ---- POST /access/api/v1/tokens

    private static void assertIssued(JsonNode j, String scope, long expiresIn, boolean refreshable) {
        assertThat(j.get("token_id").asText()).isNotBlank();
        assertThat(j.get("access_token").asText()).startsWith("cofat_");
        assertThat(Secrets.verifyFormat(j.get("access_token").asText())).contains(SecretKind.ACCESS_TOKEN);
        assertThat(j.get("expires_in").asLong()).isEqualTo(expiresIn);
        assertThat(j.get("scope").asText()).isEqualTo(scope);
        assertThat(j.get("token_type").asText()).isEqualTo("Bearer");
        if (refreshable) {
            assertThat(j.get("refresh_token").asText()).startsWith("cofrt_");
        } else {
            assertThat(j.has("refresh_token")).as(j.toString()).isFalse();
        }
    }

    @Test
    void issueWithFormBody() {
        Creds c = user("tokf");
        Http.Response r = postForm(
                pw(c),
                "/access/api/v1/tokens",
                "scope=" + enc("artifact:priv/**:r") + "&expires_in=600&refreshable=true&description="
                        + enc("ci job #1") + "&username=" + c.user());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertIssued(r.json(), "artifact:priv/**:r", 600, true);
        Http t = anon.bearer(r.json().get("access_token").asText());
        assertThat(t.get("/repository/priv/a.txt").status()).isEqualTo(200);
        JsonNode me = t.get("/api/me").json();
        assertThat(me.get("credentialId").asText())
                .isEqualTo(r.json().get("token_id").asText());
        assertThat(me.get("scope").asText()).isEqualTo("artifact:priv/**:r");
        JsonNode listed = findToken(
                pw(c).get("/access/api/v1/tokens").json(),
                r.json().get("token_id").asText());
        assertThat(listed.get("description").asText()).isEqualTo("ci job #1");
        assertThat(listed.get("refreshable").asBoolean()).isTrue();
        assertThat(listed.get("subject").asText()).isEqualTo(c.user());
        long expiry = listed.get("expiry").asLong();
        long issued = listed.get("issued_at").asLong();
        assertThat(expiry - issued).isBetween(599L, 601L);
    }

    @Test
    void issueWithJsonBody() {
        Creds c = user("tokj");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scope", "applied-permissions/user");
        body.put("expires_in", 3600);
        body.put("refreshable", true);
        body.put("description", "json");
        body.put("username", c.user());
        Http.Response r = postJson(pw(c), "/access/api/v1/tokens", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertIssued(r.json(), "applied-permissions/user", 3600, true);
        // string values as well
        Http.Response r2 = postJson(pw(c), "/access/api/v1/tokens", Map.of("expires_in", "60", "refreshable", "false"));
        assertThat(r2.status()).as(r2.toString()).isEqualTo(200);
        assertIssued(r2.json(), "applied-permissions/user", 60, false);
        assertThat(meStatus(anon.bearer(r2.json().get("access_token").asText())))
                .isEqualTo(200);
    }

    @Test
    void defaultsAreUserScopeOneYearNotRefreshable() {
        Creds c = user("tokd");
        Http.Response r = postForm(pw(c), "/access/api/v1/tokens", "");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertIssued(r.json(), "applied-permissions/user", 365L * 24 * 3600, false);
        Http.Response j = postJson(pw(c), "/access/api/v1/tokens", Map.of());
        assertIssued(j.json(), "applied-permissions/user", 365L * 24 * 3600, false);
        assertThat(anon.bearer(r.json().get("access_token").asText())
                        .get("/repository/priv/a.txt")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void nonAdminCannotIssueForAnotherUser() {
        Creds c = user("toko");
        Creds o = user("tokoo");
        Http.Response r = postForm(pw(c), "/access/api/v1/tokens", "username=" + o.user());
        assertThat(r.status()).isEqualTo(403);
        Http.Response k =
                postForm(Transport.BEARER_KEY.with(server, c), "/access/api/v1/tokens", "username=" + o.user());
        assertThat(k.status()).isEqualTo(403);
    }

    @Test
    void adminIssuesForAnotherUser() {
        Creds c = user("toka");
        Http.Response r = postForm(
                admin, "/access/api/v1/tokens", "username=" + c.user() + "&scope=" + enc("applied-permissions/user"));
        assertThat(r.status()).isEqualTo(200);
        Http t = anon.bearer(r.json().get("access_token").asText());
        assertThat(t.get("/api/me").json().get("username").asText()).isEqualTo(c.user());
        assertThat(t.get("/api/me").json().get("admin").asBoolean()).isFalse();
        // the user sees it in their own listing
        findToken(
                pw(c).get("/access/api/v1/tokens").json(),
                r.json().get("token_id").asText());
        // and an unknown subject is refused
        assertThat(postForm(admin, "/access/api/v1/tokens", "username=no-such-user")
                        .status())
                .isIn(400, 404);
    }

    @Test
    void adminScopeOnlyForAdmins() {
        Creds c = user("tokad");
        Http.Response r = postForm(pw(c), "/access/api/v1/tokens", "scope=" + enc("applied-permissions/admin"));
        assertThat(r.status()).isEqualTo(403);
        Http.Response a = postForm(admin, "/access/api/v1/tokens", "scope=" + enc("applied-permissions/admin"));
        assertThat(a.status()).isEqualTo(200);
        assertIssued(a.json(), "applied-permissions/admin", 365L * 24 * 3600, false);
        Http t = anon.bearer(a.json().get("access_token").asText());
        assertThat(t.get("/api/me").json().get("admin").asBoolean()).isTrue();
        String name = Fixtures.unique("madebytoken");
        Http.Response put = t.putJson("/api/users/" + name, Fixtures.json(Map.of("password", "pw-" + name)));
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        assertThat(t.get("/api/users").status()).isEqualTo(200);
        // an admin's narrowly scoped token is not an admin
        String narrow = CredentialRulesTest.token(server, admin, "scope=" + enc("artifact:priv/**:r"));
        assertThat(anon.bearer(narrow).get("/api/users").status()).isEqualTo(403);
        assertThat(anon.bearer(narrow).get("/repository/priv/a.txt").status()).isEqualTo(200);
    }

    @Test
    void neverExpiringTokensAreForAdmins() {
        Creds c = user("tokn");
        Http.Response r = postForm(pw(c), "/access/api/v1/tokens", "expires_in=0");
        assertThat(r.status()).isIn(400, 403);
        Http.Response a = postForm(admin, "/access/api/v1/tokens", "expires_in=0&username=" + c.user());
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        assertThat(a.json().get("expires_in").asLong()).isEqualTo(0);
        JsonNode listed = findToken(
                admin.get("/access/api/v1/tokens").json(),
                a.json().get("token_id").asText());
        assertThat(listed.has("expiry")).isTrue();
        assertThat(listed.get("expiry").isNull()).isTrue();
        assertThat(meStatus(anon.bearer(a.json().get("access_token").asText()))).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1.5"})
    void badExpiresInIs400(String value) {
        Creds c = user("tokb");
        Http.Response r = postForm(pw(c), "/access/api/v1/tokens", "expires_in=" + enc(value));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bogus",
                "applied-permissions/everything",
                "applied-permissions/groups:",
                "artifact:priv",
                "artifact::r",
                "artifact:priv/**:q",
                "artifact:priv/**:",
                "applied-permissions/user zzbad"
            })
    void badScopeIs400NamingTheOffendingPart(String scope) {
        Creds c = user("toks");
        String offending = scope.contains(" ") ? scope.substring(scope.indexOf(' ') + 1) : scope;
        Http.Response r = postForm(pw(c), "/access/api/v1/tokens", "scope=" + enc(scope));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("scope_invalid");
        assertThat(r.json().path("error").path("message").asText()).contains(offending);
        Http.Response j = postJson(pw(c), "/access/api/v1/tokens", Map.of("scope", scope));
        assertThat(j.status()).isEqualTo(400);
        assertThat(j.errorCode()).isEqualTo("scope_invalid");
    }

    @Test
    void emptyScopeIs400() {
        Creds c = user("toke");
        Http.Response r = postForm(pw(c), "/access/api/v1/tokens", "scope=");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("scope_invalid");
    }

    @Test
    void issuingNeedsCredentials() {
        Http.Response r = postForm(anon, "/access/api/v1/tokens", "scope=applied-permissions/user");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo(CredentialRulesTest.CHALLENGE);
    }

    @Test
    void narrowTokensCannotMintKeysOrTokens() {
        Creds c = user("tokq");
        Fixtures.group(server, "q-" + c.user());
        assertThat(admin.putJson("/api/users/" + c.user(), Fixtures.json(Map.of("groups", List.of("q-" + c.user()))))
                        .status())
                .isEqualTo(200);
        for (String scope :
                List.of("artifact:priv/**:r", "artifact:priv/**:*", "applied-permissions/groups:q-" + c.user())) {
            String tok = CredentialRulesTest.token(server, pw(c), "scope=" + enc(scope));
            Http t = anon.bearer(tok);
            assertThat(postJson(t, "/api/access-keys", Map.of()).status())
                    .as(scope)
                    .isEqualTo(403);
            assertThat(postForm(t, "/access/api/v1/tokens", "scope=" + enc(scope))
                            .status())
                    .as(scope)
                    .isEqualTo(403);
            assertThat(postForm(t, "/access/api/v1/tokens", "").status())
                    .as(scope)
                    .isEqualTo(403);
        }
        // a full token may
        Http full = Transport.BEARER_TOKEN.with(server, c);
        assertThat(postJson(full, "/api/access-keys", Map.of()).status()).isEqualTo(201);
        assertThat(postForm(full, "/access/api/v1/tokens", "scope=" + enc("artifact:priv/**:r"))
                        .status())
                .isEqualTo(200);
    }

    // ---- refresh

    @Test
    void refreshTradesThePairForANewOne() {
        Creds c = user("tokr");
        Http.Response r = postForm(
                pw(c),
                "/access/api/v1/tokens",
                "refreshable=true&expires_in=600&scope=" + enc("artifact:priv/**:r") + "&description=refreshing");
        String access = r.json().get("access_token").asText();
        String refresh = r.json().get("refresh_token").asText();
        assertThat(meStatus(anon.bearer(access))).isEqualTo(200);
        Http.Response n = postForm(anon, "/access/api/v1/tokens", "grant_type=refresh_token&refresh_token=" + refresh);
        assertThat(n.status()).as(n.toString()).isEqualTo(200);
        assertIssued(n.json(), "artifact:priv/**:r", 600, true);
        String access2 = n.json().get("access_token").asText();
        String refresh2 = n.json().get("refresh_token").asText();
        assertThat(access2).isNotEqualTo(access);
        assertThat(refresh2).isNotEqualTo(refresh);
        // the old pair stops at once
        assert401(anon.bearer(access).get("/api/me"));
        assert401(anon.basic(c.user(), access).get("/repository/priv/a.txt"));
        assert401(postForm(anon, "/access/api/v1/tokens", "grant_type=refresh_token&refresh_token=" + refresh));
        // the new one works, with the same subject and scope
        JsonNode me = anon.bearer(access2).get("/api/me").json();
        assertThat(me.get("username").asText()).isEqualTo(c.user());
        assertThat(me.get("scope").asText()).isEqualTo("artifact:priv/**:r");
        assertThat(anon.bearer(access2).get("/repository/priv/a.txt").status()).isEqualTo(200);
        // a JSON refresh works too, and again invalidates its predecessor
        Http.Response n2 = postJson(
                anon, "/access/api/v1/tokens", Map.of("grant_type", "refresh_token", "refresh_token", refresh2));
        assertThat(n2.status()).as(n2.toString()).isEqualTo(200);
        assert401(anon.bearer(access2).get("/api/me"));
        assertThat(meStatus(anon.bearer(n2.json().get("access_token").asText())))
                .isEqualTo(200);
        // the listing shows the current token only
        JsonNode tokens = pw(c).get("/access/api/v1/tokens").json().get("tokens");
        List<String> ids = new ArrayList<>();
        tokens.forEach(t -> ids.add(t.get("token_id").asText()));
        assertThat(ids)
                .contains(n2.json().get("token_id").asText())
                .doesNotContain(
                        r.json().get("token_id").asText(),
                        n.json().get("token_id").asText());
    }

    @Test
    void refreshWithBadTokensIs401() {
        Creds c = user("tokrb");
        assert401(postForm(
                anon,
                "/access/api/v1/tokens",
                "grant_type=refresh_token&refresh_token=" + Secrets.generate(SecretKind.REFRESH_TOKEN)));
        assert401(postForm(anon, "/access/api/v1/tokens", "grant_type=refresh_token&refresh_token=garbage"));
        assert401(postForm(anon, "/access/api/v1/tokens", "grant_type=refresh_token"));
        assert401(postForm(anon, "/access/api/v1/tokens", "grant_type=refresh_token&refresh_token=" + c.token()));
        assert401(postForm(
                anon,
                "/access/api/v1/tokens",
                "grant_type=refresh_token&refresh_token=" + Typos.mistype(c.refreshToken())));
        // a revoked token's refresh token is dead too
        assertThat(pw(c).delete("/access/api/v1/tokens/" + c.tokenId()).status())
                .isEqualTo(200);
        assert401(
                postForm(anon, "/access/api/v1/tokens", "grant_type=refresh_token&refresh_token=" + c.refreshToken()));
    }

    @Test
    void refreshTokenIsNotAnAccessCredential() {
        Creds c = user("tokrc");
        assert401(anon.bearer(c.refreshToken()).get("/api/me"));
        assert401(anon.basic(c.user(), c.refreshToken()).get("/api/me"));
        assert401(anon.header("X-Auth-AccessKey", c.refreshToken()).get("/api/me"));
    }

    // ---- GET /access/api/v1/tokens

    private static JsonNode findToken(JsonNode listing, String id) {
        for (JsonNode n : listing.get("tokens")) {
            if (n.get("token_id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no " + id + " in " + listing);
    }

    @Test
    void listingTokens() throws Exception {
        Creds c = user("tokl");
        Creds o = user("toklo");
        Http.Response mine = pw(c).get("/access/api/v1/tokens");
        assertThat(mine.status()).isEqualTo(200);
        JsonNode t = findToken(mine.json(), c.tokenId());
        for (String f :
                List.of("token_id", "subject", "issued_at", "expiry", "refreshable", "description", "last_used")) {
            assertThat(t.has(f)).as(f + " in " + t).isTrue();
        }
        assertThat(t.get("subject").asText()).isEqualTo(c.user());
        assertThat(t.get("refreshable").asBoolean()).isTrue();
        assertThat(mine.body())
                .doesNotContain(c.token())
                .doesNotContain(c.refreshToken())
                .doesNotContain(Secrets.hash(c.token()));
        for (JsonNode n : mine.json().get("tokens")) {
            assertThat(n.get("subject").asText()).isEqualTo(c.user());
        }
        assertThat(mine.body()).doesNotContain(o.tokenId());
        // admins see everyone's
        JsonNode all = admin.get("/access/api/v1/tokens").json();
        findToken(all, c.tokenId());
        findToken(all, o.tokenId());
        assertThat(admin.get("/access/api/v1/tokens").body())
                .doesNotContain(c.token())
                .doesNotContain(o.token());
        // last_used appears after use
        assertThat(meStatus(Transport.BEARER_TOKEN.with(server, c))).isEqualTo(200);
        JsonNode used = null;
        for (int i = 0; i < 50; i++) {
            used = findToken(pw(c).get("/access/api/v1/tokens").json(), c.tokenId());
            if (!used.get("last_used").isNull()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(used.get("last_used").isNull()).isFalse();
        assertThat(anon.get("/access/api/v1/tokens").status()).isEqualTo(401);
    }

    // ---- DELETE /access/api/v1/tokens/{id}

    @Test
    void revokingATokenById() {
        Creds c = user("tokv");
        Http t = Transport.BEARER_TOKEN.with(server, c);
        assertThat(meStatus(t)).isEqualTo(200);
        Http.Response d = pw(c).delete("/access/api/v1/tokens/" + c.tokenId());
        assertThat(d.status()).isEqualTo(200);
        for (Transport tr : List.of(
                Transport.BEARER_TOKEN,
                Transport.BASIC_OWNER_TOKEN,
                Transport.BASIC_TOKEN_EMPTY_PASSWORD,
                Transport.CIRCLE_TOKEN_TOKEN)) {
            assert401(tr.with(server, c).get("/api/me"));
        }
        assertThat(pw(c).delete("/access/api/v1/tokens/" + c.tokenId()).status())
                .isEqualTo(404);
    }

    @Test
    void revokingTheCallingTokenWithMe() {
        Creds c = user("tokme");
        Http t = Transport.BASIC_OWNER_TOKEN.with(server, c);
        Http.Response d = t.delete("/access/api/v1/tokens/me");
        assertThat(d.status()).as(d.toString()).isEqualTo(200);
        assert401(t.get("/api/me"));
        assert401(Transport.BEARER_TOKEN.with(server, c).get("/api/me"));
        // 'me' with something other than a token revokes nothing
        Http.Response k = Transport.BEARER_KEY.with(server, c).delete("/access/api/v1/tokens/me");
        assertThat(k.status()).isIn(400, 404);
        assertThat(meStatus(Transport.BEARER_KEY.with(server, c))).isEqualTo(200);
    }

    @Test
    void onlyTheOwnerOrAnAdminRevokesAToken() {
        Creds c = user("tokw");
        Creds o = user("tokwo");
        assertThat(pw(o).delete("/access/api/v1/tokens/" + c.tokenId()).status())
                .isEqualTo(404);
        assertThat(Transport.BEARER_TOKEN
                        .with(server, o)
                        .delete("/access/api/v1/tokens/" + c.tokenId())
                        .status())
                .isEqualTo(404);
        assertThat(meStatus(Transport.BEARER_TOKEN.with(server, c))).isEqualTo(200);
        assertThat(admin.delete("/access/api/v1/tokens/" + c.tokenId()).status())
                .isEqualTo(200);
        assert401(Transport.BEARER_TOKEN.with(server, c).get("/api/me"));
        assertThat(anon.delete("/access/api/v1/tokens/" + o.tokenId()).status()).isEqualTo(401);
        assertThat(meStatus(Transport.BEARER_TOKEN.with(server, o))).isEqualTo(200);
    }

    @Test
    void longLivedTokensAreRevocableToo() {
        Creds c = user("tokll");
        Http.Response a = postForm(admin, "/access/api/v1/tokens", "expires_in=0&username=" + c.user());
        Http t = anon.bearer(a.json().get("access_token").asText());
        assertThat(meStatus(t)).isEqualTo(200);
        assertThat(pw(c).delete("/access/api/v1/tokens/"
                                + a.json().get("token_id").asText())
                        .status())
                .isEqualTo(200);
        assert401(t.get("/api/me"));
    }
}
