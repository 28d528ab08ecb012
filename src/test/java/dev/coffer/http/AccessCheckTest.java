package dev.coffer.http;

import static dev.coffer.testing.Fixtures.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API.md §6: GET /api/access/check explains allowed or not, why, and what granted it. */
class AccessCheckTest {
    private static TestServer server;
    private static Http admin;
    private static String libs;
    private static String pub;
    private static String user;
    private static String member;
    private static String group;
    private static String userTarget;
    private static String groupTarget;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        libs = Fixtures.unique("libs");
        pub = Fixtures.unique("pub");
        Fixtures.repo(server, libs, false);
        Fixtures.repo(server, pub, true);
        group = Fixtures.unique("devs");
        Fixtures.group(server, group);
        user = Fixtures.unique("ann");
        member = Fixtures.unique("ben");
        Fixtures.user(server, user, "ann-password");
        Fixtures.user(server, member, "ben-password", group);
        userTarget = Fixtures.unique("ann-target");
        groupTarget = Fixtures.unique("devs-target");
        Fixtures.permission(
                server,
                userTarget,
                libs,
                List.of("com/**"),
                List.of("com/internal/**"),
                Map.of(user, List.of("r", "w")),
                Map.of());
        Fixtures.permission(server, groupTarget, libs, List.of("**"), List.of(), Map.of(), Map.of(group, List.of("r")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode check(Http h, String repo, String path, String action) {
        Http.Response r = h.get("/api/access/check?repo=" + repo + "&path=" + enc(path) + "&action=" + action);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static List<String> matchedBy(JsonNode j) {
        List<String> out = new java.util.ArrayList<>();
        j.path("matchedBy").forEach(m -> out.add(m.asText()));
        return out;
    }

    private static Http ann() {
        return server.anonymous().basic(user, "ann-password");
    }

    @Test
    void anAdministratorMayDoEverything() {
        JsonNode j = check(admin, libs, "any/thing.jar", "d");
        assertThat(j.path("allowed").asBoolean()).isTrue();
        assertThat(j.path("reason").asText()).contains("administrator");
        assertThat(matchedBy(j)).containsExactly("admin");
        assertThat(j.path("username").asText()).isEqualTo("admin");
        assertThat(j.path("repo").asText()).isEqualTo(libs);
        assertThat(j.path("path").asText()).isEqualTo("any/thing.jar");
        assertThat(j.path("action").asText()).isEqualTo("d");
    }

    @Test
    void aUserIsAllowedByTheirTargetAndDeniedWithTheMissingRight() {
        JsonNode allowed = check(ann(), libs, "com/acme/lib.jar", "w");
        assertThat(allowed.path("allowed").asBoolean()).isTrue();
        assertThat(allowed.path("reason").asText()).contains(userTarget);
        assertThat(matchedBy(allowed)).containsExactly("target:" + userTarget + "(user:" + user + ")");

        JsonNode noDelete = check(ann(), libs, "com/acme/lib.jar", "d");
        assertThat(noDelete.path("allowed").asBoolean()).isFalse();
        assertThat(noDelete.path("reason").asText()).contains("'d'").contains(user);
        assertThat(matchedBy(noDelete)).isEmpty();

        JsonNode excluded = check(ann(), libs, "com/internal/x.jar", "r");
        assertThat(excluded.path("allowed").asBoolean()).isFalse();
    }

    @Test
    void aGroupMemberIsAllowedThroughTheGroup() {
        JsonNode j = check(server.anonymous().basic(member, "ben-password"), libs, "org/x.jar", "r");
        assertThat(j.path("allowed").asBoolean()).isTrue();
        assertThat(j.path("reason").asText()).contains(groupTarget).contains(group);
        assertThat(matchedBy(j)).containsExactly("target:" + groupTarget + "(group:" + group + ")");
    }

    @Test
    void anonymousCallersAreExplainedToo() {
        JsonNode pubRead = check(server.anonymous(), pub, "a.txt", "r");
        assertThat(pubRead.path("allowed").asBoolean()).isTrue();
        assertThat(matchedBy(pubRead)).containsExactly("anonymousRead");
        assertThat(pubRead.path("reason").asText()).contains("anonymous read");
        assertThat(pubRead.path("username").isNull()).isTrue();
        assertThat(pubRead.path("authenticatedBy").asText()).isEqualTo("anonymous");

        JsonNode privRead = check(server.anonymous(), libs, "a.txt", "r");
        assertThat(privRead.path("allowed").asBoolean()).isFalse();
        assertThat(privRead.path("reason").asText()).contains("does not allow anonymous read");
        JsonNode pubWrite = check(server.anonymous(), pub, "a.txt", "w");
        assertThat(pubWrite.path("allowed").asBoolean()).isFalse();
        // a user without a grant still reads a public repository
        assertThat(matchedBy(check(ann(), pub, "a.txt", "r"))).containsExactly("anonymousRead");
    }

    @Test
    void aScopedTokenIsExplainedWithItsScope() {
        Http.Response t = ann().header("Content-Type", "application/x-www-form-urlencoded")
                .post("/access/api/v1/tokens", "scope=" + enc("artifact:" + libs + "/com/acme/**:r"));
        assertThat(t.status()).as(t.toString()).isEqualTo(200);
        Http token = server.anonymous().bearer(t.json().path("access_token").asText());

        JsonNode inside = check(token, libs, "com/acme/lib.jar", "r");
        assertThat(inside.path("allowed").asBoolean()).isTrue();
        assertThat(inside.path("reason").asText()).contains("within the token's scope");
        assertThat(matchedBy(inside))
                .containsExactly(
                        "target:" + userTarget + "(user:" + user + ")", "scope:artifact:" + libs + "/com/acme/**:r");
        assertThat(inside.path("authenticatedBy").asText()).isEqualTo("access-token");

        JsonNode write = check(token, libs, "com/acme/lib.jar", "w");
        assertThat(write.path("allowed").asBoolean()).isFalse();
        assertThat(write.path("reason").asText()).contains("scope");
        JsonNode outside = check(token, libs, "com/other/lib.jar", "r");
        assertThat(outside.path("allowed").asBoolean()).isFalse();
        assertThat(outside.path("reason").asText()).contains("scope");
    }

    @Test
    void administratorsMayAskForAnotherUserAsIfWithAPassword() {
        JsonNode j = admin.get("/api/access/check?repo=" + libs + "&path=com/a.jar&action=w&username=" + user)
                .json();
        assertThat(j.path("allowed").asBoolean()).isTrue();
        assertThat(j.path("username").asText()).isEqualTo(user);
        assertThat(j.path("authenticatedBy").asText()).isEqualTo("password");
        assertThat(matchedBy(j)).containsExactly("target:" + userTarget + "(user:" + user + ")");
        JsonNode denied = admin.get("/api/access/check?repo=" + libs + "&path=com/a.jar&action=d&username=" + user)
                .json();
        assertThat(denied.path("allowed").asBoolean()).isFalse();

        assertThat(admin.get("/api/access/check?repo=" + libs + "&path=a&action=r&username=nobody-here")
                        .status())
                .isEqualTo(404);
        // asking about oneself by name is fine for anyone
        assertThat(ann().get("/api/access/check?repo=" + libs + "&path=com/a.jar&action=r&username=" + user)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void othersMayNotAskForAnotherUser() {
        Http.Response r = ann().get("/api/access/check?repo=" + libs + "&path=a&action=r&username=admin");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("forbidden");
        Http.Response anon =
                server.anonymous().get("/api/access/check?repo=" + libs + "&path=a&action=r&username=" + user);
        assertThat(anon.status()).isEqualTo(401);
        assertThat(server.anonymous()
                        .basic(user, "wrong")
                        .get("/api/access/check?repo=" + libs + "&path=a&action=r")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void badParametersAre400() {
        assertThat(admin.get("/api/access/check?repo=" + libs + "&path=a/../b&action=r")
                        .errorCode())
                .isEqualTo("path_invalid");
        assertThat(admin.get("/api/access/check?repo=" + libs + "&path=a//b&action=r")
                        .errorCode())
                .isEqualTo("path_invalid");
        assertThat(admin.get("/api/access/check?repo=bad%2Fname&path=a&action=r")
                        .errorCode())
                .isEqualTo("path_invalid");
        Http.Response badAction = admin.get("/api/access/check?repo=" + libs + "&path=a&action=q");
        assertThat(badAction.status()).isEqualTo(400);
        assertThat(badAction.errorCode()).isEqualTo("action_invalid");
        assertThat(admin.get("/api/access/check?repo=" + libs + "&path=a&action=rw")
                        .status())
                .isEqualTo(400);
        assertThat(admin.get("/api/access/check?path=a&action=r").status()).isEqualTo(400);
        assertThat(admin.get("/api/access/check?repo=" + libs + "&path=a").status())
                .isEqualTo(400);
    }
}
