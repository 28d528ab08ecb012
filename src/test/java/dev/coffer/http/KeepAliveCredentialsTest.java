package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.KeepAliveSocket;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.Typos;
import dev.coffer.token.Secrets;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16: the credential a request carries is the exact bytes it sent, whatever the same
 * connection sent before. Jetty caches header fields per connection (Authorization among them)
 * and by default matches the cache case-insensitively, so a request whose Authorization differed
 * from an earlier one on the same connection only in the case of letters was handed the earlier
 * value: a valid key after a mistyped one ({@code ...a...} after {@code ...A...}) was rejected as
 * "malformed or mistyped", and a mistyped one after the valid one was accepted as the valid one.
 */
class KeepAliveCredentialsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "keepalive-user";
    private static final String PASSWORD = "keepalive-pass";

    private static TestServer server;
    private static String key;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        Fixtures.repo(server, "priv", false);
        Fixtures.repo(server, "pub", true);
        Fixtures.put(server.admin(), "/repository/priv/a.txt", "private");
        Fixtures.put(server.admin(), "/repository/pub/a.txt", "public");
        Fixtures.user(server, USER, PASSWORD);
        Fixtures.grantUser(server, "keepalive-priv", "priv", USER, "r");
        Http pw = server.anonymous().basic(USER, PASSWORD);
        key = Fixtures.key(pw, Map.of("description", "k")).get("key").asText();
        token = Fixtures.token(pw, "description=t").get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Each transport: the valid header line, and the same line with the case of one letter changed. */
    static Stream<Arguments> pairs() {
        String basicPassword = Http.basicAuthorization(USER, PASSWORD);
        String basicKey = Http.basicAuthorization(USER, key);
        return Stream.of(
                Arguments.of(
                        "Bearer key", "Authorization: Bearer " + key, "Authorization: Bearer " + Typos.flipCase(key)),
                Arguments.of(
                        "Bearer token",
                        "Authorization: Bearer " + token,
                        "Authorization: Bearer " + Typos.flipCase(token)),
                Arguments.of(
                        "Basic owner:key", "Authorization: " + basicKey, "Authorization: " + Typos.flipBasic(basicKey)),
                Arguments.of(
                        "Basic password",
                        "Authorization: " + basicPassword,
                        "Authorization: " + Typos.flipBasic(basicPassword)),
                Arguments.of(
                        "X-Auth-AccessKey", "X-Auth-AccessKey: " + key, "X-Auth-AccessKey: " + Typos.flipCase(key)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void aValidCredentialAfterItsMistypedTwinOnOneConnectionIsAccepted(String name, String valid, String mistyped) {
        try (KeepAliveSocket c = new KeepAliveSocket(server.port())) {
            assertRejected(c, mistyped);
            assertAccepted(c, valid);
            assertThat(c.connections()).as("all on one connection").isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void aMistypedCredentialAfterItsValidTwinOnOneConnectionIsRejected(String name, String valid, String mistyped) {
        try (KeepAliveSocket c = new KeepAliveSocket(server.port())) {
            assertAccepted(c, valid);
            assertRejected(c, mistyped);
            assertThat(c.connections()).as("all on one connection").isEqualTo(1);
        }
    }

    /**
     * The flake of issue 16 exactly as CredentialRulesTest met it: {@code mistype} turns the
     * character 20 from the end into 'A' (or 'B'), a change of case only when that character was
     * 'a' (one key in 62). With such a key, mistypedIs401[BEARER_KEY] and then
     * validCredentialIdentifiesTheCallerAndReads[BEARER_KEY] on the tests' shared keep-alive
     * HttpClient got "401 malformed or mistyped access key" for the valid key.
     */
    @org.junit.jupiter.api.Test
    void theSuitesSequenceWithAKeyWhoseMistypeOnlyChangesCase() {
        Http pw = server.anonymous().basic(USER, PASSWORD);
        String caseOnly = null;
        for (int i = 0; i < 2000 && caseOnly == null; i++) {
            Http.Response k = Fixtures.postJson(pw, "/api/access-keys", Map.of("description", "k" + i));
            assertThat(k.status()).as(k.toString()).isEqualTo(201);
            String candidate = k.json().get("key").asText();
            if (candidate.charAt(candidate.length() - 20) == 'a') {
                caseOnly = candidate;
            }
        }
        assertThat(caseOnly).as("a key with 'a' 20 characters from its end").isNotNull();
        String mistyped = Typos.mistype(caseOnly);
        assertThat(mistyped).isNotEqualTo(caseOnly).isEqualToIgnoringCase(caseOnly);
        assertThat(Secrets.verifyFormat(mistyped)).isEmpty();

        CredentialRulesTest.assertRejectedEverywhere(server.anonymous().bearer(mistyped));
        Http valid = server.anonymous().bearer(caseOnly);
        Http.Response me = valid.get("/api/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("username").asText()).isEqualTo(USER);
        assertThat(me.json().get("authenticatedBy").asText()).isEqualTo("access-key");
        Http.Response read = valid.get("/repository/priv/a.txt");
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("private");
    }

    private static void assertAccepted(KeepAliveSocket c, String header) {
        RawHttp.Reply me = c.send("GET", "/api/me", List.of(header));
        assertThat(me.status()).as("GET /api/me: %s", me).isEqualTo(200);
        assertThat(json(me).get("username").asText()).isEqualTo(USER);
        // a small file: the fast path on the selector thread
        RawHttp.Reply file = c.send("GET", "/repository/priv/a.txt", List.of(header));
        assertThat(file.status()).as("GET file: %s", file).isEqualTo(200);
        assertThat(file.text()).isEqualTo("private");
        RawHttp.Reply head = c.send("HEAD", "/repository/priv/a.txt", List.of(header));
        assertThat(head.status()).as("HEAD file").isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("7");
    }

    private static void assertRejected(KeepAliveSocket c, String header) {
        for (String target : List.of("/api/me", "/repository/priv/a.txt")) {
            RawHttp.Reply r = c.send("GET", target, List.of(header));
            assertThat(r.status()).as("GET %s: %s", target, r).isEqualTo(401);
            assertThat(json(r).path("error").path("code").asText()).isEqualTo("credentials_invalid");
            RawHttp.Reply head = c.send("HEAD", target, List.of(header));
            assertThat(head.status()).as("HEAD %s", target).isEqualTo(401);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode json(RawHttp.Reply r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r, e);
        }
    }
}
