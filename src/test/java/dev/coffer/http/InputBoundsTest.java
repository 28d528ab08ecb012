package dev.coffer.http;

import static dev.coffer.testing.Fixtures.enc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15: every size and number a user controls is bounded, and out of bounds is a 400 naming
 * the field, never a 500, a slow request or an echo of the whole input. A walk over the dates,
 * numbers, scopes, patterns, JSON bodies and headers the routes take.
 */
class InputBoundsTest {
    private static TestServer server;
    private static Http admin;
    private static Http user;
    private static String repo;
    private static String username;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        repo = Fixtures.unique("bounds");
        Fixtures.repo(server, repo, false);
        username = Fixtures.unique("bounded");
        Fixtures.user(server, username, "bounded-password");
        Fixtures.grantUser(server, Fixtures.unique("t"), repo, username, "rw");
        user = server.anonymous().basic(username, "bounded-password");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Response form(Http h, String path, String body) {
        return h.header("Content-Type", "application/x-www-form-urlencoded").post(path, body);
    }

    private static Http.Response json(Http h, String path, String body) {
        return h.header("Content-Type", "application/json").post(path, body);
    }

    private static void assert400(Http.Response r, String code, String... mentions) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).as(r.toString()).isEqualTo(code);
        String message = r.json().path("error").path("message").asText();
        for (String m : mentions) {
            assertThat(message).as(r.toString()).contains(m);
        }
        assertThat(r.bytes().length).as("the answer does not echo the input").isLessThan(1024);
    }

    private static int tokenCount() {
        return user.get("/access/api/v1/tokens").json().path("tokens").size();
    }

    // ---- finding 6: dates and numbers

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+1000000000-12-31T23:59:59Z",
                "+999999999-12-31T23:59:59Z",
                "-999999999-01-01T00:00:00Z",
                "10000-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "2200-01-01T00:00:00Z",
                "1969-12-31T23:59:59Z"
            })
    void accessKeyExpiryOutOfRangeIs400(String expiresAt) {
        int before = user.get("/api/access-keys").json().size();
        Http.Response r = json(user, "/api/access-keys", Fixtures.json(Map.of("expiresAt", expiresAt)));
        assert400(r, "body_invalid", "expiresAt");
        assertThat(user.get("/api/access-keys").json()).hasSize(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"since", "until"})
    void auditTimesOutOfRangeAre400(String field) {
        for (String t : List.of(
                "%2B999999999-12-31T23:59:59Z",
                "%2B1000000000-12-31T23:59:59Z",
                "-999999999-01-01T00:00:00Z",
                "1969-12-31T23:59:59Z",
                "x".repeat(5000))) {
            assert400(admin.get("/api/audit?" + field + "=" + t), "parameter_invalid", field);
        }
        assertThat(admin.get("/api/audit?" + field + "=2030-01-01T00:00:00Z").status())
                .isEqualTo(200);
    }

    @Test
    void auditNumbersOutOfRangeAre400() {
        assert400(admin.get("/api/audit?limit=99999999999999999999"), "parameter_invalid", "limit");
        assert400(admin.get("/api/audit?before=99999999999999999999"), "parameter_invalid", "before");
        assert400(admin.get("/api/audit?limit=-1"), "parameter_invalid", "limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "9223372036854775807", "3153600001", "-1", "1e9", "0x10"})
    void expiresInOutOfRangeIs400(String expiresIn) {
        int before = tokenCount();
        Http.Response r =
                form(admin, "/access/api/v1/tokens", "username=" + username + "&expires_in=" + enc(expiresIn));
        assert400(r, "expires_in_invalid", "expires_in");
        assertThat(tokenCount()).isEqualTo(before);
    }

    // ---- findings 7 and 20: scopes and patterns

    private static String items(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "artifact:" + repo + "/d" + i + "/**:r")
                .collect(Collectors.joining(" "));
    }

    @Test
    void aScopeOfFortyThousandQuestionMarksIs400() {
        int before = tokenCount();
        Http.Response r = form(
                user, "/access/api/v1/tokens", "scope=" + enc("artifact:" + repo + "/" + "?".repeat(40_000) + ":r"));
        assert400(r, "scope_invalid", "4096 characters");
        // within the scope's length, the pattern's own bounds
        assert400(
                form(user, "/access/api/v1/tokens", "scope=" + enc("artifact:" + repo + "/" + "?".repeat(2000) + ":r")),
                "scope_invalid",
                "1024 bytes");
        assertThat(tokenCount()).isEqualTo(before);
    }

    @Test
    void aScopeOfTooManyWildcardsIs400() {
        assert400(
                form(user, "/access/api/v1/tokens", "scope=" + enc("artifact:" + repo + "/" + "*?".repeat(17) + ":r")),
                "scope_invalid",
                "32 wildcards");
    }

    @Test
    void aHugeScopeIs400NamingTheLimits() {
        int before = tokenCount();
        // most of a megabyte, sent as curl -d would (':' and '/' need no escape in a form value)
        String huge = "scope=" + items(25_000).replace(' ', '+');
        assertThat(huge.length()).isBetween(500_000, 1_000_000);
        assert400(form(user, "/access/api/v1/tokens", huge), "scope_invalid", "100 items and 4096 characters");
        assert400(
                form(user, "/access/api/v1/tokens", "scope=" + enc(items(101))),
                "scope_invalid",
                "more than 100 items");
        assertThat(tokenCount()).isEqualTo(before);
        Http.Response hundred = form(user, "/access/api/v1/tokens", "scope=" + enc(items(100)));
        assertThat(hundred.status()).as(hundred.toString()).isEqualTo(200);
    }

    @Test
    void aRefusalQuotesOnlyTheStartOfTheScope() {
        Http.Response issued = form(user, "/access/api/v1/tokens", "scope=" + enc(items(100)));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        Http token = server.anonymous().bearer(issued.json().get("access_token").asText());
        Http.Response denied = token.put("/repository/" + repo + "/d1/x.txt", "x");
        assertThat(denied.status()).as(denied.toString()).isEqualTo(403);
        assertThat(denied.json().path("error").path("message").asText())
                .contains("(100 items)")
                .hasSizeLessThan(400);
    }

    private static Map<String, Object> target(List<String> includes, List<String> excludes, Map<String, Object> users) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("repositories", List.of(repo));
        body.put("includePatterns", includes);
        body.put("excludePatterns", excludes);
        body.put("users", users);
        return body;
    }

    @Test
    void permissionTargetsAreBoundedNamingTheField() {
        String name = Fixtures.unique("capped");
        List<String> many =
                IntStream.range(0, 101).mapToObj(i -> "p" + i + "/**").toList();
        assert400(
                admin.putJson("/api/permissions/" + name, Fixtures.json(target(many, List.of(), Map.of()))),
                "permission_invalid",
                "'includePatterns' has more than 100 entries");
        assert400(
                admin.putJson("/api/permissions/" + name, Fixtures.json(target(List.of("**"), many, Map.of()))),
                "permission_invalid",
                "'excludePatterns' has more than 100 entries");
        Map<String, Object> users = new LinkedHashMap<>();
        IntStream.range(0, 1001).forEach(i -> users.put("u" + i, List.of("r")));
        assert400(
                admin.putJson("/api/permissions/" + name, Fixtures.json(target(List.of("**"), List.of(), users))),
                "permission_invalid",
                "'users' has more than 1000 entries");
        assert400(
                admin.putJson(
                        "/api/permissions/" + name,
                        Fixtures.json(target(List.of("?".repeat(2000)), List.of(), Map.of()))),
                "permission_invalid",
                "'includePatterns[0]'",
                "1024 bytes");
        assert400(
                admin.putJson(
                        "/api/permissions/" + name,
                        Fixtures.json(target(List.of("?".repeat(40_000)), List.of(), Map.of()))),
                "body_invalid",
                "'includePatterns[0]' is longer than 16384 characters");
        assert400(
                admin.putJson(
                        "/api/permissions/" + name,
                        Fixtures.json(target(List.of("**"), List.of("*?".repeat(17)), Map.of()))),
                "permission_invalid",
                "'excludePatterns[0]'",
                "32 wildcards");
        assertThat(admin.get("/api/permissions/" + name).status()).isEqualTo(404);
    }

    // ---- JSON bodies, forms and headers in general

    @Test
    void jsonBodiesAreBoundedInDepthEntriesAndStrings() {
        String name = Fixtures.unique("jsonb");
        String deep = "{\"email\":" + "[".repeat(11) + "]".repeat(11) + "}";
        assert400(admin.putJson("/api/users/" + name, deep), "body_invalid", "nested more than 10 levels");
        List<String> groups = new ArrayList<>();
        IntStream.range(0, 10_001).forEach(i -> groups.add("g"));
        assert400(
                admin.putJson("/api/users/" + name, Fixtures.json(Map.of("password", "pw-1234567", "groups", groups))),
                "body_invalid",
                "'groups' has more than 10000 entries");
        assert400(
                admin.putJson(
                        "/api/users/" + name,
                        Fixtures.json(Map.of("password", "pw-1234567", "email", "e".repeat(16_385)))),
                "body_invalid",
                "'email' is longer than 16384 characters");
        assert400(
                admin.putJson("/api/users/" + name, "{\"" + "k".repeat(1025) + "\":1}"),
                "body_invalid",
                "field name is longer than 1024");
        assertThat(admin.get("/api/users/" + name).status()).isEqualTo(404);
    }

    @Test
    void descriptionsAndUsernamesAreBounded() {
        // description_invalid, as for every other refused description (FreeTextInputTest)
        assert400(
                json(user, "/api/access-keys", Fixtures.json(Map.of("description", "d".repeat(1025)))),
                "description_invalid",
                "description");
        assert400(
                form(user, "/access/api/v1/tokens", "description=" + "d".repeat(1025)),
                "description_invalid",
                "description");
        assert400(form(admin, "/access/api/v1/tokens", "username=" + "u".repeat(100_000)), "body_invalid", "username");
        assert400(form(user, "/access/api/v1/tokens", "refreshable=yes"), "body_invalid", "refreshable");
    }

    @Test
    void oversizedBodiesAndHeadersAreRefusedNot500() {
        // just over the limits, so that the server has read all of the request when it answers
        // (a refusal with unread bytes may reset the connection before the client reads it)
        Http.Response header = user.header("X-Big", "h".repeat(9 * 1024)).get("/api/me");
        assertThat(header.status()).as(header.toString()).isEqualTo(431);
        try (TestServer small = TestServer.start(Map.of("max.json", "1k"))) {
            Http.Response body =
                    json(small.admin(), "/api/access-keys", "{\"description\":\"" + "d".repeat(2048) + "\"}");
            assertThat(body.status()).as(body.toString()).isEqualTo(413);
            assertThat(body.errorCode()).isEqualTo("too_large");
            Http.Response form = form(small.admin(), "/access/api/v1/tokens", "description=" + "d".repeat(2048));
            assertThat(form.status()).as(form.toString()).isEqualTo(413);
        }
    }
}
