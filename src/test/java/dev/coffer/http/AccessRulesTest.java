package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** API.md §4 rules 1-3 and §3 for password users. */
class AccessRulesTest {
    private static final String CHALLENGE = "Basic realm=\"coffer\"";

    private static TestServer server;
    private static Http admin;
    private static Http anonymous;
    private static final String PRIV = "priv";
    private static final String PUB = "pub";

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        anonymous = server.anonymous();
        Fixtures.repo(server, PRIV, false);
        Fixtures.repo(server, PUB, true);
        Fixtures.repo(server, "other", false);
        for (String p : List.of(
                "a.txt",
                "com/acme/lib/1.0/lib-1.0.jar",
                "com/acme/lib/1.0-SNAPSHOT/lib-1.0-SNAPSHOT.jar",
                "com/acme/lib/1.0/lib-1.0.jar.secret",
                "com/acme/dir.secret/inner.secret",
                "com/acmefoo/x.jar",
                "org/other/x.jar")) {
            Fixtures.put(admin, "/repository/" + PRIV + "/" + p, p);
        }
        Fixtures.put(admin, "/repository/" + PUB + "/a.txt", "public");
        Fixtures.put(admin, "/repository/other/a.txt", "other");

        Fixtures.user(server, "alice", "alice-pass");
        Fixtures.user(server, "bob", "bob-pass");
        Fixtures.user(server, "carol", "carol-pass");
        Fixtures.group(server, "devs");
        Fixtures.user(server, "dave", "dave-pass", "devs");
        Fixtures.permission(
                server,
                "acme-read",
                PRIV,
                List.of("com/acme/**"),
                List.of("**/*-SNAPSHOT/**", "**/*.secret"),
                Map.of("alice", List.of("r")),
                Map.of());
        Fixtures.permission(
                server, "devs-read", PRIV, List.of("**"), List.of(), Map.of(), Map.of("devs", List.of("r")));
        Fixtures.grantUser(server, "carol-all", PRIV, "carol", "rwdam");
        assertThat(admin.putJson("/api/users/carol", "{\"disabled\":true}").status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http as(String user, String password) {
        return new Http(server.base()).basic(user, password);
    }

    private static void assert401(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.errorCode()).isNotBlank();
    }

    // ---- rule 1: no credentials

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/repository/priv/a.txt",
                "/repository/priv/",
                "/repository/priv/missing.txt",
                "/api/storage/priv/a.txt",
                "/repository/nosuchrepo/a.txt",
                "/api/users/alice",
                "/api/users",
                "/api/permissions",
                "/api/groups",
                "/api/repositories/priv"
            })
    void anonymousReadOfPrivateThingsIs401WithChallenge(String url) {
        assert401(anonymous.get(url));
    }

    @Test
    void anonymousMayReadAnonymousReadRepositoryButNothingElse() {
        Http.Response r = anonymous.get("/repository/pub/a.txt");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("public");
        assertThat(anonymous.head("/repository/pub/a.txt").status()).isEqualTo(200);
        assertThat(anonymous.get("/api/storage/pub/a.txt").status()).isEqualTo(200);
        assertThat(anonymous.get("/repository/pub/").status()).isEqualTo(200);
        assertThat(anonymous.get("/repository/pub/missing.txt").status()).isEqualTo(404);

        assert401(anonymous.put("/repository/pub/new.txt", "x"));
        assert401(anonymous.put("/repository/pub/a.txt", "x"));
        assert401(anonymous.delete("/repository/pub/a.txt"));
        assert401(anonymous.put("/api/storage/pub/a.txt?properties=k=v", ""));
        assert401(anonymous.delete("/api/storage/pub/a.txt?properties=k"));
        assertThat(admin.get("/repository/pub/a.txt").body()).isEqualTo("public");
        assertThat(admin.get("/repository/pub/new.txt").status()).isEqualTo(404);
    }

    // ---- rule 2: bad credentials never fall back to anonymous

    static Stream<Arguments> badCredentials() {
        return Stream.of(
                Arguments.of("wrong password", Http.basicAuthorization("alice:not-her-password")),
                Arguments.of("empty password", Http.basicAuthorization("alice:")),
                Arguments.of("unknown user", Http.basicAuthorization("nobody:whatever")),
                Arguments.of("disabled user", Http.basicAuthorization("carol:carol-pass")),
                Arguments.of("bad base64", "Basic !!!not*base64"),
                Arguments.of("no colon", Http.basicAuthorization("alicealice-pass")),
                Arguments.of("empty Basic", "Basic "),
                Arguments.of("scheme only", "Basic"),
                Arguments.of(
                        "invalid UTF-8",
                        "Basic " + Base64.getEncoder().encodeToString(new byte[] {'a', ':', (byte) 0xff})),
                Arguments.of("unknown scheme", "Digest username=\"alice\""),
                Arguments.of("unknown bearer", "Bearer not-a-real-token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCredentials")
    void badCredentialsAre401EvenWhereAnonymousCouldRead(String what, String authorization) {
        Http client = anonymous.header("Authorization", authorization);
        assert401(client.get("/repository/pub/a.txt"));
        assert401(client.get("/repository/priv/a.txt"));
        assert401(client.get("/api/storage/pub/a.txt"));
        assert401(client.get("/api/repositories"));
        assert401(client.get("/api/me"));
        assertThat(client.get("/repository/pub/a.txt").errorCode()).isEqualTo("credentials_invalid");
    }

    @Test
    void disabledUserWithRightsIs401AndReenablingRestoresAccess() {
        Http carol = as("carol", "carol-pass");
        assert401(carol.get("/repository/priv/a.txt"));
        assert401(carol.put("/repository/priv/carol.txt", "x"));
        assertThat(admin.get("/repository/priv/carol.txt").status()).isEqualTo(404);
    }

    // ---- rule 3: valid credentials without the right

    static Stream<Arguments> deniedToBob() {
        List<Arguments> out = new ArrayList<>();
        for (String[] pair : new String[][] {
            {"/repository/priv/a.txt", "/repository/priv/missing.txt"},
            {"/repository/priv/com/acme/lib/1.0/lib-1.0.jar", "/repository/priv/com/acme/lib/1.0/nope.jar"},
            {"/repository/priv/com/", "/repository/priv/no/such/folder/"},
            {"/api/storage/priv/a.txt", "/api/storage/priv/missing.txt"},
            {"/repository/priv/a.txt", "/repository/nosuchrepo/a.txt"},
        }) {
            for (String method : List.of("GET", "PUT", "DELETE")) {
                out.add(Arguments.of(method, pair[0], pair[1]));
            }
        }
        return out.stream();
    }

    private static Http.Response send(Http c, String method, String url) {
        return switch (method) {
            case "GET" -> c.get(url);
            case "PUT" ->
                url.startsWith("/api/storage/") ? c.put(url + "?properties=k=v", "") : c.put(url, "bob was here");
            case "DELETE" -> url.startsWith("/api/storage/") ? c.delete(url + "?properties=k") : c.delete(url);
            default -> throw new IllegalArgumentException(method);
        };
    }

    @ParameterizedTest(name = "{0} {1} vs {2}")
    @MethodSource("deniedToBob")
    void deniedIsTheSameWhetherThePathExistsOrNot(String method, String existing, String missing) {
        Http bob = as("bob", "bob-pass");
        Http.Response a = send(bob, method, existing);
        Http.Response b = send(bob, method, missing);
        assertThat(a.status()).as(a.toString()).isEqualTo(403);
        assertThat(b.status()).as(b.toString()).isEqualTo(403);
        assertThat(a.errorCode()).isEqualTo(b.errorCode());
        assertThat(a.header("WWW-Authenticate")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "com/acme/lib/1.0/lib-1.0.jar, 200",
        "com/acme/lib/1.0-SNAPSHOT/lib-1.0-SNAPSHOT.jar, 403",
        "com/acme/lib/1.0-SNAPSHOT/missing.jar, 403",
        "com/acme/lib/1.0/lib-1.0.jar.secret, 403",
        "com/acme/lib/1.0/missing.jar.secret, 403",
        "com/acmefoo/x.jar, 403",
        "org/other/x.jar, 403",
        "org/other/missing.jar, 403",
        "a.txt, 403",
        "com/acme/lib/1.0/missing.jar, 404",
        "com/acme/lib/1.0-SNAPSHOT/, 403",
        "com/acme/lib/9.0-SNAPSHOT/, 403",
        "com/acme/dir.secret/, 403",
        "com/acme/nodir.secret/, 403",
        "com/acme/dir.secret, 403",
        "com/acme/nodir.secret, 403",
        "org/, 403",
        "nosuch/, 403",
    })
    void includeAndExcludePatternsAreRespected(String path, int status) {
        Http alice = as("alice", "alice-pass");
        Http.Response r = alice.get("/repository/priv/" + path);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        Http.Response info = alice.get("/api/storage/priv/" + path);
        assertThat(info.status()).as(info.toString()).isEqualTo(status);
        if (status == 200) {
            assertThat(r.body()).isEqualTo(path);
        }
        assertThat(alice.put("/repository/priv/" + path + ".new", "x").status()).isEqualTo(403);
    }

    @Test
    void listingsShowOnlyWhatTheCallerMayRead() {
        Http alice = as("alice", "alice-pass");
        assertThat(childNames(alice.get("/repository/priv/"))).containsExactly("com");
        assertThat(childNames(alice.get("/repository/priv/com/"))).containsExactly("acme");
        assertThat(childNames(alice.get("/repository/priv/com/acme/lib/"))).containsExactly("1.0");
        assertThat(childNames(alice.get("/repository/priv/com/acme/lib/1.0/"))).containsExactly("lib-1.0.jar");
        assertThat(alice.header("Accept", "text/html")
                        .get("/repository/priv/com/acme/lib/")
                        .body())
                .contains("1.0/")
                .doesNotContain("SNAPSHOT");
        assertThat(alice.get("/repository/priv/org/").status()).isEqualTo(403);
        assertThat(childNames(alice.get("/api/storage/priv/com/acme/lib/1.0/"))).containsExactly("lib-1.0.jar");
    }

    private static List<String> childNames(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().path("children").forEach(c -> out.add(c.path("name").asText()));
        return out;
    }

    @Test
    void rightsThroughAGroup() {
        Http dave = as("dave", "dave-pass");
        assertThat(dave.get("/repository/priv/a.txt").status()).isEqualTo(200);
        assertThat(dave.get("/repository/priv/org/other/x.jar").body()).isEqualTo("org/other/x.jar");
        assertThat(dave.put("/repository/priv/dave.txt", "x").status()).isEqualTo(403);
        assertThat(dave.get("/repository/other/a.txt").status()).isEqualTo(403);
    }

    @Test
    void leavingAGroupTakesEffectOnTheNextRequest() {
        Fixtures.group(server, "temps");
        Fixtures.user(server, "tim", "tim-pass", "temps");
        Fixtures.permission(
                server, "temps-read", "other", List.of("**"), List.of(), Map.of(), Map.of("temps", List.of("r")));
        Http tim = as("tim", "tim-pass");
        assertThat(tim.get("/repository/other/a.txt").status()).isEqualTo(200);
        assertThat(admin.putJson("/api/users/tim", "{\"groups\":[]}").status()).isEqualTo(200);
        assertThat(tim.get("/repository/other/a.txt").status()).isEqualTo(403);
    }

    @Test
    void removingThePermissionTargetTakesEffectOnTheNextRequest() {
        Fixtures.user(server, "frank", "frank-pass");
        Fixtures.grantUser(server, "frank-read", "other", "frank", "r");
        Http frank = as("frank", "frank-pass");
        assertThat(frank.get("/repository/other/a.txt").status()).isEqualTo(200);
        assertThat(admin.delete("/api/permissions/frank-read").status()).isEqualTo(204);
        assertThat(frank.get("/repository/other/a.txt").status()).isEqualTo(403);
        assertThat(frank.get("/api/repositories").json().findValuesAsText("name"))
                .doesNotContain("other");
    }

    @Test
    void changingThePasswordStopsTheOldOneAtOnce() {
        Fixtures.user(server, "gina", "old-pass");
        Fixtures.grantUser(server, "gina-read", "other", "gina", "r");
        Http old = as("gina", "old-pass");
        // twice, so the verification is cached
        assertThat(old.get("/repository/other/a.txt").status()).isEqualTo(200);
        assertThat(old.get("/repository/other/a.txt").status()).isEqualTo(200);

        assertThat(admin.putJson("/api/users/gina", "{\"password\":\"new-pass\"}")
                        .status())
                .isEqualTo(200);
        assert401(old.get("/repository/other/a.txt"));
        assertThat(as("gina", "new-pass").get("/repository/other/a.txt").status())
                .isEqualTo(200);
        assert401(old.get("/api/me"));
    }

    @Test
    void disablingAUserStopsACachedPasswordAtOnce() {
        Fixtures.user(server, "hank", "hank-pass");
        Http hank = as("hank", "hank-pass");
        assertThat(hank.get("/api/me").status()).isEqualTo(200);
        assertThat(admin.putJson("/api/users/hank", "{\"disabled\":true}").status())
                .isEqualTo(200);
        assert401(hank.get("/api/me"));
        assertThat(admin.delete("/api/users/hank").status()).isEqualTo(204);
        assert401(hank.get("/api/me"));
    }

    @Test
    void deletedAndRecreatedUserNeedsTheNewPassword() {
        Fixtures.user(server, "ivan", "first-pass");
        assertThat(as("ivan", "first-pass").get("/api/me").status()).isEqualTo(200);
        assertThat(admin.delete("/api/users/ivan").status()).isEqualTo(204);
        Fixtures.user(server, "ivan", "second-pass");
        assert401(as("ivan", "first-pass").get("/api/me"));
        assertThat(as("ivan", "second-pass").get("/api/me").status()).isEqualTo(200);
    }

    @Test
    void adminMayDoEverything() {
        String repo = Fixtures.unique("adm");
        Fixtures.repo(server, repo, false);
        String url = "/repository/" + repo + "/x/y.jar";
        assertThat(admin.put(url, "1").status()).isEqualTo(201);
        assertThat(admin.put(url, "2").status()).isEqualTo(200);
        assertThat(admin.get(url).body()).isEqualTo("2");
        assertThat(admin.put("/api/storage/" + repo + "/x/y.jar?properties=k=v", "")
                        .status())
                .isEqualTo(204);
        assertThat(admin.delete("/api/storage/" + repo + "/x/y.jar?properties=k")
                        .status())
                .isEqualTo(204);
        assertThat(admin.get("/api/repositories/" + repo).json().path("actions").asText())
                .contains("r", "w", "d", "a", "m");
        assertThat(admin.delete(url).status()).isEqualTo(204);
        assertThat(admin.get("/api/users").status()).isEqualTo(200);
        assertThat(admin.get("/api/permissions").status()).isEqualTo(200);
        assertThat(admin.delete("/api/repositories/" + repo).status()).isEqualTo(204);
        assertThat(admin.get("/api/repositories/" + repo).status()).isEqualTo(404);
    }

    @Test
    void repositoryListShowsOnlyRepositoriesWithSomeAction() {
        List<String> anon = anonymous.get("/api/repositories").json().findValuesAsText("name");
        assertThat(anon).contains(PUB).doesNotContain(PRIV, "other");
        anonymous
                .get("/api/repositories")
                .json()
                .forEach(r -> assertThat(r.path("anonymousRead").asBoolean()).isTrue());

        assertThat(as("bob", "bob-pass").get("/api/repositories").json().findValuesAsText("name"))
                .contains(PUB)
                .doesNotContain(PRIV, "other");
        assertThat(as("alice", "alice-pass").get("/api/repositories").json().findValuesAsText("name"))
                .contains(PUB, PRIV)
                .doesNotContain("other");
        assertThat(admin.get("/api/repositories").json().findValuesAsText("name"))
                .contains(PUB, PRIV, "other");

        assertThat(as("alice", "alice-pass").get("/api/repositories/priv").status())
                .isEqualTo(200);
        assertThat(as("bob", "bob-pass").get("/api/repositories/priv").status()).isEqualTo(403);
        assertThat(as("bob", "bob-pass").get("/api/repositories/nosuchrepo").status())
                .isEqualTo(403);
        assertThat(anonymous.get("/api/repositories/pub").status()).isEqualTo(200);
    }

    @Test
    void meForAnonymousAndPasswordUsers() {
        JsonNode anon = anonymous.get("/api/me").json();
        assertThat(anon.path("authenticatedBy").asText()).isEqualTo("anonymous");
        assertThat(anon.path("admin").asBoolean(true)).isFalse();
        assertThat(anon.path("username").isNull()).isTrue();

        Http.Response r = as("dave", "dave-pass").get("/api/me");
        assertThat(r.status()).isEqualTo(200);
        JsonNode dave = r.json();
        assertThat(dave.path("authenticatedBy").asText()).isEqualTo("password");
        assertThat(dave.path("username").asText()).isEqualTo("dave");
        assertThat(dave.path("admin").asBoolean(true)).isFalse();
        assertThat(dave.path("userId").isNull()).isFalse();
        assertThat(dave.path("groups")).hasSize(1);
        assertThat(dave.path("groups").get(0).asText()).isEqualTo("devs");
        for (String field :
                List.of("username", "userId", "admin", "groups", "authenticatedBy", "credentialId", "scope")) {
            assertThat(dave.has(field)).as(field).isTrue();
        }

        JsonNode adm = admin.get("/api/me").json();
        assertThat(adm.path("admin").asBoolean()).isTrue();
        assertThat(adm.path("username").asText()).isEqualTo("admin");
    }

    @Test
    void healthIsOpen() {
        Http.Response r = anonymous.get("/api/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void userAdministrationNeedsAnAdmin() {
        Http alice = as("alice", "alice-pass");
        Http.Response put = alice.putJson("/api/users/mallory", "{\"password\":\"x\",\"admin\":true}");
        assertThat(put.status()).isEqualTo(403);
        assertThat(admin.get("/api/users/mallory").status()).isEqualTo(404);
        assertThat(alice.putJson("/api/users/alice", "{\"admin\":true}").status())
                .isEqualTo(403);
        assertThat(as("alice", "alice-pass").get("/api/me").json().path("admin").asBoolean())
                .isFalse();

        Http.Response self = alice.get("/api/users/alice");
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.json().path("username").asText()).isEqualTo("alice");
        assertThat(alice.get("/api/users/bob").status()).isEqualTo(403);
        assertThat(alice.get("/api/users/nobody").status()).isEqualTo(403);
        assertThat(alice.get("/api/users").status()).isEqualTo(403);
        assertThat(alice.delete("/api/users/bob").status()).isEqualTo(403);
        assertThat(alice.putJson("/api/groups/g", "{}").status()).isEqualTo(403);
        assertThat(alice.putJson("/api/permissions/p", "{\"repositories\":[\"*\"],\"users\":{\"alice\":[\"r\"]}}")
                        .status())
                .isEqualTo(403);
        assertThat(alice.get("/api/permissions").status()).isEqualTo(403);
    }

    @Test
    void anonymousCannotAdministrate() {
        assert401(anonymous.putJson("/api/repositories/x", "{}"));
        assert401(anonymous.putJson("/api/users/x", "{\"password\":\"p\"}"));
        assert401(anonymous.delete("/api/repositories/pub"));
        assertThat(admin.get("/api/repositories/x").status()).isEqualTo(404);
    }

    @Test
    void manageRightUpdatesButDoesNotCreateOrDelete() {
        String repo = Fixtures.unique("managed");
        Fixtures.repo(server, repo, true);
        Fixtures.user(server, "erin", "erin-pass");
        Fixtures.grantUser(server, "erin-manage", repo, "erin", "m");
        Http erin = as("erin", "erin-pass");

        Http.Response upd = erin.putJson("/api/repositories/" + repo, "{\"description\":\"new words\"}");
        assertThat(upd.status()).as(upd.toString()).isEqualTo(200);
        JsonNode now = admin.get("/api/repositories/" + repo).json();
        assertThat(now.path("description").asText()).isEqualTo("new words");
        assertThat(now.path("anonymousRead").asBoolean()).isTrue();

        String fresh = Fixtures.unique("fresh");
        assertThat(erin.putJson("/api/repositories/" + fresh, "{}").status()).isEqualTo(403);
        assertThat(admin.get("/api/repositories/" + fresh).status()).isEqualTo(404);
        assertThat(erin.delete("/api/repositories/" + repo).status()).isEqualTo(403);
        assertThat(erin.putJson("/api/repositories/" + PRIV, "{\"anonymousRead\":true}")
                        .status())
                .isEqualTo(403);
        assertThat(admin.get("/api/repositories/" + PRIV)
                        .json()
                        .path("anonymousRead")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void passwordHashesNeverAppear() {
        String pw = "s3cret-Pa55word-xyz";
        Http.Response created = admin.putJson("/api/users/jane", Fixtures.json(Map.of("password", pw)));
        Http.Response updated = admin.putJson("/api/users/jane", Fixtures.json(Map.of("password", pw + "2")));
        for (Http.Response r : List.of(
                created,
                updated,
                admin.get("/api/users"),
                admin.get("/api/users/jane"),
                as("jane", pw + "2").get("/api/users/jane"),
                as("jane", pw + "2").get("/api/me"))) {
            assertThat(r.status()).as(r.toString()).isIn(200, 201);
            assertThat(r.body().toLowerCase())
                    .doesNotContain("argon2")
                    .doesNotContain("$2a$")
                    .doesNotContain("hash");
            assertThat(r.body()).doesNotContain(pw);
        }
        // nor in the error of a failed login
        Http.Response wrong = as("jane", pw).get("/api/me");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(pw);
    }
}
