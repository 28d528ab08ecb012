package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Http;
import dev.coffer.testing.SampleData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        SampleData sample;
        SampleData.Snapshot before;
        try (CofferProcess c = CofferProcess.start(data, List.of(), Map.of("COFFER_ADMIN_PASSWORD", PW))) {
            Http admin = c.admin();
            sample = SampleData.fill(c, new SampleData.Jars(20, 42, 7, 3 * 1024 * 1024, 100, 5000));
            before = sample.snapshot(admin);

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
            sample.assertServedAsIn(before, admin);
            JsonNode jar = before.storage().get("/repository/libs/app/3/app-3.jar");
            assertThat(jar.path("properties").path("build.number").toString()).contains("3");
            assertThat(before.storage()
                            .get("/repository/pub/a.txt")
                            .path("properties")
                            .path("qa")
                            .toString())
                    .contains("passed");
            assertThat(new Http(c.base()).get("/repository/pub/a.txt").status()).isEqualTo(200);
            assertThat(new Http(c.base())
                            .get("/repository/libs/app/1/app-1.jar")
                            .status())
                    .isEqualTo(401);

            // every credential authenticates as before
            assertThat(sample.identities(c.base()))
                    .containsExactly("ci/password", "ci/access-key", "ci/access-token", "ci/session-token");
            assertThat(new Http(c.base())
                            .bearer(sample.token())
                            .get("/repository/libs/app/1/app-1.jar")
                            .bytes())
                    .isEqualTo(sample.files().get("/repository/libs/app/1/app-1.jar"));
            sample.assertRefreshWorks(c.base());
            assertThat(new Http(c.base()).basic("ci", "wrong").get("/api/me").status())
                    .isEqualTo(401);
        }
    }
}
