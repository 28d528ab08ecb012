package dev.coffer.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coffer.common.CofferException;
import dev.coffer.config.Settings;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryClass;
import dev.coffer.repository.RepositoryService;
import dev.coffer.testing.InProcessCli;
import dev.coffer.testing.InProcessCli.Run;
import dev.coffer.testing.OldDatabase;
import dev.coffer.testing.PostgresServer;
import java.io.OutputStream;
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
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repository classes, types, filters and class settings survive coffer backup/restore and coffer
 * migrate; the upstream passwords travel sealed and open where the key file kept with them is
 * given (the key is never in a backup); a backup from before classes restores as generic/local.
 */
class RepositoryDataMoveTest {
    private static final String PASSWORD = "upstream-password-moved";

    @TempDir
    Path tmp;

    private static Settings settings(Path data) {
        return Settings.load(Map.of("data", data.toString()), Map.of(), null);
    }

    private static void withServices(Settings settings, Consumer<Coffer.Services> work) {
        Coffer.Services s = Coffer.services(settings);
        try {
            work.accept(s);
        } finally {
            s.credentials().close();
            s.database().close();
            s.blobs().close();
        }
    }

    private static List<Repository> repositories(Settings settings) {
        Object[] out = new Object[1];
        withServices(settings, s -> out[0] = s.repositories().list());
        @SuppressWarnings("unchecked")
        List<Repository> list = (List<Repository>) out[0];
        return list;
    }

    /** A maven local with a filter, a remote with credentials and a virtual over both. */
    private Path source() {
        Path data = tmp.resolve("source");
        withServices(settings(data), s -> {
            RepositoryService r = s.repositories();
            r.put(
                    "libs",
                    RepositoryService.Change.builder()
                            .packageType("maven")
                            .includePatterns(List.of("com/acme/**"))
                            .build());
            r.put(
                    "central",
                    RepositoryService.Change.builder()
                            .packageType("maven")
                            .rclass("remote")
                            .url("https://repo1.maven.org/maven2")
                            .username("bot")
                            .password(PASSWORD)
                            .cacheSeconds(60L)
                            .offline(true)
                            .build());
            r.put(
                    "all",
                    RepositoryService.Change.builder()
                            .packageType("maven")
                            .rclass("virtual")
                            .members(List.of("libs", "central"))
                            .defaultDeployRepo("libs")
                            .build());
        });
        return data;
    }

    private static void assertPasswordOpens(Settings settings, boolean opens) {
        withServices(settings, s -> {
            Repository central = s.repositories().require("central");
            if (opens) {
                assertThat(s.repositories().upstreamPassword(central)).contains(PASSWORD);
            } else {
                assertThat(catchThrowable(() -> s.repositories().upstreamPassword(central)))
                        .isInstanceOf(CofferException.class)
                        .hasMessageNotContaining(PASSWORD);
            }
        });
    }

    @Test
    void backupAndRestoreCarryClassesAndTheKeyKeptBesideItOpensThePasswords() throws Exception {
        Path source = source();
        List<Repository> before = repositories(settings(source));
        assertThat(before).extracting(Repository::rclass).contains(RepositoryClass.VIRTUAL, RepositoryClass.REMOTE);
        Path zip = tmp.resolve("backup.zip");

        Run backup = InProcessCli.run("backup", "--data", source.toString(), "--to", zip.toString());
        assertThat(backup.code()).as(backup.err()).isZero();
        assertThat(backup.err())
                .contains("does not contain the secrets key file "
                        + source.resolve("secrets.key").toAbsolutePath())
                .contains("keep a copy of it with the backup")
                .doesNotContain(PASSWORD);

        // restored without the key: everything is there, the password does not open, and the restore says so
        Path bare = tmp.resolve("bare");
        Run restored = InProcessCli.run("restore", "--from", zip.toString(), "--data", bare.toString());
        assertThat(restored.code()).as(restored.err()).isZero();
        assertThat(restored.err()).contains("[central] cannot be decrypted").contains("kept with the backup");
        assertThat(repositories(settings(bare))).isEqualTo(before);
        assertPasswordOpens(settings(bare), false);

        // the key file put into the empty folder first: the password opens
        Path keyed = tmp.resolve("keyed");
        Files.createDirectories(keyed);
        Files.copy(source.resolve("secrets.key"), keyed.resolve("secrets.key"));
        Run withKey = InProcessCli.run("restore", "--from", zip.toString(), "--data", keyed.toString());
        assertThat(withKey.code()).as(withKey.err()).isZero();
        assertThat(withKey.err()).doesNotContain("cannot be decrypted").doesNotContain("new secrets key");
        assertThat(repositories(settings(keyed))).isEqualTo(before);
        assertPasswordOpens(settings(keyed), true);
    }

    @Test
    void aBackupFromBeforeRepositoryClassesRestoresAsGenericLocal() throws Exception {
        Path oldDb = tmp.resolve("old.db");
        OldDatabase.sqlite(oldDb);
        Path zip = tmp.resolve("old-backup.zip");
        try (OutputStream raw = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(raw)) {
            z.putNextEntry(new ZipEntry(Backup.MANIFEST));
            z.write("format=1\ncreated=2025-01-01T00:00:00Z\nfiles=0\nblobs=0\n".getBytes(StandardCharsets.ISO_8859_1));
            z.closeEntry();
            z.putNextEntry(new ZipEntry(Backup.DATABASE));
            Files.copy(oldDb, z);
            z.closeEntry();
        }

        Path data = tmp.resolve("restored");
        Run r = InProcessCli.run("restore", "--from", zip.toString(), "--data", data.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("0 problems").contains("new secrets key file");

        List<Repository> repos = repositories(settings(data));
        assertThat(repos)
                .containsExactly(
                        new Repository("libs", "Libraries", false, 10, 20), new Repository("pub", null, true, 30, 40));
        assertThat(repos).extracting(Repository::packageType).containsOnly(PackageType.GENERIC);
        assertThat(repos).extracting(Repository::rclass).containsOnly(RepositoryClass.LOCAL);
    }

    private Map<String, String> postgresTarget(String name) {
        PostgresServer.Db db = PostgresServer.assumeAvailable().createDatabase(name);
        Map<String, String> t = new LinkedHashMap<>();
        t.put("database.url", db.url());
        t.put("database.user", db.user());
        t.put("database.password", db.password());
        t.put("storage", "fs");
        t.put("data", tmp.resolve(name + "-data").toString());
        return t;
    }

    private Path configFile(String name, Map<String, String> settings) throws Exception {
        StringBuilder sb = new StringBuilder();
        settings.forEach((k, v) ->
                sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path f = tmp.resolve(name + ".properties");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void migrateCarriesClassesAndCopiesTheKeyToTheTarget() throws Exception {
        Path source = source();
        List<Repository> before = repositories(settings(source));
        Map<String, String> target = postgresTarget("classes");
        Path targetKey = Path.of(target.get("data")).resolve("secrets.key");

        Run r = InProcessCli.run(
                "migrate",
                "--from",
                source.toString(),
                "--to",
                configFile("classes", target).toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err())
                .contains("copied the secrets key file")
                .contains("every node of the target needs this same secrets key file")
                .doesNotContain(PASSWORD);
        assertThat(Files.readAllBytes(targetKey)).isEqualTo(Files.readAllBytes(source.resolve("secrets.key")));

        Settings onTarget = Settings.load(target, Map.of(), null);
        assertThat(repositories(onTarget)).isEqualTo(before);
        assertPasswordOpens(onTarget, true);
    }

    @Test
    void migrateIntoATargetWithAnotherKeyIsRefusedBeforeAnythingIsCopied() throws Exception {
        Path source = source();
        Map<String, String> target = postgresTarget("otherkey");
        Path targetKey = Path.of(target.get("data")).resolve("secrets.key");
        Files.createDirectories(targetKey.getParent());
        byte[] other = new byte[32];
        new java.security.SecureRandom().nextBytes(other);
        Files.write(targetKey, other);

        Run r = InProcessCli.run(
                "migrate",
                "--from",
                source.toString(),
                "--to",
                configFile("otherkey", target).toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("holds another key than the source's");
        assertThat(Files.readAllBytes(targetKey)).isEqualTo(other);
        try (Connection c = DriverManager.getConnection(
                        target.get("database.url"), target.get("database.user"), target.get("database.password"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = "
                        + "'repositories' AND table_schema = current_schema()")) {
            rs.next();
            assertThat(rs.getLong(1))
                    .as("the target database was not even migrated")
                    .isZero();
        }
    }
}
