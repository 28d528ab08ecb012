package dev.coffer.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 (finding 22): the data folder holds password hashes and access logs; it was 0755 with
 * 0644 files. Folders are 0700 and files 0600 on a fresh data folder and after a start on an
 * existing one with loose modes (POSIX file systems only).
 */
class DataFolderTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file modes");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Starts a server on {@code data}, writes a file (so the database has its -wal and -shm), stops it. */
    private static void serveOnce(Path data) {
        try (TestServer s = TestServer.start(data, Map.of(), false)) {
            Http admin = s.admin();
            assertThat(admin.putJson("/api/repositories/r", "{\"description\":\"r\"}")
                            .status())
                    .isIn(200, 201);
            assertThat(admin.put("/repository/r/a/b.txt", "content").status()).isIn(200, 201);
            assertThat(admin.get("/repository/r/a/b.txt").status()).isEqualTo(200);
        }
    }

    private static void assertTight(Path data) throws IOException {
        assertThat(mode(data)).as("the data folder").isEqualTo("rwx------");
        for (String folder : List.of("logs", "store", "store/blobs", "store/tmp")) {
            assertThat(mode(data.resolve(folder))).as(folder).isEqualTo("rwx------");
        }
        for (String file : List.of("coffer.db", "coffer.db-wal", "coffer.db-shm", "logs/access.log")) {
            Path p = data.resolve(file);
            if (Files.exists(p)) {
                assertThat(mode(p)).as(file).isEqualTo("rw-------");
            } else {
                assertThat(file).as("only SQLite's side files may be absent").startsWith("coffer.db-");
            }
        }
    }

    @Test
    void aFreshDataFolderIsForItsOwnerOnly() throws IOException {
        Path data = tmp.resolve("fresh").resolve("data");
        try (TestServer s = TestServer.start(data, Map.of(), false)) {
            assertThat(s.admin()
                            .putJson("/api/repositories/r", "{\"description\":\"r\"}")
                            .status())
                    .isIn(200, 201);
            assertThat(s.admin().put("/repository/r/a.txt", "content").status()).isEqualTo(201);
            // while it runs: the database's side files are there now
            assertThat(data.resolve("coffer.db-wal")).exists();
            assertTight(data);
        }
        assertTight(data);
    }

    @Test
    void anExistingDataFolderWithLooseModesIsTightenedAtStart() throws IOException {
        Path data = tmp.resolve("existing");
        serveOnce(data);
        Files.writeString(data.resolve("admin.password"), "old\n", StandardCharsets.UTF_8);
        try (var walk = Files.walk(data)) {
            for (Path p : walk.toList()) {
                Files.setPosixFilePermissions(
                        p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        try (TestServer s = TestServer.start(data, Map.of(), false)) {
            assertThat(s.admin().get("/repository/r/a/b.txt").status()).isEqualTo(200);
            assertTight(data);
            assertThat(mode(data.resolve("admin.password"))).isEqualTo("rw-------");
        }
    }

    @Test
    void theLauncherSetsAnOwnerOnlyUmaskBeforeItStartsJava() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("coffer"), StandardCharsets.UTF_8);
        int umask = lines.indexOf("umask 077");
        int exec = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("exec ")) {
                exec = i;
            }
        }
        assertThat(umask).as("'umask 077' in ./coffer").isNotNegative();
        assertThat(exec).isGreaterThan(umask);
    }
}
