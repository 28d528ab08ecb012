package dev.coffer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Some of everything that moving a Coffer's data (coffer migrate, backup and restore) must carry
 * over: repository libs and the public pub, group devs, user ci in it with permission target
 * libs-deploy, jars with build properties uploaded by ci, one content under two paths, a property,
 * and ci's access key, refreshable access token and session.
 *
 * @param files the uploaded bytes by download path
 */
public record SampleData(
        Map<String, byte[]> files, String key, String token, String refresh, String session, String sessionUserId) {
    /** {@code count} jars from {@code seed}: jar bigIndex has bigSize bytes, the others minSize + less than spread. */
    public record Jars(int count, long seed, int bigIndex, int bigSize, int minSize, int spread) {}

    /** What a server said about the data: each file's /api/storage info, and the listings. */
    public record Snapshot(Map<String, JsonNode> storage, Map<String, String> listings) {}

    private static final List<String> LISTINGS = List.of(
            "/api/repositories",
            "/api/users",
            "/api/groups",
            "/api/permissions",
            "/api/users/ci",
            "/api/permissions/libs-deploy",
            "/api/storage/libs/app/");

    public static SampleData fill(Server s, Jars jars) {
        Http admin = s.admin();
        Fixtures.repo(s, "libs", false);
        Fixtures.repo(s, "pub", true);
        Fixtures.group(s, "devs");
        Fixtures.user(s, "ci", "ci-password", "devs");
        Fixtures.permission(
                s,
                "libs-deploy",
                "libs",
                List.of("**"),
                List.of(),
                Map.of("ci", List.of("r", "w", "a")),
                Map.of("devs", List.of("r")));

        Map<String, byte[]> files = new LinkedHashMap<>();
        Http ci = s.anonymous().basic("ci", "ci-password");
        Random random = new Random(jars.seed());
        for (int i = 0; i < jars.count(); i++) {
            int size = i == jars.bigIndex() ? jars.bigSize() : jars.minSize() + random.nextInt(jars.spread());
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            String path = "/repository/libs/app/" + i + "/app-" + i + ".jar";
            Fixtures.expect(ci.put(path + ";build.name=app;build.number=" + i, bytes), "upload " + path, 201);
            files.put(path, bytes);
        }
        byte[] same = "the same content twice".getBytes(StandardCharsets.UTF_8);
        for (String path : List.of("/repository/pub/a.txt", "/repository/pub/b/c.txt")) {
            Fixtures.expect(admin.put(path, same), "upload " + path, 201);
            files.put(path, same);
        }
        Fixtures.expect(
                admin.put("/api/storage/pub/a.txt?properties=release=yes;qa=passed", new byte[0]),
                "set properties",
                200,
                204);

        String key =
                Fixtures.key(ci, Map.of("description", "laptop")).path("key").asText();
        JsonNode t = Fixtures.token(ci, "scope=artifact:libs/**:r&refreshable=true");
        JsonNode session = Fixtures.session(s, "ci", "ci-password");
        SampleData data = new SampleData(
                files,
                key,
                t.path("access_token").asText(),
                t.path("refresh_token").asText(),
                session.path("token").asText(),
                session.path("user_id").asText());
        assertThat(data.key()).startsWith("cofak_");
        assertThat(data.token()).startsWith("cofat_");
        assertThat(data.refresh()).startsWith("cofrt_");
        assertThat(data.session()).startsWith("cofst_");
        return data;
    }

    public Snapshot snapshot(Http admin) {
        Map<String, JsonNode> storage = new LinkedHashMap<>();
        for (String path : files.keySet()) {
            storage.put(
                    path,
                    admin.get(path.replace("/repository/", "/api/storage/")).json());
        }
        Map<String, String> listings = new LinkedHashMap<>();
        for (String l : LISTINGS) {
            listings.put(l, admin.get(l).body());
        }
        return new Snapshot(storage, listings);
    }

    /** The server holds the same bytes, file infos and listings as {@code before}. */
    public void assertServedAsIn(Snapshot before, Http admin) {
        for (var e : files.entrySet()) {
            Http.Response got = admin.get(e.getKey());
            assertThat(got.status()).as(e.getKey()).isEqualTo(200);
            assertThat(got.bytes()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(admin.get(e.getKey().replace("/repository/", "/api/storage/"))
                            .json())
                    .as(e.getKey())
                    .isEqualTo(before.storage().get(e.getKey()));
        }
        for (var e : before.listings().entrySet()) {
            assertThat(admin.get(e.getKey()).body()).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    /** Who each of ci's credentials (password, key, token, session) is on the server at {@code base}, as user/kind. */
    public List<String> identities(String base) {
        List<String> by = new ArrayList<>();
        for (Http h : List.of(
                new Http(base).basic("ci", "ci-password"),
                new Http(base).header("X-Auth-AccessKey", key),
                new Http(base).bearer(token),
                new Http(base).header("X-Auth-Token", session).header("X-Auth-UserId", sessionUserId))) {
            JsonNode me = Fixtures.me(h);
            by.add(me.path("username").asText() + "/"
                    + me.path("authenticatedBy").asText());
        }
        return by;
    }

    /** A new access token for the refresh token: it still works. */
    public void assertRefreshWorks(String base) {
        JsonNode refreshed = Fixtures.token(new Http(base), "grant_type=refresh_token&refresh_token=" + refresh);
        assertThat(refreshed.path("access_token").asText()).startsWith("cofat_");
    }
}
