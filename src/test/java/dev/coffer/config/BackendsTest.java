package dev.coffer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class BackendsTest {

    private static Backends load(Map<String, String> options, Map<String, String> env) {
        return Settings.load(options, env, null).backends();
    }

    @Test
    void theDefaultIsTheEmbeddedDatabaseAndTheFileStore() {
        Backends b = load(Map.of(), Map.of());

        assertThat(b.database().embedded()).isTrue();
        assertThat(b.storage().kind()).isEqualTo(Backends.StorageKind.FS);
    }

    @Test
    void postgresAndS3FromTheEnvironment() {
        Backends b = load(
                Map.of(),
                Map.of(
                        "COFFER_DATABASE_URL", "jdbc:postgresql://db:5432/coffer",
                        "COFFER_DATABASE_USER", "coffer",
                        "COFFER_DATABASE_PASSWORD", "pg-secret",
                        "COFFER_STORAGE", "S3",
                        "COFFER_S3_ENDPOINT", "http://minio:9000",
                        "COFFER_S3_BUCKET", "artifacts",
                        "COFFER_S3_PATH_STYLE", "true",
                        "COFFER_S3_ACCESS_KEY", "ak",
                        "COFFER_S3_SECRET_KEY", "s3-secret"));

        assertThat(b.database().embedded()).isFalse();
        assertThat(b.database().url()).isEqualTo("jdbc:postgresql://db:5432/coffer");
        assertThat(b.database().password()).isEqualTo("pg-secret");
        assertThat(b.database().poolSize()).isEqualTo(10);
        assertThat(b.storage())
                .isEqualTo(new Backends.StorageSettings(
                        Backends.StorageKind.S3,
                        "http://minio:9000",
                        "us-east-1",
                        "artifacts",
                        true,
                        "ak",
                        "s3-secret"));
        assertThat(b.toString()).doesNotContain("pg-secret", "s3-secret");
    }

    @Test
    void passwordsInTheUrlAreNeverPrinted() {
        Backends b =
                load(Map.of("database.url", "jdbc:postgresql://db/coffer?user=u&password=hunter2&ssl=true"), Map.of());

        assertThat(b.database().safeUrl()).isEqualTo("jdbc:postgresql://db/coffer?user=u&password=***&ssl=true");
        assertThat(b.toString()).doesNotContain("hunter2");
    }

    @Test
    void badValuesNameTheSetting() {
        assertThatThrownBy(() -> load(Map.of("storage", "nfs"), Map.of()))
                .hasMessageContaining("'storage' (COFFER_STORAGE)");
        assertThatThrownBy(() -> load(Map.of("storage", "s3"), Map.of())).hasMessageContaining("s3.bucket");
        assertThatThrownBy(() -> load(Map.of("database.url", "jdbc:mysql://x/y"), Map.of()))
                .hasMessageContaining("database.url");
        assertThatThrownBy(() -> load(Map.of("s3.path-style", "yes"), Map.of())).hasMessageContaining("s3.path-style");
        assertThatThrownBy(() -> load(Map.of("s3.access-key", "ak"), Map.of())).hasMessageContaining("s3.secret-key");
        assertThatThrownBy(() -> load(Map.of("database.pool", "0"), Map.of())).hasMessageContaining("database.pool");
    }
}
