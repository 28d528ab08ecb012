package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.Typos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 4 (API.md §4): two credentials of different kinds in one request are 400
 * {@code credentials_ambiguous} before either is validated, whatever their values. The kinds are
 * read from the headers alone (Authorization Basic or Bearer, X-Auth-AccessKey, the X-Auth-Token
 * pair, Circle-Token); before, an Authorization header that could not be read as any credential
 * ({@code Bearer x}, a malformed Basic, an unknown scheme), a Basic with a key as user name, a
 * half session pair or an unreadable Circle-Token was refused (401) on its own before the other
 * credential was even looked at. Every pair is sent to a route (the router) and to a small file
 * (the fast path, which hands refusals to the router), and to an anonymously readable one; nothing
 * is validated: a wrong password is not counted, a key is not marked used.
 */
class CredentialPairsTest {
    private static final String PASSWORD = "pairs-password-1";
    private static final String VICTIM_PASSWORD = "victim-password-1";
    private static TestServer server;
    private static Http user;
    /** Used alone, to show what each credential does. */
    private static Secrets alone;
    /** Used only in pairs: were anything validated, its key would show a last use. */
    private static Secrets paired;

    /** One credential as a client sends it: its kind as the headers show it (null: none), and whether it checks out. */
    record Cred(String name, String kind, boolean valid, Map<String, String> headers) {
        Http on(Http h) {
            Http out = h;
            for (Map.Entry<String, String> e : headers.entrySet()) {
                out = out.header(e.getKey(), e.getValue());
            }
            return out;
        }
    }

    /** One set of the user's secrets. */
    record Secrets(String key, String keyId, String token, String session, String userId) {}

    private static String basic(String user, String password) {
        return Http.basicAuthorization(user, password);
    }

    /** The same secret with one character of its body changed: the right prefix, a wrong checksum. */
    private static String mistyped(String secret) {
        return Typos.mistype(secret);
    }

    @BeforeAll
    static void start() {
        // three failed password logins would lock the name: counted, the pairs below would lock 'victim'
        server = TestServer.start(Map.of("lockout", "3"));
        Fixtures.repo(server, "priv", false);
        Fixtures.repo(server, "pub", true);
        Fixtures.user(server, "pairs", PASSWORD);
        Fixtures.user(server, "victim", VICTIM_PASSWORD);
        Fixtures.grantUser(server, "pairs-reads", "priv", "pairs", "r");
        Fixtures.put(server.admin(), "/repository/priv/a.txt", "small private file");
        Fixtures.put(server.admin(), "/repository/pub/a.txt", "small public file");
        user = server.anonymous().basic("pairs", PASSWORD);
        alone = secrets();
        paired = secrets();
    }

    private static Secrets secrets() {
        Http anon = server.anonymous();
        JsonNode key = user.header("Content-Type", "application/json")
                .post("/api/access-keys", "{}")
                .json();
        String token = user.header("Content-Type", "application/x-www-form-urlencoded")
                .post("/access/api/v1/tokens", "description=pairs")
                .json()
                .path("access_token")
                .asText();
        JsonNode session = anon.header("Content-Type", "application/json")
                .post("/api/tokens", "{\"username\":\"pairs\",\"password\":\"" + PASSWORD + "\"}")
                .json();
        Secrets s = new Secrets(
                key.path("key").asText(),
                key.path("id").asText(),
                token,
                session.path("token").asText(),
                session.path("user_id").asText());
        assertThat(List.of(s.key(), s.keyId(), s.token(), s.session(), s.userId()))
                .allMatch(v -> !v.isEmpty());
        return s;
    }

    private static List<Cred> creds(Secrets s) {
        String key = s.key();
        String token = s.token();
        return List.of(
                new Cred("Basic password", "password", true, Map.of("Authorization", basic("pairs", PASSWORD))),
                new Cred("Basic wrong password", "password", false, Map.of("Authorization", basic("victim", "wrong"))),
                new Cred("Basic owner:key", "access-key", true, Map.of("Authorization", basic("pairs", key))),
                new Cred(
                        "Basic owner:mistyped key",
                        "access-key",
                        false,
                        Map.of("Authorization", basic("pairs", mistyped(key)))),
                new Cred(
                        "Basic key as user name with a password",
                        "access-key",
                        false,
                        Map.of("Authorization", basic(key, "pw"))),
                new Cred("Bearer token", "access-token", true, Map.of("Authorization", "Bearer " + token)),
                new Cred(
                        "Bearer mistyped token",
                        "access-token",
                        false,
                        Map.of("Authorization", "Bearer " + mistyped(token))),
                new Cred("Bearer key", "access-key", true, Map.of("Authorization", "Bearer " + key)),
                new Cred("Bearer x", null, false, Map.of("Authorization", "Bearer x")),
                new Cred("Basic, not base64", null, false, Map.of("Authorization", "Basic %%%")),
                new Cred("Digest", null, false, Map.of("Authorization", "Digest abc")),
                new Cred("X-Auth-AccessKey", "access-key", true, Map.of("X-Auth-AccessKey", key)),
                new Cred("X-Auth-AccessKey mistyped", "access-key", false, Map.of("X-Auth-AccessKey", mistyped(key))),
                new Cred(
                        "session pair",
                        "session-token",
                        true,
                        Map.of("X-Auth-Token", s.session(), "X-Auth-UserId", s.userId())),
                new Cred(
                        "session pair, other user id",
                        "session-token",
                        false,
                        Map.of("X-Auth-Token", s.session(), "X-Auth-UserId", "1")),
                new Cred("X-Auth-Token alone", "session-token", false, Map.of("X-Auth-Token", s.session())),
                new Cred("Circle-Token token", "access-token", true, Map.of("Circle-Token", token)),
                new Cred("Circle-Token key", "access-key", true, Map.of("Circle-Token", key)),
                new Cred("Circle-Token mistyped token", "access-token", false, Map.of("Circle-Token", mistyped(token))),
                new Cred("Circle-Token x", null, false, Map.of("Circle-Token", "x")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Each credential alone does what its row says: the ground the pairs stand on. */
    @Test
    void eachCredentialAloneIsAcceptedOrRefusedAsItsRowSays() {
        for (Cred c : creds(alone)) {
            Http.Response me = c.on(server.anonymous()).get("/api/me");
            if (c.valid()) {
                assertThat(me.status()).as(c.name() + ": " + me).isEqualTo(200);
                assertThat(me.json().path("authenticatedBy").asText())
                        .as(c.name())
                        .isEqualTo(c.kind());
            } else if (!c.name().startsWith("Basic wrong password")) { // never alone: it would count
                assertThat(me.status()).as(c.name() + ": " + me).isEqualTo(401);
            }
        }
    }

    @Test
    void twoCredentialsOfDifferentKindsAreAmbiguousBeforeEitherIsValidated() {
        List<Cred> creds = creds(paired);
        List<String> wrong = new ArrayList<>();
        Set<String> kindsPaired = new TreeSet<>();
        int sent = 0;
        for (int i = 0; i < creds.size(); i++) {
            for (int j = i + 1; j < creds.size(); j++) {
                Cred a = creds.get(i);
                Cred b = creds.get(j);
                boolean sharesAHeader = a.headers().keySet().stream().anyMatch(b.headers()::containsKey);
                boolean sameKind = a.kind() != null && a.kind().equals(b.kind());
                if (sharesAHeader || sameKind) {
                    continue; // one header sent twice, and two of one kind: OneMeaningTest, CredentialRulesTest
                }
                kindsPaired.add((a.valid() ? "valid " : "invalid ") + a.kind() + " + "
                        + (b.valid() ? "valid " : "invalid ") + b.kind());
                for (String path : List.of("/api/me", "/repository/priv/a.txt", "/repository/pub/a.txt")) {
                    for (boolean reversed : new boolean[] {false, true}) {
                        Http h = reversed ? a.on(b.on(server.anonymous())) : b.on(a.on(server.anonymous()));
                        Http.Response r = h.get(path);
                        sent++;
                        if (r.status() != 400 || !"credentials_ambiguous".equals(r.errorCode())) {
                            wrong.add(a.name() + " + " + b.name() + " on " + path + ": " + r.status() + " "
                                    + r.errorCode());
                        }
                    }
                }
            }
        }
        assertThat(wrong).as("of %d requests", sent).isEmpty();
        // every pair of different kinds, each valid and invalid
        for (String k1 : List.of("password", "access-key", "access-token", "session-token")) {
            for (String k2 : List.of("password", "access-key", "access-token", "session-token", "null")) {
                if (k1.equals(k2)) {
                    continue;
                }
                for (String v : List.of("valid ", "invalid ")) {
                    boolean seen = kindsPaired.stream()
                            .anyMatch(p -> p.matches(
                                    "(" + v + k1 + " \\+ \\w+ " + k2 + "|\\w+ " + k2 + " \\+ " + v + k1 + ")"));
                    assertThat(seen).as(v + k1 + " with " + k2).isTrue();
                }
            }
        }
        // nothing was validated: the wrong password was never counted, the key never marked used
        Http.Response victim =
                server.anonymous().basic("victim", VICTIM_PASSWORD).get("/api/me");
        assertThat(victim.status()).as(victim.toString()).isEqualTo(200);
        boolean found = false;
        for (JsonNode k : user.get("/api/access-keys").json()) {
            if (k.path("id").asText().equals(paired.keyId())) {
                found = true;
                assertThat(k.path("lastUsedAt").isNull()).as(k.toString()).isTrue();
            }
        }
        assertThat(found).isTrue();
    }
}
