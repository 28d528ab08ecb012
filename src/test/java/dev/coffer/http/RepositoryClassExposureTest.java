package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * API.md §3 and §9, checklist line 2: adding a member to a virtual repository, pointing a remote at
 * another url and changing a repository's patterns widen exposure, so they need admin or {@code m}
 * and {@code r} over the whole repository, and every added member needs {@code r} over the whole
 * member. Each refusal is a 403 that changes nothing (and says the same whether the member exists);
 * the admin may. Upstream credentials are audited as set/changed, never by value, and appear in no
 * answer, audit record, log line or file of the data folder.
 */
class RepositoryClassExposureTest {
    private static final String PW = "upstream-Pass-9f3c2a";
    private static final String UPSTREAM_USER = "upstream-bot-7d1e";
    private static TestServer server;
    private static Http admin;
    private static ListAppender<ILoggingEvent> logs;
    private static Logger root;

    @BeforeAll
    static void start() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        server = TestServer.start();
        admin = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
        root.detachAppender(logs);
    }

    private static void create(String repo, String json) {
        Fixtures.expect(admin.putJson("/api/repositories/" + repo, json), "create " + repo, 201);
    }

    /** A new user with {@code actions} on {@code repo} through one target with these patterns. */
    private static Http userWith(Map<String, String> actionsByRepo, List<String> includes, List<String> excludes) {
        String name = Fixtures.unique("xu");
        Fixtures.user(server, name, name + "-pass");
        actionsByRepo.forEach((repo, actions) -> Fixtures.permission(
                server,
                Fixtures.unique(name + "-t"),
                repo,
                includes,
                excludes,
                Map.of(name, Fixtures.letters(actions)),
                Map.of()));
        return server.anonymous().basic(name, name + "-pass");
    }

    private static Http token(Http owner, String scope) {
        String token = Fixtures.expect(
                        Fixtures.postJson(owner, "/access/api/v1/tokens", Map.of("scope", scope, "expires_in", 600)),
                        "token " + scope,
                        200)
                .json()
                .get("access_token")
                .asText();
        return server.anonymous().bearer(token);
    }

    /** 403 forbidden naming {@code mentions}, and the repository as it was. */
    private static void forbidden(Http who, String repo, String json, String... mentions) {
        String before = admin.get("/api/repositories/" + repo).body();
        Http.Response r = who.putJson("/api/repositories/" + repo, json);
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("forbidden");
        for (String m : mentions) {
            assertThat(r.json().path("error").path("message").asText()).contains(m);
        }
        assertThat(admin.get("/api/repositories/" + repo).body())
                .as("unchanged")
                .isEqualTo(before);
    }

    private static JsonNode ok(Http who, String repo, String json) {
        Http.Response r = who.putJson("/api/repositories/" + repo, json);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /**
     * The newest audit event of {@code repo} that is not a read: audited reads are written in
     * batches, so one may land after a settings change it preceded.
     */
    private static JsonNode lastEvent(String repo) {
        for (JsonNode e : admin.get("/api/audit?limit=1000").json().path("events")) {
            if (repo.equals(e.path("repo").asText(null))
                    && !e.path("action").asText().startsWith("artifact.")) {
                return e;
            }
        }
        throw new AssertionError("no audit event of " + repo);
    }

    @Test
    void addingAMemberNeedsTheWholeVirtualAndReadOverTheWholeMember() {
        String virt = Fixtures.unique("virt");
        String member = Fixtures.unique("member");
        create(member, "{}");
        Fixtures.put(admin, "/repository/" + member + "/secret.txt", "member content");
        create(virt, "{\"rclass\":\"virtual\"}");

        // m on the virtual's folder only: not the whole virtual
        Http folderManager = userWith(Map.of(virt, "mr", member, "r"), List.of("settings/**"), List.of());
        forbidden(folderManager, virt, "{\"repositories\":[\"" + member + "\"]}", "repositories", "every path");

        // the whole virtual, but no read on the member
        Http noMemberRead = userWith(Map.of(virt, "mr"), List.of("**"), List.of());
        forbidden(noMemberRead, virt, "{\"repositories\":[\"" + member + "\"]}", "'" + member + "'", "read (r)");
        // the same answer for a member that does not exist: no existence oracle
        forbidden(noMemberRead, virt, "{\"repositories\":[\"no-such-repo\"]}", "'no-such-repo'", "read (r)");

        // read on the member, but with an exclude: not the whole member
        String name = Fixtures.unique("xe");
        Fixtures.user(server, name, name + "-pass");
        Fixtures.permission(
                server, name + "-v", virt, List.of("**"), List.of(), Map.of(name, List.of("m", "r")), Map.of());
        Fixtures.permission(
                server,
                name + "-m",
                member,
                List.of("**"),
                List.of("private/**"),
                Map.of(name, List.of("r")),
                Map.of());
        forbidden(
                server.anonymous().basic(name, name + "-pass"),
                virt,
                "{\"repositories\":[\"" + member + "\"]}",
                "'" + member + "'");

        // both whole: allowed, audited, and the member's content now answers through the virtual's members
        Http owner = userWith(Map.of(virt, "mr", member, "r"), List.of("**"), List.of());
        // ... but not with a token scoped to the virtual alone
        forbidden(
                token(owner, "artifact:" + virt + "/**:m,r"),
                virt,
                "{\"repositories\":[\"" + member + "\"]}",
                "'" + member + "'");
        JsonNode saved = ok(owner, virt, "{\"repositories\":[\"" + member + "\"]}");
        assertThat(saved.path("repositories").toString()).isEqualTo("[\"" + member + "\"]");
        JsonNode e = lastEvent(virt);
        assertThat(e.path("action").asText()).isEqualTo("repository.update");
        assertThat(e.path("change").path("repositories").toString())
                .isEqualTo("{\"before\":[],\"after\":[\"" + member + "\"]}");

        // narrowing needs only m, as before: removing and reordering
        Http managerOnly = userWith(Map.of(virt, "m"), List.of("settings/**"), List.of());
        ok(managerOnly, virt, "{\"repositories\":[]}");
    }

    @Test
    void aNewUrlOrNewPatternsNeedTheWholeRepositoryAndTheAdminMay() {
        String remote = Fixtures.unique("rem");
        create(remote, "{\"rclass\":\"remote\",\"url\":\"https://a.example/m\"}");
        Http folderManager = userWith(Map.of(remote, "mr"), List.of("com/**"), List.of());
        forbidden(folderManager, remote, "{\"url\":\"https://b.example/m\"}", "url");
        forbidden(folderManager, remote, "{\"includePatterns\":[\"com/**\"]}", "includePatterns");
        forbidden(folderManager, remote, "{\"excludesPattern\":\"org/**\"}", "excludePatterns");
        forbidden(userWith(Map.of(remote, "m"), List.of("**"), List.of()), remote, "{\"url\":\"https://b.example/m\"}");
        // settings that widen nothing need only m
        JsonNode narrow = ok(folderManager, remote, "{\"cacheSeconds\":5,\"offline\":true,\"description\":\"x\"}");
        assertThat(narrow.path("cacheSeconds").asLong()).isEqualTo(5);

        Http owner = userWith(Map.of(remote, "mr"), List.of("**"), List.of());
        assertThat(ok(owner, remote, "{\"url\":\"https://b.example/m\"}")
                        .path("url")
                        .asText())
                .isEqualTo("https://b.example/m");
        assertThat(lastEvent(remote).path("change").path("url").toString())
                .isEqualTo("{\"before\":\"https://a.example/m\",\"after\":\"https://b.example/m\"}");

        JsonNode byAdmin = ok(
                admin,
                remote,
                "{\"url\":\"https://c.example/m\",\"includePatterns\":[\"org/**\"],\"excludePatterns\":[\"org/x/**\"]}");
        assertThat(byAdmin.path("includePatterns").toString()).isEqualTo("[\"org/**\"]");
        String virt = Fixtures.unique("avirt");
        create(virt, "{\"rclass\":\"virtual\",\"repositories\":[\"" + remote + "\"]}");
        assertThat(lastEvent(virt).path("change").path("repositories").toString())
                .isEqualTo("{\"before\":null,\"after\":[\"" + remote + "\"]}");
    }

    @Test
    void upstreamCredentialsAreNeverShownAuditedOrLogged() throws IOException {
        String remote = Fixtures.unique("creds");
        Http.Response created = admin.putJson(
                "/api/repositories/" + remote,
                "{\"rclass\":\"remote\",\"url\":\"https://up.example/m\",\"username\":\"" + UPSTREAM_USER
                        + "\",\"password\":\"" + PW + "\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode createEvent = lastEvent(remote).path("change");
        assertThat(createEvent.path("username").toString()).isEqualTo("{\"before\":null,\"after\":\"set\"}");
        assertThat(createEvent.path("password").toString()).isEqualTo("{\"before\":null,\"after\":\"set\"}");

        // a user who may manage it changes the password (no widening): audited as "changed"
        Http manager = userWith(Map.of(remote, "m"), List.of("**"), List.of());
        ok(manager, remote, "{\"password\":\"" + PW + "-new\"}");
        assertThat(lastEvent(remote).path("change").toString())
                .isEqualTo("{\"password\":{\"before\":\"set\",\"after\":\"changed\"}}");
        ok(admin, remote, "{\"password\":\"\",\"username\":\"\"}");
        assertThat(lastEvent(remote).path("change").toString())
                .isEqualTo("{\"username\":{\"before\":\"set\",\"after\":\"none\"},"
                        + "\"password\":{\"before\":\"set\",\"after\":\"none\"}}");
        ok(admin, remote, "{\"password\":\"" + PW + "\",\"username\":\"" + UPSTREAM_USER + "\"}");
        // refusals do not echo them either
        for (String bad : List.of(
                "{\"username\":\"a:" + UPSTREAM_USER + "\",\"password\":\"" + PW + "\"}",
                "{\"username\":\"" + UPSTREAM_USER + "\",\"password\":\"" + PW + "\\n\"}",
                "{\"url\":\"https://" + UPSTREAM_USER + ":" + PW + "@up.example/m\"}",
                "{\"url\":\"https://elsewhere.example/m\"}",
                "{\"password\":\"" + PW + "\",\"nonsense\":1}")) {
            Http.Response r = admin.putJson("/api/repositories/" + remote, bad);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.body()).doesNotContain(PW).doesNotContain(UPSTREAM_USER);
        }

        List<String> texts = new ArrayList<>();
        texts.add(admin.get("/api/audit?limit=1000").body());
        texts.add(admin.get("/api/repositories/" + remote).body());
        texts.add(admin.get("/api/repositories").body());
        texts.add(manager.get("/api/repositories/" + remote).body());
        texts.add(server.output);
        synchronized (logs) {
            for (ILoggingEvent e : new ArrayList<>(logs.list)) {
                texts.add(e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
            }
        }
        for (String t : texts) {
            assertThat(t).doesNotContain(PW).doesNotContain(UPSTREAM_USER);
        }
        if (server.onFileStore()) {
            // the embedded database, its WAL and the access log: the password is there only sealed
            // (the user name is stored as it is: write-only means never shown, not encrypted)
            try (Stream<Path> files = Files.walk(server.data())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
                            .as(f.toString())
                            .doesNotContain(PW);
                }
            }
        }
    }
}
