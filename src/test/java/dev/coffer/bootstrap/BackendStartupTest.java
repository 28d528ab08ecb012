package dev.coffer.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up with a back-end that is not there fails at once with one clear message. */
final class BackendStartupTest {
    @TempDir
    Path data;

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void anUnreachablePostgresStopsTheStartNamingTheUrlButNotThePassword() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/coffer";
        Settings s = Settings.load(
                Map.of(
                        "data",
                        data.toString(),
                        "port",
                        "0",
                        "database.url",
                        url,
                        "database.user",
                        "coffer",
                        "database.password",
                        "pg-secret-pw"),
                Map.of(),
                null);

        long t0 = System.nanoTime();
        IllegalStateException e = catchThrowableOfType(
                IllegalStateException.class,
                () -> Coffer.start(s, Map.of(), new PrintStream(new ByteArrayOutputStream())));

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .contains("cannot open the PostgreSQL database " + url, "as user 'coffer'", "refused")
                .doesNotContain("pg-secret-pw");
        assertThat(System.nanoTime() - t0).isLessThan(30_000_000_000L);
    }

    @Test
    void anUnreachableS3StopsTheStartNamingTheBucketAndEndpoint() throws Exception {
        String endpoint = "http://127.0.0.1:" + closedPort();
        Settings s = Settings.load(
                Map.of(
                        "data",
                        data.toString(),
                        "port",
                        "0",
                        "storage",
                        "s3",
                        "s3.endpoint",
                        endpoint,
                        "s3.bucket",
                        "artifacts",
                        "s3.path-style",
                        "true",
                        "s3.access-key",
                        "ak",
                        "s3.secret-key",
                        "s3-secret-key"),
                Map.of(),
                null);

        IllegalStateException e = catchThrowableOfType(
                IllegalStateException.class,
                () -> Coffer.start(s, Map.of(), new PrintStream(new ByteArrayOutputStream())));

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .contains("S3 bucket 'artifacts' at " + endpoint)
                .doesNotContain("s3-secret-key");
    }
}
