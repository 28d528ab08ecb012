package dev.coffer.security;

import static dev.coffer.testing.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 (findings 12 and 17), SECURITY-CHECKLIST 7 and 14: one meaning per request. A
 * credential header sent twice, a JSON key or form field given twice, and a method-override header
 * were each resolved one way by Coffer while a proxy or a log could read them another way.
 */
class OneMeaningTest {
    private static final String USER = "meaning";
    private static final String PASSWORD = "meaning-password";
    private static TestServer server;
    private static Http admin;
    private static Http user;
    private static String key;
    private static String adminKey;
    private static String token;
    private static String session;
    private static long userId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        Fixtures.repo(server, "pub", true);
        Fixtures.repo(server, "priv", false);
        Fixtures.user(server, USER, PASSWORD);
        Fixtures.grant(server, "meaning-rw", List.of("priv"), List.of("**"), USER, "rwd");
        expect(admin.put("/repository/pub/a.txt", "small public file"), "upload", 201);
        expect(admin.put("/repository/priv/a.txt", "small private file"), "upload", 201);
        expect(admin.put("/repository/priv/big.bin", new byte[200_000]), "upload", 201);
        user = server.anonymous().basic(USER, PASSWORD);
        key = Fixtures.key(user, Map.of()).get("key").asText();
        adminKey = Fixtures.key(admin, Map.of()).get("key").asText();
        token = Fixtures.token(user, "").get("access_token").asText();
        JsonNode login = Fixtures.session(server, USER, PASSWORD);
        session = login.get("token").asText();
        userId = login.get("user_id").asLong();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void ambiguous(String target, String... headerLines) {
        RawHttp.Reply r = RawHttp.send(server, "GET", target, headerLines);
        assertThat(r.status())
                .as("%s %s: %s", target, List.of(headerLines).toString().replaceAll("cof[a-z]{2}_\\w+", "<secret>"), r)
                .isEqualTo(400);
        assertThat(r.text()).contains("credentials_ambiguous");
    }

    // ---- finding 12: credential headers sent twice

    @Test
    void eachCredentialHeaderSentTwiceIsAmbiguous() {
        for (String target :
                List.of("/api/me", "/repository/pub/a.txt", "/repository/priv/a.txt", "/repository/priv/big.bin")) {
            String pw = "Authorization: " + Http.basicAuthorization(USER, PASSWORD);
            ambiguous(target, pw, pw); // even two identical copies: which one did the proxy check?
            ambiguous(target, pw, "Authorization: " + Http.basicAuthorization("admin", TestServer.ADMIN_PASSWORD));
            ambiguous(target, "Authorization: Bearer " + token, "Authorization: Bearer " + token);
            ambiguous(target, "X-Auth-AccessKey: " + key, "X-Auth-AccessKey: " + adminKey);
            ambiguous(target, "X-Auth-AccessKey: " + key, "X-Auth-AccessKey: " + key);
            ambiguous(target, "Circle-Token: " + key, "Circle-Token: " + key);
            ambiguous(target, "X-Auth-Token: " + session, "X-Auth-UserId: " + userId, "X-Auth-UserId: 1");
            ambiguous(target, "X-Auth-Token: " + session, "X-Auth-Token: " + session, "X-Auth-UserId: " + userId);
        }
        // one copy of each still works, on the fast path too
        RawHttp.Reply once = RawHttp.send(
                server, "GET", "/repository/priv/a.txt", "Authorization: " + Http.basicAuthorization(USER, PASSWORD));
        assertThat(once.status()).isEqualTo(200);
        assertThat(once.text()).isEqualTo("small private file");
    }

    @Test
    void aRepeatedUserIdCannotPickAnotherIdentity() {
        RawHttp.Reply r = RawHttp.send(
                server, "GET", "/api/me", "X-Auth-Token: " + session, "X-Auth-UserId: " + userId, "X-Auth-UserId: 1");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("X-Auth-UserId").doesNotContain(session);
    }

    // ---- finding 12: JSON keys and form fields given twice

    @Test
    void aDuplicateJsonKeyIs400AndChangesNothing() {
        Http.Response r = admin.putJson(
                "/api/users/dupe-admin", "{\"password\":\"dupe-password-1\",\"admin\":false,\"admin\":true}");
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("body_invalid");
        assertThat(r.json().path("error").path("message").asText()).contains("'admin'");
        assertThat(admin.get("/api/users/dupe-admin").status()).isEqualTo(404);

        int keys = user.get("/api/access-keys").json().size();
        Http.Response k = user.header("Content-Type", "application/json")
                .post("/api/access-keys", "{\"description\":\"a\",\"description\":\"b\"}");
        assertThat(k.status()).as(k.toString()).isEqualTo(400);
        assertThat(user.get("/api/access-keys").json()).hasSize(keys);

        Http.Response t = user.header("Content-Type", "application/json")
                .post(
                        "/access/api/v1/tokens",
                        "{\"scope\":\"artifact:priv/x/**:r\",\"scope\":\"applied-permissions/user\"}");
        assertThat(t.status()).as(t.toString()).isEqualTo(400);

        // nested too: which of the two grants would a reviewer have read?
        Http.Response p = admin.putJson(
                "/api/permissions/dupe",
                "{\"repositories\":[\"priv\"]," + "\"users\":{\"" + USER + "\":[\"r\"],\"" + USER
                        + "\":[\"r\",\"w\",\"d\",\"m\"]}}");
        assertThat(p.status()).as(p.toString()).isEqualTo(400);
        assertThat(admin.get("/api/permissions/dupe").status()).isEqualTo(404);
    }

    private static int tokens() {
        return user.get("/access/api/v1/tokens").json().path("tokens").size();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "?|scope=artifact:priv/x/**:r&scope=applied-permissions/user",
                "?|scope=artifact:priv/x/**:r&sc%6Fpe=applied-permissions/user",
                "?scope=applied-permissions/user|scope=artifact:priv/x/**:r",
                "?expires_in=60&expires_in=3600|",
                "?description=a&description=b|"
            })
    void aFormFieldGivenTwiceIs400(String queryAndBody) {
        String query = queryAndBody.substring(0, queryAndBody.indexOf('|'));
        String body = queryAndBody.substring(queryAndBody.indexOf('|') + 1);
        int before = tokens();
        Http.Response r = user.header("Content-Type", "application/x-www-form-urlencoded")
                .post("/access/api/v1/tokens" + query, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("body_invalid");
        assertThat(r.json().path("error").path("message").asText()).contains("more than once");
        assertThat(tokens()).isEqualTo(before);
    }

    @Test
    void aQueryParameterGivenTwiceIs400() {
        for (String target : List.of(
                "/api/audit?username=" + USER + "&username=admin",
                "/api/access-keys?username=" + USER + "&username=admin",
                "/api/access/check?repo=priv&path=a.txt&action=r&username=" + USER + "&username=admin")) {
            Http.Response r = admin.get(target);
            assertThat(r.status()).as("%s: %s", target, r).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("parameter_invalid");
            assertThat(r.json().path("error").path("message").asText()).contains("'username'");
        }
        assertThat(admin.get("/api/access-keys?username=" + USER).status()).isEqualTo(200);
        // which properties does a repeated ?properties= set or delete? Neither: 400, nothing changed
        for (String method : List.of("PUT", "DELETE")) {
            Http.Response r = admin.send(
                    method,
                    "/api/storage/priv/a.txt?properties=k=1&properties=k=2",
                    java.net.http.HttpRequest.BodyPublishers.noBody());
            assertThat(r.status()).as("%s: %s", method, r).isEqualTo(400);
            assertThat(r.json().path("error").path("message").asText()).contains("'properties'");
        }
        assertThat(admin.get("/api/storage/priv/a.txt")
                        .json()
                        .path("properties")
                        .has("k"))
                .isFalse();
    }

    // ---- finding 17: one verb per request

    @ParameterizedTest
    @ValueSource(strings = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "x-http-method-override"})
    void methodOverrideHeadersAreIgnored(String header) {
        Fixtures.repo(server, "victim", false);
        Http.Response post = admin.header(header, "DELETE").post("/api/repositories/victim", "");
        assertThat(post.status()).as(post.toString()).isEqualTo(405);
        assertThat(admin.get("/api/repositories/victim").status()).isEqualTo(200);

        Http.Response content = admin.header(header, "DELETE").post("/repository/priv/a.txt", "");
        assertThat(content.status()).as(content.toString()).isEqualTo(405);
        for (String path : List.of("/repository/priv/a.txt", "/repository/priv/big.bin")) {
            Http.Response get = admin.header(header, "DELETE").get(path);
            assertThat(get.status()).as(get.toString()).isEqualTo(200);
            assertThat(admin.get(path).status()).isEqualTo(200);
        }
        Http.Response put =
                user.header(header, "GET").put("/repository/priv/put-" + header + ".txt", "written by a PUT");
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    @Test
    void theMethodQueryParameterIsIgnored() {
        Fixtures.repo(server, "victim2", false);
        Http.Response post = admin.post("/api/repositories/victim2?_method=DELETE", "");
        assertThat(post.status()).as(post.toString()).isEqualTo(405);
        assertThat(admin.get("/api/repositories/victim2").status()).isEqualTo(200);
        Http.Response get = admin.get("/repository/priv/a.txt?_method=DELETE");
        assertThat(get.status()).isEqualTo(200);
        assertThat(admin.get("/repository/priv/a.txt").status()).isEqualTo(200);
    }
}
