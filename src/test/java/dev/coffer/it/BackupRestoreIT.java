package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Http;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * coffer backup while the server runs and writes, coffer restore into a new folder, and a server
 * there that holds the same files, properties, users, groups, permissions and credentials.
 */
class BackupRestoreIT {
    private static final String PW = "backup-admin-pw";

    @Test
    void backupOfARunningServerRestoresEverything(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path restored = tmp.resolve("restored");
        Path backup = tmp.resolve("backups/coffer.zip");
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, JsonNode> storage = new LinkedHashMap<>();
        Map<String, String> listings = new LinkedHashMap<>();
        String key;
        String token;
        String refresh;
        String session;
        String sessionUserId;
        try (CofferProcess c = CofferProcess.start(data, List.of(), Map.of("COFFER_ADMIN_PASSWORD", PW))) {
            Http admin = new Http(c.base()).basic("admin", PW);
            assertThat(admin.putJson("/api/repositories/libs", "{\"description\":\"release builds\"}").status()).isEqualTo(201);
            assertThat(admin.putJson("/api/repositories/pub", "{\"anonymousRead\":true}").status()).isEqualTo(201);
            assertThat(admin.putJson("/api/groups/devs", "{\"description\":\"developers\"}").status()).isIn(200, 201);
            assertThat(admin.putJson("/api/users/ci", "{\"password\":\"ci-password\",\"groups\":[\"devs\"]}").status())
                    .isEqualTo(201);
            assertThat(admin.putJson("/api/permissions/libs-deploy", "{\"repositories\":[\"libs\"],"
                    + "\"includePatterns\":[\"**\"],\"users\":{\"ci\":[\"r\",\"w\",\"a\"]},\"groups\":{\"devs\":[\"r\"]}}")
                    .status()).isIn(200, 201);
            Http ci = new Http(c.base()).basic("ci", "ci-password");
            Random random = new Random(42);
            for (int i = 0; i < 20; i++) {
                byte[] bytes = new byte[i == 7 ? 3 * 1024 * 1024 : 100 + random.nextInt(5000)];
                random.nextBytes(bytes);
                String path = "/repository/libs/app/" + i + "/app-" + i + ".jar";
                assertThat(ci.put(path + ";build.name=app;build.number=" + i, bytes).status()).isEqualTo(201);
                files.put(path, bytes);
            }
            byte[] same = "the same content twice".getBytes(StandardCharsets.UTF_8);
            assertThat(admin.put("/repository/pub/a.txt", same).status()).isEqualTo(201);
            assertThat(admin.put("/repository/pub/b/c.txt", same).status()).isEqualTo(201);
            files.put("/repository/pub/a.txt", same);
            files.put("/repository/pub/b/c.txt", same);
            assertThat(admin.put("/api/storage/pub/a.txt?properties=release=yes;qa=passed", new byte[0]).status())
                    .isIn(200, 204);

            JsonNode k = ci.post("/api/access-keys", "{\"description\":\"laptop\"}").json();
            key = k.path("key").asText();
            JsonNode t = ci.header("Content-Type", "application/x-www-form-urlencoded")
                    .post("/access/api/v1/tokens", "scope=artifact:libs/**:r&refreshable=true").json();
            token = t.path("access_token").asText();
            refresh = t.path("refresh_token").asText();
            JsonNode s = new Http(c.base()).post("/api/tokens", "{\"username\":\"ci\",\"password\":\"ci-password\"}").json();
            session = s.path("token").asText();
            sessionUserId = s.path("user_id").asText();
            assertThat(key).startsWith("cofak_");
            assertThat(token).startsWith("cofat_");
            assertThat(refresh).startsWith("cofrt_");
            assertThat(session).startsWith("cofst_");

            for (String path : files.keySet()) {
                storage.put(path, admin.get(path.replace("/repository/", "/api/storage/")).json());
            }
            for (String l : List.of("/api/repositories", "/api/users", "/api/groups", "/api/permissions",
                    "/api/users/ci", "/api/permissions/libs-deploy", "/api/storage/libs/app/")) {
                listings.put(l, admin.get(l).body());
            }

            // the backup runs while clients keep writing and deleting
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger written = new AtomicInteger();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    byte[] b = ("busy " + i).getBytes(StandardCharsets.UTF_8);
                    if (admin.put("/repository/pub/busy/" + i + ".txt", b).status() == 201) {
                        written.incrementAndGet();
                    }
                    if (i > 0) {
                        admin.delete("/repository/pub/busy/" + (i - 1) + ".txt");
                    }
                }
            });
            writer.start();
            Cli.Result r;
            try {
                r = Cli.run("backup", "--data", data.toString(), "--to", backup.toString());
            } finally {
                stop.set(true);
                writer.join();
            }
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).contains("backed up");
            assertThat(backup).isRegularFile();
            assertThat(written.get()).isPositive();

            // a restore never goes into a folder in use
            Cli.Result refused = Cli.run("restore", "--from", backup.toString(), "--data", data.toString());
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("not empty");
        }

        Cli.Result r = Cli.run("restore", "--from", backup.toString(), "--data", restored.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("0 problems");
        assertThat(Cli.run("verify", "--data", restored.toString()).code()).isZero();

        try (CofferProcess c = CofferProcess.start(restored, List.of(), Map.of("COFFER_ADMIN_PASSWORD", "not-used"))) {
            Http admin = new Http(c.base()).basic("admin", PW);
            assertThat(admin.get("/api/me").status()).isEqualTo(200);
            for (var e : files.entrySet()) {
                Http.Response got = admin.get(e.getKey());
                assertThat(got.status()).as(e.getKey()).isEqualTo(200);
                assertThat(got.bytes()).as(e.getKey()).isEqualTo(e.getValue());
                JsonNode info = admin.get(e.getKey().replace("/repository/", "/api/storage/")).json();
                assertThat(info).as(e.getKey()).isEqualTo(storage.get(e.getKey()));
            }
            assertThat(storage.get("/repository/libs/app/3/app-3.jar").path("properties").path("build.number").toString())
                    .contains("3");
            assertThat(storage.get("/repository/pub/a.txt").path("properties").path("qa").toString()).contains("passed");
            for (var e : listings.entrySet()) {
                assertThat(admin.get(e.getKey()).body()).as(e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(new Http(c.base()).get("/repository/pub/a.txt").status()).isEqualTo(200);
            assertThat(new Http(c.base()).get("/repository/libs/app/1/app-1.jar").status()).isEqualTo(401);

            // every credential authenticates as before
            List<String> by = new ArrayList<>();
            by.add(me(new Http(c.base()).basic("ci", "ci-password")));
            by.add(me(new Http(c.base()).header("X-Auth-AccessKey", key)));
            by.add(me(new Http(c.base()).bearer(token)));
            by.add(me(new Http(c.base()).header("X-Auth-Token", session).header("X-Auth-UserId", sessionUserId)));
            assertThat(by).containsExactly("ci/password", "ci/access-key", "ci/access-token", "ci/session-token");
            assertThat(new Http(c.base()).bearer(token).get("/repository/libs/app/1/app-1.jar").bytes())
                    .isEqualTo(files.get("/repository/libs/app/1/app-1.jar"));
            JsonNode refreshed = new Http(c.base()).header("Content-Type", "application/x-www-form-urlencoded")
                    .post("/access/api/v1/tokens", "grant_type=refresh_token&refresh_token=" + refresh).json();
            assertThat(refreshed.path("access_token").asText()).startsWith("cofat_");
            assertThat(new Http(c.base()).basic("ci", "wrong").get("/api/me").status()).isEqualTo(401);
        }
    }

    private static String me(Http client) {
        Http.Response r = client.get("/api/me");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().path("username").asText() + "/" + r.json().path("authenticatedBy").asText();
    }
}
