package dev.coffer.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.persistence.MetadataCopy;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.InProcessCli;
import dev.coffer.testing.InProcessCli.Run;
import dev.coffer.testing.PostgresServer;
import dev.coffer.testing.S3ProxyServer;
import dev.coffer.testing.SampleData;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * coffer migrate: an embedded instance with users, groups, permissions, files, properties, keys,
 * tokens and sessions moves into PostgreSQL + S3, and a server there serves the same bytes to
 * the same credentials under the same permissions, and takes new data without id collisions.
 */
class MigrateTest {
    private static final String DB_PASSWORD = "db-secret-never-printed";

    @TempDir
    Path tmp;

    private static Run coffer(String... args) {
        return InProcessCli.run(args);
    }

    /** A fresh PostgreSQL database and S3 bucket, as settings and as a config file. */
    private Map<String, String> target(String name, boolean s3) {
        PostgresServer.Db db = PostgresServer.assumeAvailable().createDatabase(name);
        Map<String, String> t = new LinkedHashMap<>();
        t.put("database.url", db.url());
        t.put("database.user", db.user());
        t.put("database.password", DB_PASSWORD); // the test cluster trusts every password
        if (s3) {
            S3ProxyServer proxy = S3ProxyServer.assumeAvailable();
            t.put("storage", "s3");
            t.put("s3.endpoint", proxy.endpoint());
            t.put("s3.region", S3ProxyServer.REGION);
            t.put("s3.bucket", proxy.createBucket(name));
            t.put("s3.path-style", "true");
            t.put("s3.access-key", S3ProxyServer.ACCESS_KEY);
            t.put("s3.secret-key", S3ProxyServer.SECRET_KEY);
        } else {
            t.put("storage", "fs");
        }
        t.put("data", tmp.resolve(name + "-data").toString());
        return t;
    }

    private Path configFile(String name, Map<String, String> settings) throws IOException {
        StringBuilder sb = new StringBuilder("# target of coffer migrate\n");
        settings.forEach((k, v) ->
                sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path f = tmp.resolve(name + ".properties");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    private static void assertOneLineNoSecrets(Run r) {
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertNoSecrets(r);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void assertNoSecrets(Run r) {
        assertThat(r.out() + r.err()).doesNotContain(DB_PASSWORD).doesNotContain(S3ProxyServer.SECRET_KEY);
    }

    @Test
    void embeddedInstanceMovesToPostgresAndS3WithEverythingWorking() throws Exception {
        Path source = tmp.resolve("source");
        SampleData sample;
        SampleData.Snapshot before;
        long goneId;
        JsonNode auditBefore;
        try (TestServer s = TestServer.start(source, Map.of(), false)) {
            Http admin = s.admin();
            sample = SampleData.fill(s, new SampleData.Jars(8, 7, 3, 2 * 1024 * 1024 + 17, 10, 4000));
            Fixtures.user(s, "outsider", "outsider-password");
            // a deleted user, the last one created: its id must never be handed out again, in the new database
            // either
            Fixtures.user(s, "gone", "gone-password");
            goneId =
                    Fixtures.session(s, "gone", "gone-password").path("user_id").asLong();
            Fixtures.expect(admin.delete("/api/users/gone"), "delete gone", 200, 204);
            before = sample.snapshot(admin);
            auditBefore = admin.get("/api/audit?limit=1000").json().path("events");
            assertThat(auditBefore.size()).isGreaterThan(5);
        }

        Map<String, String> target = target("migrate", true);
        Path config = configFile("target", target);
        Map<String, String> sourceFiles = contentOf(source);

        Run r = coffer("migrate", "--from", source.toString(), "--to", config.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .contains("coffer: verified")
                .contains("(content re-hashed)")
                .containsPattern("users +3 rows")
                .containsPattern("files +10 rows")
                .containsPattern("access_keys +1 rows")
                .containsPattern("session_tokens +1 rows")
                .containsPattern("access_tokens +1 rows")
                .containsPattern("permission_targets +1 rows")
                .contains("9 copied (");
        assertNoSecrets(r);
        assertThat(contentOf(source)).as("the source is never changed").isEqualTo(sourceFiles);
        for (String table : MetadataCopy.TABLES) {
            assertThat(r.err()).as("the summary names every table").contains(" " + table + " ");
        }

        try (TestServer s = TestServer.start(tmp.resolve("migrate-data"), target, false)) {
            assertThat(s.onFileStore()).isFalse();
            assertThat(s.output)
                    .as("the migrated admin is used, none is bootstrapped")
                    .doesNotContain("created user");
            Http admin = s.admin();
            sample.assertServedAsIn(before, admin);
            assertThat(before.storage()
                            .get("/repository/pub/a.txt")
                            .path("properties")
                            .path("qa")
                            .toString())
                    .contains("passed");
            JsonNode auditAfter = admin.get("/api/audit?limit=1000").json().path("events");
            Map<String, JsonNode> afterById = new TreeMap<>();
            auditAfter.forEach(ev -> afterById.put(ev.path("id").asText(), ev));
            auditBefore.forEach(
                    ev -> assertThat(afterById.get(ev.path("id").asText())).isEqualTo(ev));

            // every old credential authenticates as before
            assertThat(sample.identities(s.base()))
                    .containsExactly("ci/password", "ci/access-key", "ci/access-token", "ci/session-token");
            assertThat(new Http(s.base()).basic("ci", "wrong").get("/api/me").status())
                    .isEqualTo(401);

            // the permission target still applies: ci may deploy, others may not read libs
            String jar = "/repository/libs/app/1/app-1.jar";
            assertThat(new Http(s.base())
                            .header("X-Auth-AccessKey", sample.key())
                            .get(jar)
                            .bytes())
                    .isEqualTo(sample.files().get(jar));
            assertThat(new Http(s.base())
                            .basic("outsider", "outsider-password")
                            .get(jar)
                            .status())
                    .isEqualTo(403);
            assertThat(new Http(s.base()).get(jar).status()).isEqualTo(401);
            assertThat(new Http(s.base()).get("/repository/pub/a.txt").status()).isEqualTo(200);
            assertThat(new Http(s.base())
                            .bearer(sample.token())
                            .put("/repository/libs/x.txt", "no")
                            .status())
                    .as("the token's scope is read-only")
                    .isEqualTo(403);
            JsonNode why = admin.get("/api/access/check?repo=libs&path=app/new.jar&action=w&username=ci")
                    .json();
            assertThat(why.path("allowed").asBoolean()).isTrue();
            assertThat(why.path("reason").asText()).contains("libs-deploy");
            sample.assertRefreshWorks(s.base());

            // new rows get new ids: no collision with migrated users, audit events or files
            byte[] fresh = "uploaded after the move".getBytes(StandardCharsets.UTF_8);
            Http ci = new Http(s.base()).basic("ci", "ci-password");
            assertThat(ci.put("/repository/libs/app/new.jar", fresh).status()).isEqualTo(201);
            assertThat(ci.get("/repository/libs/app/new.jar").bytes()).isEqualTo(fresh);
            assertThat(admin.putJson("/api/users/newbie", "{\"password\":\"newbie-password\"}")
                            .status())
                    .isEqualTo(201);
            long newbieId = new Http(s.base())
                    .post("/api/tokens", "{\"username\":\"newbie\",\"password\":\"newbie-password\"}")
                    .json()
                    .path("user_id")
                    .asLong();
            assertThat(newbieId)
                    .as("ids are never reused, not even a deleted user's")
                    .isGreaterThan(goneId);
            assertThat(admin.get("/api/users/ci").body())
                    .isEqualTo(before.listings().get("/api/users/ci"));
        }

        // a second migrate into the now used target is refused and changes nothing
        Map<String, Long> rowsBefore = rows(target);
        List<String> objectsBefore = objects(target);
        Run again = coffer("migrate", "--from", source.toString(), "--to", config.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("already holds data").contains("users=4");
        assertOneLineNoSecrets(again);
        assertThat(rows(target)).isEqualTo(rowsBefore);
        assertThat(objects(target)).isEqualTo(objectsBefore);
        assertThat(contentOf(source)).isEqualTo(sourceFiles);
    }

    @Test
    void badSourceAndEmbeddedTargetAreRefusedInOneLine() throws Exception {
        Path config = configFile(
                "plain", Map.of("storage", "fs", "data", tmp.resolve("plain").toString()));
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        Run missing = coffer("migrate", "--from", tmp.resolve("nowhere").toString(), "--to", config.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("there is no folder");
        assertOneLineNoSecrets(missing);

        Run noDb = coffer("migrate", "--from", empty.toString(), "--to", config.toString());
        assertThat(noDb.code()).isEqualTo(2);
        assertThat(noDb.err()).contains("no Coffer data in").contains("coffer.db");
        assertOneLineNoSecrets(noDb);

        Files.writeString(empty.resolve("coffer.db"), "not a database at all, just some text that is long enough");
        Run garbage = coffer("migrate", "--from", empty.toString(), "--to", config.toString());
        assertThat(garbage.code()).isEqualTo(2);
        assertOneLineNoSecrets(garbage);
        Files.delete(empty.resolve("coffer.db"));

        // an embedded target (no database.url) is not a migration
        Path source = tmp.resolve("src");
        assertThat(coffer("user", "add", "admin", "--password", "pw-password", "--admin", "--data", source.toString())
                        .code())
                .isZero();
        Run embedded = coffer("migrate", "--from", source.toString(), "--to", config.toString());
        assertThat(embedded.code()).isEqualTo(2);
        assertThat(embedded.err()).contains("embedded database").contains("database.url");
        assertOneLineNoSecrets(embedded);

        // a target that cannot be reached: exit 1, one line naming it, never its password
        Path unreachable = configFile(
                "unreachable",
                Map.of(
                        "database.url",
                        "jdbc:postgresql://127.0.0.1:1/coffer",
                        "database.user",
                        "coffer",
                        "database.password",
                        DB_PASSWORD,
                        "data",
                        tmp.resolve("u").toString()));
        Run down = coffer("migrate", "--from", source.toString(), "--to", unreachable.toString());
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err()).contains("cannot open the PostgreSQL database jdbc:postgresql://127.0.0.1:1/coffer");
        assertOneLineNoSecrets(down);

        Run noConfig = coffer(
                "migrate",
                "--from",
                source.toString(),
                "--to",
                tmp.resolve("none.properties").toString());
        assertThat(noConfig.code()).isEqualTo(2);
        assertThat(noConfig.err()).contains("there is no config file");

        Run help = coffer("migrate", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out())
                .contains("--from=DIR")
                .contains("--to=FILE")
                .contains("--[no-]verify-content")
                .contains("PostgreSQL");
        assertThat(coffer("--help").out()).contains("migrate");
    }

    @Test
    void failedCopyLeavesTheTargetEmptyAndCanBeRunAgain() throws Exception {
        Path source = tmp.resolve("source");
        assertThat(coffer("user", "add", "admin", "--password", "pw-password", "--admin", "--data", source.toString())
                        .code())
                .isZero();
        assertThat(coffer("repo", "create", "libs", "--data", source.toString()).code())
                .isZero();
        assertThat(coffer("repo", "create", "long", "--data", source.toString()).code())
                .isZero();
        // SQLite does not enforce VARCHAR lengths; PostgreSQL refuses the row halfway through the copy
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source.resolve("coffer.db"));
                Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE repositories SET description = '" + "x".repeat(5000) + "' WHERE name = 'long'");
        }
        Map<String, String> target = target("rollback", false);
        Path config = configFile("rollback", target);

        Run r = coffer("migrate", "--from", source.toString(), "--to", config.toString(), "--no-verify-content");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .contains("copying table repositories failed")
                .contains("value too long")
                .as("no row values (hashes) in messages")
                .doesNotContain("xxxx");
        assertThat(r.err().lines()).as(r.err()).allMatch(l -> l.startsWith("coffer: "));
        assertNoSecrets(r);
        assertThat(rows(target).values())
                .as("users were copied before, and rolled back")
                .containsOnly(0L);

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source.resolve("coffer.db"));
                Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE repositories SET description = 'fits' WHERE name = 'long'");
        }
        Run again = coffer("migrate", "--from", source.toString(), "--to", config.toString(), "--no-verify-content");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("(presence and size only)").contains("coffer: verified");
        assertThat(rows(target)).containsEntry("users", 1L).containsEntry("repositories", 2L);
    }

    @Test
    void aRunningSourceIsReadThroughASnapshotIntoAFileStore() throws Exception {
        Path source = tmp.resolve("live");
        Map<String, String> target = target("live", false);
        byte[] bytes = "written while the source runs".getBytes(StandardCharsets.UTF_8);
        try (TestServer s = TestServer.start(source, Map.of(), false)) {
            assertThat(s.admin().putJson("/api/repositories/libs", "{}").status())
                    .isEqualTo(201);
            assertThat(s.admin().put("/repository/libs/a.txt", bytes).status()).isEqualTo(201);
            assertThat(source.resolve("coffer.db-wal"))
                    .as("the server holds a WAL open")
                    .exists();

            Run r = coffer(
                    "migrate",
                    "--from",
                    source.toString(),
                    "--to",
                    configFile("live", target).toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err())
                    .contains("1 copied")
                    .contains("coffer: verified")
                    .contains("the file store in");
            // the server on the source goes on working
            assertThat(s.admin().get("/repository/libs/a.txt").bytes()).isEqualTo(bytes);
        }
        try (TestServer s = TestServer.start(tmp.resolve("live-data"), target, false)) {
            assertThat(s.onFileStore()).isTrue();
            assertThat(s.admin().get("/repository/libs/a.txt").bytes()).isEqualTo(bytes);
        }
    }

    private static Map<String, Long> rows(Map<String, String> target) throws Exception {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(target.get("database.url"), target.get("database.user"), "");
                Statement st = c.createStatement()) {
            for (String table : MetadataCopy.TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    rows.put(table, rs.getLong(1));
                }
            }
        }
        return rows;
    }

    private static List<String> objects(Map<String, String> target) {
        try (S3Client c = S3ProxyServer.shared().client()) {
            return c.listObjectsV2Paginator(b -> b.bucket(target.get("s3.bucket"))).contents().stream()
                    .map(o -> o.key() + "/" + o.size())
                    .sorted()
                    .toList();
        }
    }

    /** Every file under a folder with the SHA-256 of its content. */
    private static Map<String, String> contentOf(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    out.put(dir.relativize(p).toString(), Digests.sha256(Files.readAllBytes(p)));
                } else {
                    out.put(dir.relativize(p) + "/", "folder");
                }
            }
        }
        return out;
    }
}
