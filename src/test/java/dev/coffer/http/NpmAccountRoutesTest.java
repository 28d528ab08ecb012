package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API.md §10: npm login, whoami and logout on /api/npm/{repo}/-/…, mapped onto access keys. */
class NpmAccountRoutesTest {
    static final String PASSWORD = "npm-password-123";
    // the account routes never look at the repository: one that does not exist works the same
    static final String NPM = "/api/npm/no-such-repo/-";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String user(TestServer s, String prefix) {
        String name = Fixtures.unique(prefix);
        Fixtures.user(s, name, PASSWORD);
        return name;
    }

    static String couch(String name, String password, String email) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("_id", "org.couchdb.user:" + name);
        body.put("name", name);
        body.put("password", password);
        if (email != null) {
            body.put("email", email);
        }
        body.put("type", "user");
        body.put("roles", List.of());
        body.put("date", "2026-12-05T03:00:00.000Z");
        return Fixtures.json(body);
    }

    static Http.Response login(TestServer s, String name, String password) {
        return s.anonymous().putJson(NPM + "/user/org.couchdb.user:" + name, couch(name, password, null));
    }

    /** What npm prints: body.error is a sentence, beside Coffer's code and the status. */
    static void npmError(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().path("error").isTextual()).as(r.toString()).isTrue();
        assertThat(r.json().path("code").asText()).isEqualTo(code);
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
    }

    @Test
    void webLoginIsANotFoundSoNpmFallsBackToAskingForThePassword() {
        Http.Response r = server.anonymous().post(NPM + "/v1/login", "{}");
        npmError(r, 404, "web_login_unsupported");
        assertThat(r.json().path("error").asText()).contains("user name and password");
    }

    @Test
    void loginReturnsANewAccessKeyDescribedNpmLogin() {
        String alice = user(server, "npm-alice");
        Http.Response r = login(server, alice, PASSWORD);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().path("ok").asBoolean()).isTrue();
        assertThat(r.json().path("id").asText()).isEqualTo("org.couchdb.user:" + alice);
        String token = r.json().path("token").asText();
        assertThat(token).startsWith("cofak_");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");

        JsonNode who = server.anonymous().bearer(token).get(NPM + "/whoami").json();
        assertThat(who.path("username").asText()).isEqualTo(alice);
        JsonNode keys = server.anonymous().bearer(token).get("/api/access-keys").json();
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).path("description").asText()).isEqualTo("npm login");
        // npm adduser (with an email) of an existing user with its password is a login, as on npm's registry
        Http.Response again = server.anonymous()
                .putJson(NPM + "/user/org.couchdb.user:" + alice, couch(alice, PASSWORD, alice + "@example.org"));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().path("token").asText()).isNotEqualTo(token);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetOneAnswerThatSaysNpmCreatesNoAccounts() {
        String bob = user(server, "npm-bob");
        Http.Response wrong = login(server, bob, "not-the-password");
        npmError(wrong, 401, "credentials_invalid");
        assertThat(wrong.header("WWW-Authenticate")).isEqualTo(Errors.CHALLENGE);
        assertThat(wrong.json().path("error").asText()).contains("created by an administrator");
        Http.Response unknown = server.anonymous()
                .putJson(
                        NPM + "/user/org.couchdb.user:nobody-here",
                        couch("nobody-here", PASSWORD, "nobody@example.org"));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json()).isEqualTo(wrong.json());
        assertThat(server.admin().get("/api/users/nobody-here").status()).isEqualTo(404);
        // nothing was created for bob
        assertThat(server.anonymous()
                        .basic(bob, PASSWORD)
                        .get("/api/access-keys")
                        .json())
                .isEmpty();
    }

    @Test
    void theNameInTheUrlAndInTheBodyMustAgree() {
        String carol = user(server, "npm-carol");
        npmError(
                server.anonymous().putJson(NPM + "/user/org.couchdb.user:admin", couch(carol, PASSWORD, null)),
                400,
                "name_mismatch");
        String badId = couch(carol, PASSWORD, null).replace("org.couchdb.user:" + carol, "org.couchdb.user:admin");
        npmError(server.anonymous().putJson(NPM + "/user/org.couchdb.user:" + carol, badId), 400, "name_mismatch");
        npmError(
                server.anonymous().putJson(NPM + "/user/org.couchdb.user:" + carol, "{\"name\":\"" + carol + "\"}"),
                400,
                "body_invalid");
        npmError(
                server.anonymous()
                        .putJson(
                                NPM + "/user/org.couchdb.user:" + carol,
                                "{\"name\":\"" + carol + "\",\"password\":\"x\",\"admin\":true}"),
                400,
                "field_unknown");
        assertThat(server.anonymous()
                        .basic(carol, PASSWORD)
                        .get("/api/access-keys")
                        .json())
                .isEmpty();
    }

    /** The npm login is the Basic password check: one count, one lockout, shared with every other login. */
    @Test
    void loginIsThrottledByTheSameLockoutAsBasic() {
        try (TestServer locking = TestServer.start(Map.of("lockout", "3", "lockout.window", "10m"))) {
            String dave = user(locking, "npm-dave");
            for (int i = 0; i < 3; i++) {
                assertThat(login(locking, dave, "wrong-" + i).status()).isEqualTo(401);
            }
            Http.Response locked = login(locking, dave, PASSWORD);
            npmError(locked, 429, locked.json().path("code").asText());
            assertThat(locked.header("Retry-After")).isNotNull();
            // the npm route's failures locked Basic too
            assertThat(locking.anonymous().basic(dave, PASSWORD).get("/api/me").status())
                    .isEqualTo(429);
        }
    }

    @Test
    void pingAnswersAnyone() {
        Http.Response ping = server.anonymous().get(NPM + "/ping?write=true");
        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("{}");
    }

    @Test
    void whoamiNeedsACredentialAndAnswersInNpmsShape() {
        Http.Response anon = server.anonymous().get(NPM + "/whoami");
        npmError(anon, 401, "authentication_required");
        assertThat(anon.header("WWW-Authenticate")).isEqualTo(Errors.CHALLENGE);
        npmError(server.anonymous().bearer("cofak_notarealkey").get(NPM + "/whoami"), 401, "credentials_invalid");
        // npm itself gets no challenge: with one, it prints its own text instead of the sentence
        Http.Response asNpm = server.anonymous()
                .header("User-Agent", "npm/11.19.1 node/v20.20.2 linux x64 workspaces/false")
                .bearer("cofak_notarealkey")
                .get(NPM + "/whoami");
        npmError(asNpm, 401, "credentials_invalid");
        assertThat(asNpm.header("WWW-Authenticate")).isNull();
        // ...only on the npm routes: elsewhere npm's user agent changes nothing
        assertThat(server.anonymous()
                        .header("User-Agent", "npm/11.19.1")
                        .get("/api/users")
                        .header("WWW-Authenticate"))
                .isEqualTo(Errors.CHALLENGE);
        String erin = user(server, "npm-erin");
        Http.Response who = server.anonymous().basic(erin, PASSWORD).get(NPM + "/whoami");
        assertThat(who.status()).isEqualTo(200);
        assertThat(who.body()).isEqualTo("{\"username\":\"" + erin + "\"}");
    }

    @Test
    void logoutRevokesTheKeyItIsMadeWithOnTheSpot() throws Exception {
        String frank = user(server, "npm-frank");
        String token = login(server, frank, PASSWORD).json().path("token").asText();
        Http withKey = server.anonymous().bearer(token);
        Http.Response out = withKey.delete(NPM + "/user/token/" + Fixtures.enc(token));
        assertThat(out.status()).as(out.toString()).isEqualTo(200);
        npmError(withKey.get(NPM + "/whoami"), 401, "credentials_invalid");
        JsonNode event = audit(frank, "access-key.revoke");
        assertThat(event.path("authenticatedBy").asText()).isEqualTo("access-key");
        assertThat(event.path("path").asText()).startsWith("access-keys/");
        assertThat(server.admin().get("/api/audit?limit=1000").body()).doesNotContain(token);
        awaitLine(l -> l.path("route").asText().endsWith("/user/token/{token}")
                && l.path("user").asText().equals(frank));
        assertThat(accessLog()).doesNotContain(token);
    }

    @Test
    void logoutOfSomeoneElsesKeyIsTheSameNotFoundAsNoKeyAtAll() {
        String gina = user(server, "npm-gina");
        String hank = user(server, "npm-hank");
        String ginaKey = login(server, gina, PASSWORD).json().path("token").asText();
        String hankKey = login(server, hank, PASSWORD).json().path("token").asText();
        Http asHank = server.anonymous().bearer(hankKey);
        Http.Response other = asHank.delete(NPM + "/user/token/" + ginaKey);
        npmError(other, 404, "not_found");
        Http.Response none =
                asHank.delete(NPM + "/user/token/" + ginaKey.substring(0, ginaKey.length() - 8) + "AAAAAAAA");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().path("error")).isEqualTo(other.json().path("error"));
        assertThat(server.anonymous().bearer(ginaKey).get(NPM + "/whoami").status())
                .isEqualTo(200);
        // a token scoped narrowly may end itself, but not its owner's other credentials
        String scoped = Fixtures.token(server.anonymous().basic(hank, PASSWORD), Map.of("scope", "artifact:libs/**:r"))
                .path("access_token")
                .asText();
        Http asScoped = server.anonymous().bearer(scoped);
        assertThat(asScoped.delete(NPM + "/user/token/" + hankKey).status()).isEqualTo(404);
        assertThat(asHank.get(NPM + "/whoami").status()).isEqualTo(200);
        assertThat(asScoped.delete(NPM + "/user/token/" + scoped).status()).isEqualTo(200);
        assertThat(asScoped.get(NPM + "/whoami").status()).isEqualTo(401);
        assertThat(audit(hank, "access-token.revoke").path("path").asText()).startsWith("access-tokens/");
    }

    /** A token that is none of Coffer's secrets is still a secret: the access log masks the segment. */
    @Test
    void theAccessLogNeverHoldsTheTokenOfALogout() throws Exception {
        String ivy = user(server, "npm-ivy");
        String foreign = "npm_" + "Zq8XrT2vLm4Kp9Wd7Yb3Nc6Hs1Fg5Je0Aa";
        Http.Response r = server.anonymous().basic(ivy, PASSWORD).delete(NPM + "/user/token/" + foreign);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).doesNotContain(foreign);
        JsonNode line = awaitLine(l -> l.path("route").asText().endsWith("/user/token/{token}")
                && l.path("user").asText().equals(ivy));
        assertThat(line.path("path").asText()).isEqualTo(NPM + "/user/token/[redacted]");
        assertThat(accessLog()).doesNotContain(foreign);
    }

    // ---- helpers

    static JsonNode audit(String user, String action) {
        return audit(server, user, action);
    }

    static JsonNode audit(TestServer server, String user, String action) {
        for (JsonNode e : server.admin()
                .get("/api/audit?limit=1000&username=" + user)
                .json()
                .path("events")) {
            if (e.path("action").asText().equals(action)) {
                return e;
            }
        }
        throw new AssertionError("no " + action + " event of " + user);
    }

    static String accessLog() throws Exception {
        Path file = server.data().resolve("logs/access.log");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** Lines are written once a response is complete, which may be just after the client has it. */
    static JsonNode awaitLine(Predicate<JsonNode> match) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long deadline = System.currentTimeMillis() + 10_000;
        List<JsonNode> lines = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            lines.clear();
            for (String l : accessLog().lines().toList()) {
                lines.add(json.readTree(l));
            }
            for (JsonNode l : lines) {
                if (match.test(l)) {
                    return l;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching access log line in " + lines);
    }
}
