package dev.coffer.http;

import static dev.coffer.testing.Fixtures.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API.md §6: GET /api/audit — every kind of event, never a secret, filters, paging, who may read it. */
class AuditTest {
    private static TestServer server;
    private static Http admin;
    private static Http anon;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        anon = server.anonymous();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http form(Http h) {
        return h.header("Content-Type", "application/x-www-form-urlencoded");
    }

    private static JsonNode audit(String query) {
        Http.Response r = admin.get("/api/audit?" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static List<JsonNode> events(String query) {
        List<JsonNode> out = new ArrayList<>();
        audit(query).path("events").forEach(out::add);
        return out;
    }

    private static JsonNode one(List<JsonNode> events, String action, Predicate<JsonNode> more) {
        List<JsonNode> found = events.stream()
                .filter(e -> e.path("action").asText().equals(action))
                .filter(more)
                .toList();
        assertThat(found).as("event %s in %s", action, events).isNotEmpty();
        return found.get(0);
    }

    /** Polls until an event matching the predicate appears (reads are written in the background). */
    private static JsonNode await(String query, String action, Predicate<JsonNode> more) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            List<JsonNode> events = events(query);
            var found = events.stream()
                    .filter(e -> e.path("action").asText().equals(action))
                    .filter(more)
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            assertThat(System.currentTimeMillis())
                    .as("no %s event appeared: %s", action, events)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void everyKindOfEventIsRecordedWithItsFieldsAndNeverASecret() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(TestServer.ADMIN_PASSWORD));
        String repo = Fixtures.unique("audited");
        String alice = Fixtures.unique("alice");
        String bob = Fixtures.unique("bob");
        String group = Fixtures.unique("grp");
        String target = Fixtures.unique("perm");
        String alicePw = "alice-pw-" + alice + "-Secret!";
        String bobPw = "bob-pw-" + bob + "-Secret!";
        String wrongPw = "wrong-pw-" + alice + "-Guess!";
        secrets.addAll(List.of(alicePw, bobPw, wrongPw));

        Fixtures.repo(server, repo, false);
        Fixtures.group(server, group);
        Fixtures.user(server, alice, alicePw, group);
        Fixtures.user(server, bob, bobPw);
        Fixtures.grantUser(server, target, repo, alice, "rwda");
        Http alicePwd = anon.basic(alice, alicePw).header("User-Agent", "audit-test/1.0");

        // logins: a session (the login's success), a wrong password twice (JSON and Basic)
        Http.Response login = anon.header("Content-Type", "application/json")
                .post("/api/tokens", Fixtures.json(Map.of("username", alice, "password", alicePw)));
        assertThat(login.status()).isEqualTo(200);
        String session = login.json().path("token").asText();
        secrets.add(session);
        assertThat(anon.header("Content-Type", "application/json")
                        .post("/api/tokens", Fixtures.json(Map.of("username", alice, "password", wrongPw)))
                        .status())
                .isEqualTo(401);
        assertThat(anon.basic(alice, wrongPw).get("/api/me").status()).isEqualTo(401);
        assertThat(anon.bearer("cofat_notarealtoken").get("/api/me").status()).isEqualTo(401);

        // credentials: a key, a refreshable token, its refresh, revocations
        Http.Response key = alicePwd.header("Content-Type", "application/json")
                .post("/api/access-keys", Fixtures.json(Map.of("description", "ci")));
        assertThat(key.status()).isEqualTo(201);
        String keyId = key.json().path("id").asText();
        String keySecret = key.json().path("key").asText();
        secrets.add(keySecret);
        Http.Response token = form(alicePwd)
                .post("/access/api/v1/tokens", "refreshable=true&scope=" + enc("artifact:" + repo + "/**:r"));
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        secrets.add(token.json().path("access_token").asText());
        secrets.add(token.json().path("refresh_token").asText());
        Http.Response refreshed = form(anon)
                .post(
                        "/access/api/v1/tokens",
                        "grant_type=refresh_token&refresh_token="
                                + enc(token.json().path("refresh_token").asText()));
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        String newTokenId = refreshed.json().path("token_id").asText();
        secrets.add(refreshed.json().path("access_token").asText());
        secrets.add(refreshed.json().path("refresh_token").asText());
        assertThat(form(anon)
                        .post(
                                "/access/api/v1/tokens",
                                "grant_type=refresh_token&refresh_token="
                                        + enc(token.json().path("refresh_token").asText()))
                        .status())
                .isEqualTo(401);

        // content with the key: create, overwrite, properties, read, delete
        Http withKey = anon.header("X-Auth-AccessKey", keySecret).header("User-Agent", "audit-test/1.0");
        assertThat(withKey.put("/repository/" + repo + "/a/b.txt", "one").status())
                .isEqualTo(201);
        assertThat(withKey.put("/repository/" + repo + "/a/b.txt", "two").status())
                .isEqualTo(200);
        assertThat(withKey.put("/api/storage/" + repo + "/a/b.txt?properties=k=v", "")
                        .status())
                .isEqualTo(204);
        assertThat(withKey.delete("/api/storage/" + repo + "/a/b.txt?properties=k")
                        .status())
                .isEqualTo(204);
        assertThat(withKey.get("/repository/" + repo + "/a/b.txt").status()).isEqualTo(200);
        assertThat(withKey.put("/repository/" + repo + "/gone.txt", "x").status())
                .isEqualTo(201);
        assertThat(withKey.delete("/repository/" + repo + "/gone.txt").status()).isEqualTo(204);

        // denials: a user without rights (403), anonymous (401), a non-admin on an admin route (403)
        assertThat(anon.basic(bob, bobPw)
                        .get("/repository/" + repo + "/a/b.txt")
                        .status())
                .isEqualTo(403);
        assertThat(anon.put("/repository/" + repo + "/a/c.txt", "x").status()).isEqualTo(401);
        assertThat(anon.basic(bob, bobPw).get("/api/users").status()).isEqualTo(403);

        // revocations and the session's end
        assertThat(alicePwd.delete("/api/access-keys/" + keyId).status()).isEqualTo(204);
        assertThat(alicePwd.delete("/access/api/v1/tokens/" + newTokenId).status())
                .isEqualTo(200);
        assertThat(alicePwd.delete("/api/tokens/" + session).status()).isEqualTo(204);

        // administration changes
        Fixtures.user(server, bob, bobPw + "2");
        secrets.add(bobPw + "2");
        assertThat(admin.delete("/api/users/" + bob).status()).isEqualTo(204);
        assertThat(admin.delete("/api/permissions/" + target).status()).isEqualTo(204);
        assertThat(admin.delete("/api/groups/" + group).status()).isEqualTo(204);
        assertThat(admin.putJson("/api/repositories/" + repo, "{\"description\":\"changed\"}")
                        .status())
                .isEqualTo(200);

        JsonNode read = await("limit=1000&username=" + alice, "artifact.read", e -> true);
        assertThat(read.path("repo").asText()).isEqualTo(repo);
        assertThat(read.path("path").asText()).isEqualTo("a/b.txt");
        assertThat(read.path("outcome").asText()).isEqualTo("allowed");
        assertThat(read.path("status").asInt()).isEqualTo(200);
        assertThat(read.path("authenticatedBy").asText()).isEqualTo("access-key");
        assertThat(read.path("credentialId").asText()).isEqualTo(keyId);
        assertThat(read.path("userAgent").asText()).isEqualTo("audit-test/1.0");
        assertThat(read.path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(Instant.parse(read.path("time").asText()))
                .isBefore(Instant.now().plusSeconds(1));

        Http.Response all = admin.get("/api/audit?limit=1000");
        String body = all.body();
        for (String s : secrets) {
            assertThat(body).as("a secret in the audit log").doesNotContain(s);
        }
        List<JsonNode> events = events("limit=1000");
        Predicate<JsonNode> byAlice = e -> e.path("username").asText().equals(alice);
        Predicate<JsonNode> byAdmin = e -> e.path("username").asText().equals("admin");

        JsonNode ok =
                one(events, "login", byAlice.and(e -> e.path("outcome").asText().equals("success")));
        assertThat(ok.path("authenticatedBy").asText()).isEqualTo("password");
        assertThat(ok.path("path").asText()).startsWith("sessions/");
        List<JsonNode> failed = events.stream()
                .filter(e -> e.path("action").asText().equals("login"))
                .filter(byAlice)
                .filter(e -> e.path("outcome").asText().equals("failed"))
                .toList();
        assertThat(failed).hasSize(2).allSatisfy(e -> {
            assertThat(e.path("status").asInt()).isEqualTo(401);
            assertThat(e.path("authenticatedBy").asText()).isEqualTo("password");
        });
        JsonNode badToken = one(
                events, "authenticate", e -> e.path("authenticatedBy").asText().equals("access-token"));
        assertThat(badToken.path("outcome").asText()).isEqualTo("failed");
        assertThat(badToken.path("username").isNull()).isTrue();

        assertThat(one(events, "access-key.create", byAlice).path("path").asText())
                .isEqualTo("access-keys/" + keyId);
        assertThat(one(events, "access-key.revoke", byAlice).path("path").asText())
                .isEqualTo("access-keys/" + keyId);
        assertThat(one(events, "access-token.create", byAlice).path("path").asText())
                .isEqualTo("access-tokens/" + token.json().path("token_id").asText());
        JsonNode refresh = one(
                events, "access-token.refresh", e -> e.path("outcome").asText().equals("success"));
        assertThat(refresh.path("username").asText()).isEqualTo(alice);
        assertThat(refresh.path("authenticatedBy").asText()).isEqualTo("refresh-token");
        assertThat(refresh.path("path").asText()).isEqualTo("access-tokens/" + newTokenId);
        assertThat(one(
                                events,
                                "access-token.refresh",
                                e -> e.path("outcome").asText().equals("failed"))
                        .path("status")
                        .asInt())
                .isEqualTo(401);
        assertThat(one(events, "access-token.revoke", byAlice).path("path").asText())
                .isEqualTo("access-tokens/" + newTokenId);
        assertThat(one(events, "session.revoke", byAlice).path("path").asText()).startsWith("sessions/");

        JsonNode created = one(
                events,
                "artifact.create",
                byAlice.and(e -> e.path("path").asText().equals("a/b.txt")));
        assertThat(created.path("repo").asText()).isEqualTo(repo);
        assertThat(created.path("status").asInt()).isEqualTo(201);
        assertThat(created.path("outcome").asText()).isEqualTo("success");
        assertThat(created.path("authenticatedBy").asText()).isEqualTo("access-key");
        assertThat(created.path("credentialId").asText()).isEqualTo(keyId);
        assertThat(one(events, "artifact.overwrite", byAlice).path("status").asInt())
                .isEqualTo(200);
        assertThat(one(events, "properties.set", byAlice).path("path").asText()).isEqualTo("a/b.txt");
        assertThat(one(events, "properties.delete", byAlice).path("path").asText())
                .isEqualTo("a/b.txt");
        assertThat(one(events, "artifact.delete", byAlice).path("path").asText())
                .isEqualTo("gone.txt");

        JsonNode forbidden = one(
                events,
                "GET /repository/{repo}/<path>",
                e -> e.path("username").asText().equals(bob));
        assertThat(forbidden.path("outcome").asText()).isEqualTo("denied");
        assertThat(forbidden.path("status").asInt()).isEqualTo(403);
        assertThat(forbidden.path("repo").asText()).isEqualTo(repo);
        assertThat(forbidden.path("path").asText()).isEqualTo("a/b.txt");
        JsonNode anonymous = one(
                events,
                "PUT /repository/{repo}/<path>",
                e -> e.path("authenticatedBy").asText().equals("anonymous"));
        assertThat(anonymous.path("status").asInt()).isEqualTo(401);
        assertThat(anonymous.path("outcome").asText()).isEqualTo("denied");
        assertThat(one(
                                events,
                                "GET /api/users",
                                e -> e.path("username").asText().equals(bob))
                        .path("status")
                        .asInt())
                .isEqualTo(403);

        assertThat(one(
                                events,
                                "repository.create",
                                byAdmin.and(e -> e.path("repo").asText().equals(repo)))
                        .path("status")
                        .asInt())
                .isEqualTo(201);
        assertThat(one(
                                events,
                                "repository.update",
                                byAdmin.and(e -> e.path("repo").asText().equals(repo)))
                        .path("status")
                        .asInt())
                .isEqualTo(200);
        one(events, "user.create", byAdmin.and(e -> e.path("path").asText().equals("users/" + alice)));
        one(events, "user.update", byAdmin.and(e -> e.path("path").asText().equals("users/" + bob)));
        one(events, "user.delete", byAdmin.and(e -> e.path("path").asText().equals("users/" + bob)));
        one(events, "group.create", byAdmin.and(e -> e.path("path").asText().equals("groups/" + group)));
        one(events, "group.delete", byAdmin.and(e -> e.path("path").asText().equals("groups/" + group)));
        one(
                events,
                "permission.create",
                byAdmin.and(e -> e.path("path").asText().equals("permissions/" + target)));
        one(
                events,
                "permission.delete",
                byAdmin.and(e -> e.path("path").asText().equals("permissions/" + target)));
        for (JsonNode e : events) {
            assertThat(e.has("id")
                            && e.has("time")
                            && e.has("username")
                            && e.has("authenticatedBy")
                            && e.has("credentialId")
                            && e.has("action")
                            && e.has("repo")
                            && e.has("path")
                            && e.has("outcome")
                            && e.has("status")
                            && e.has("ip")
                            && e.has("userAgent"))
                    .as(e.toString())
                    .isTrue();
        }
    }

    @Test
    void lockoutsAreRecordedAsDenials() {
        try (TestServer s = TestServer.start(Map.of("lockout", "2"))) {
            Fixtures.user(s, "carol", "carol-password");
            Http wrong = s.anonymous().basic("carol", "not-her-password");
            wrong.get("/api/me");
            wrong.get("/api/me");
            assertThat(wrong.get("/api/me").status()).isEqualTo(429);
            Http.Response r = s.admin().get("/api/audit?username=carol");
            List<JsonNode> events = new ArrayList<>();
            r.json().path("events").forEach(events::add);
            JsonNode locked = one(events, "login", e -> e.path("status").asInt() == 429);
            assertThat(locked.path("outcome").asText()).isEqualTo("denied");
            assertThat(locked.path("authenticatedBy").asText()).isEqualTo("password");
            assertThat(r.body()).doesNotContain("not-her-password");
        }
    }

    /** What is typed into the user name field of a failed login may be a password: kept only when an account has it. */
    @Test
    void aFailedLoginNamesOnlyAUserThatExists() {
        String typedPassword = "Tr0ub4dor-" + Fixtures.unique("typed");
        assertThat(anon.basic(typedPassword, "x").get("/api/me").status()).isEqualTo(401);
        Http.Response all = server.admin().get("/api/audit?outcome=failed&limit=1000");
        assertThat(all.body()).doesNotContain(typedPassword);
        assertThat(all.json().path("events").findValuesAsText("action")).contains("login");
    }

    @Test
    void filtersAndPaging() {
        String dave = Fixtures.unique("dave");
        Fixtures.user(server, dave, "dave-password-1");
        Instant before = Instant.now().minusSeconds(1);
        Http daveHttp = anon.basic(dave, "dave-password-1");
        for (int i = 0; i < 7; i++) {
            assertThat(daveHttp.get("/api/users").status()).isEqualTo(403);
        }
        assertThat(anon.basic(dave, "wrong-password").get("/api/me").status()).isEqualTo(401);

        List<JsonNode> denied = events("username=" + dave + "&outcome=denied");
        assertThat(denied).hasSize(7).allSatisfy(e -> {
            assertThat(e.path("username").asText()).isEqualTo(dave);
            assertThat(e.path("outcome").asText()).isEqualTo("denied");
        });
        assertThat(events("username=" + dave + "&outcome=failed")).hasSize(1);
        assertThat(events("username=" + dave)).hasSize(8);
        assertThat(events("username=" + dave + "&since=" + enc(before.toString())))
                .hasSize(8);
        assertThat(events("username=" + dave + "&until=" + enc(before.toString())))
                .isEmpty();
        assertThat(events("username=" + dave + "&since="
                        + enc(Instant.now().plusSeconds(3600).toString())))
                .isEmpty();
        // an offset instead of Z, sent with its '+' unencoded (which arrives as a space)
        assertThat(events("username=" + dave + "&since=2000-01-01T01:00:00+01:00"))
                .hasSize(8);

        // pages of 3, newest first, following "next" to the end
        JsonNode page = audit("username=" + dave + "&limit=3");
        Set<Long> seen = new HashSet<>();
        List<Long> ids = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            page.path("events").forEach(e -> ids.add(e.path("id").asLong()));
            page.path("events")
                    .forEach(e -> assertThat(seen.add(e.path("id").asLong())).isTrue());
            if (page.path("next").isNull()) {
                break;
            }
            assertThat(page.path("events")).hasSize(3);
            String next = page.path("next").asText();
            assertThat(next).startsWith("/api/audit?").contains("before=").contains("username=" + dave);
            Http.Response r = admin.get(next);
            assertThat(r.status()).isEqualTo(200);
            page = r.json();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(8).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(audit("username=" + dave + "&limit=8").path("next").isNull()).isTrue();

        for (String bad : List.of(
                "limit=0",
                "limit=1001",
                "limit=x",
                "since=yesterday",
                "until=2020-01-01",
                "outcome=maybe",
                "before=-1")) {
            Http.Response r = admin.get("/api/audit?" + bad);
            assertThat(r.status()).as(bad + " -> " + r).isEqualTo(400);
        }
        assertThat(audit("").path("events").size()).isLessThanOrEqualTo(100);
    }

    @Test
    void onlyAdministratorsReadTheAuditLog() {
        String erin = Fixtures.unique("erin");
        Fixtures.user(server, erin, "erin-password-1");
        assertThat(anon.basic(erin, "erin-password-1").get("/api/audit").status())
                .isEqualTo(403);
        Http.Response r = anon.get("/api/audit");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"coffer\"");
    }
}
