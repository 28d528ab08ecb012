package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the file store sits on a 4 MiB tmpfs (mounting needs root, which the
 * developers' machines and CI have; elsewhere the test is skipped, not faked).
 */
class FullDiskIT {

    private static boolean run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void aFullDiskIs507AndLeavesThePreviousVersion(@TempDir Path data) throws Exception {
        Path store = data.resolve("store");
        Files.createDirectories(store);
        assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", store.toString()),
                "cannot mount a tmpfs here (needs root)");
        try (TestServer server = TestServer.start(data, Map.of(), false)) {
            Http admin = server.admin();
            admin.putJson("/api/repositories/libs", "{}");
            byte[] small = new byte[1_000_000];
            new java.util.Random(1).nextBytes(small);
            assertThat(admin.put("/repository/libs/a.bin", small).status()).isEqualTo(201);

            byte[] big = new byte[6_000_000];
            new java.util.Random(2).nextBytes(big);
            Http.Response full = admin.put("/repository/libs/b.bin", big);
            assertThat(full.status()).as(full.toString()).isEqualTo(507);
            assertThat(full.errorCode()).isEqualTo("insufficient_storage");
            assertThat(admin.get("/repository/libs/b.bin").status()).isEqualTo(404);

            // overwriting with content that does not fit keeps the old version
            Http.Response over = admin.put("/repository/libs/a.bin", big);
            assertThat(over.status()).isEqualTo(507);
            assertThat(admin.get("/repository/libs/a.bin").bytes()).isEqualTo(small);

            try (Stream<Path> tmp = Files.list(store.resolve("tmp"))) {
                assertThat(tmp).as("no partial files left").isEmpty();
            }
            // space comes back once the failed uploads are gone: a file that fits still works
            assertThat(admin.put("/repository/libs/c.bin", small).status()).isEqualTo(201);
        } finally {
            // lazily: a handle the JVM has not yet released must not leave the mount behind
            run("umount", "-l", store.toString());
        }
    }
}
