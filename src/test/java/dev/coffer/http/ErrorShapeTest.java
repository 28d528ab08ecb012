package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** API.md: every error is {"error":{"status","code","message"}} with Content-Type application/json. */
class ErrorShapeTest {
    private static TestServer server;
    private static Http admin;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("max.json", "1k"));
        admin = server.admin();
        Fixtures.repo(server, "r", false);
        Fixtures.put(admin, "/repository/r/x", "x");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Asserts the one error shape and returns the code. */
    static String assertError(Http.Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/json");
        JsonNode err = r.json().path("error");
        assertThat(err.isObject()).as(r.toString()).isTrue();
        assertThat(r.json().size()).as("only 'error' at the top: " + r).isEqualTo(1);
        assertThat(err.path("status").isInt()).isTrue();
        assertThat(err.path("status").asInt()).isEqualTo(status);
        assertThat(err.path("code").asText()).matches("[a-z0-9_]+");
        assertThat(err.path("message").asText()).isNotBlank();
        return err.path("code").asText();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"/nope", "/api/nope", "/api", "/repository", "/api/storage", "/api/users/a/b", "/repositoryx/r/x"
            })
    void unknownRouteIs404Json(String path) {
        assertThat(assertError(admin.get(path), 404)).isEqualTo("not_found");
        assertError(server.anonymous().get(path), 404);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "POST, /api/health",
        "DELETE, /api/health",
        "PATCH, /repository/r/x",
        "POST, /repository/r/x",
        "POST, /api/repositories/r",
        "PATCH, /api/users/admin",
        "POST, /api/storage/r/x"
    })
    void wrongMethodIs405Json(String method, String path) {
        Http.Response r = admin.send(method, path, HttpRequest.BodyPublishers.ofString("{}"));
        assertThat(assertError(r, 405)).isEqualTo("method_not_allowed");
        // the file was not touched by the refused method
        assertThat(admin.get("/repository/r/x").body()).isEqualTo("x");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{not json",
                "[1,2]",
                "\"text\"",
                "{\"description\": 5}",
                "{\"anonymousRead\": \"yes\"}",
                "{\"description\": \"a\"} trailing"
            })
    void invalidJsonBodyIs400BodyInvalid(String body) {
        String name = Fixtures.unique("bad");
        Http.Response r = admin.putJson("/api/repositories/" + name, body);
        assertThat(assertError(r, 400)).isEqualTo("body_invalid");
        assertThat(admin.get("/api/repositories/" + name).status()).isEqualTo(404);
    }

    @Test
    void invalidJsonOnOtherAdminRoutesIs400() {
        assertThat(assertError(admin.putJson("/api/users/u1", "{oops"), 400)).isEqualTo("body_invalid");
        assertThat(assertError(admin.putJson("/api/groups/g1", "{oops"), 400)).isEqualTo("body_invalid");
        assertThat(assertError(admin.putJson("/api/permissions/p1", "{oops"), 400))
                .isEqualTo("body_invalid");
        assertThat(assertError(admin.putJson("/api/users/u1", "{\"groups\": \"devs\"}"), 400))
                .isEqualTo("body_invalid");
    }

    @Test
    void jsonBodyOverTheLimitIs413() {
        String big = "{\"description\":\"" + "d".repeat(2000) + "\"}";
        String name = Fixtures.unique("big");
        Http.Response r = admin.putJson("/api/repositories/" + name, big);
        assertThat(assertError(r, 413)).isEqualTo("too_large");
        assertThat(admin.get("/api/repositories/" + name).status()).isEqualTo(404);

        // without a Content-Length the limit holds while reading
        Http.Response chunked = admin.header("Content-Type", "application/json")
                .putStream(
                        "/api/repositories/" + name,
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)));
        assertThat(assertError(chunked, 413)).isEqualTo("too_large");
        assertThat(admin.get("/api/repositories/" + name).status()).isEqualTo(404);

        assertError(admin.putJson("/api/users/someone", "{\"password\":\"" + "p".repeat(2000) + "\"}"), 413);
        assertThat(admin.putJson("/api/repositories/" + name, "{\"description\":\"small\"}")
                        .status())
                .isEqualTo(201);
    }

    @Test
    void everyKindOfErrorIsJson() {
        Http anonymous = server.anonymous();
        assertError(anonymous.get("/repository/r/x"), 401);
        assertError(anonymous.header("Authorization", "Basic !!").get("/api/me"), 401);
        Fixtures.user(server, "nobody", "nobody-pass");
        assertError(new Http(server.base()).basic("nobody", "nobody-pass").get("/repository/r/x"), 403);
        assertError(admin.get("/repository/r/missing"), 404);
        assertError(admin.get("/repository/nosuch/x"), 404);
        assertError(admin.get("/api/users/nosuch"), 404);
        assertError(admin.get("/api/groups/nosuch"), 404);
        assertError(admin.get("/api/permissions/nosuch"), 404);
        assertError(admin.put("/repository/r/x/child", "c"), 409);
        assertError(admin.header("X-Checksum-Sha1", "0".repeat(40)).put("/repository/r/y", "y"), 409);
        assertError(admin.header("Range", "bytes=100-").get("/repository/r/x"), 416);
        assertError(admin.get("/repository/r/a/%2e%2e/x"), 400);
        assertError(admin.putJson("/api/users/Bad%20Name", "{\"password\":\"p\"}"), 400);
        assertError(admin.putJson("/api/users/newbie", "{}"), 400);
        assertError(admin.putJson("/api/permissions/p", "{\"repositories\":[]}"), 400);
        assertError(admin.putJson("/api/permissions/p", "{\"repositories\":[\"r\"],\"users\":{\"a\":[\"q\"]}}"), 400);
        assertError(admin.delete("/api/users/admin"), 409);
    }

    @Test
    void malformedRequestsJettyRefusesAreJsonToo() {
        RawHttp.Reply r = RawHttp.send(server, "GET", "/api/health HTTP/1.1\r\nBad Header Line\r\nX: y");
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.errorCode()).isNotBlank();
    }
}
