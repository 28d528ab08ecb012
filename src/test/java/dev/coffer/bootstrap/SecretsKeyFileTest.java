package dev.coffer.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coffer.config.Settings;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** secrets.key-file: created on first start (32 random bytes, 0600), kept after, refused clearly when it is not a key. */
class SecretsKeyFileTest {
    private static final String PASSWORD = "upstream-password-for-key-test";

    @TempDir
    Path tmp;

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

    private static RepositoryService.Change remoteWithPassword() {
        return RepositoryService.Change.builder()
                .rclass("remote")
                .url("https://repo.example/maven2")
                .username("bot")
                .password(PASSWORD)
                .build();
    }

    @Test
    void theFirstStartCreatesTheKeyAndLaterStartsUseIt() throws Exception {
        Path data = tmp.resolve("data");
        Settings settings = Settings.load(Map.of("data", data.toString()), Map.of(), null);
        assertThat(settings.secretsKeyFile()).isEqualTo(data.resolve("secrets.key"));

        withServices(settings, s -> s.repositories().put("central", remoteWithPassword()));
        Path key = data.resolve("secrets.key");
        assertThat(key).isRegularFile();
        assertThat(Files.size(key)).isEqualTo(32);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                    .isEqualTo("rw-------");
        }
        byte[] first = Files.readAllBytes(key);
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary file is left")
                    .noneMatch(n -> n.startsWith(".secrets-"));
        }

        withServices(settings, s -> {
            Repository r = s.repositories().require("central");
            assertThat(s.repositories().upstreamPassword(r)).contains(PASSWORD);
        });
        assertThat(Files.readAllBytes(key)).isEqualTo(first);
    }

    @Test
    void aKeyFileElsewhereIsUsedAndABadOneStopsTheStartNamingIt() throws Exception {
        Path key = tmp.resolve("keys/coffer.key");
        Settings settings = Settings.load(
                Map.of("data", tmp.resolve("data").toString()),
                Map.of("COFFER_SECRETS_KEY_FILE", key.toString()),
                null);
        assertThat(settings.secretsKeyFile()).isEqualTo(key);
        withServices(settings, s -> {});
        assertThat(key).isRegularFile();
        assertThat(tmp.resolve("data/secrets.key")).doesNotExist();

        Files.writeString(key, "not a key");
        Throwable t = catchThrowable(() -> withServices(settings, s -> {}));
        assertThat(t)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(key.toAbsolutePath().toString())
                .hasMessageContaining("9 bytes")
                .hasMessageContaining("32")
                .hasMessageNotContaining("not a key");

        Throwable blank = catchThrowable(() -> Settings.load(Map.of(), Map.of("COFFER_SECRETS_KEY_FILE", " "), null));
        assertThat(blank).hasMessageContaining("secrets.key-file").hasMessageContaining("COFFER_SECRETS_KEY_FILE");
    }

    @Test
    void anotherKeyLeavesPasswordsUnreadableWithAClearErrorAndTheRestWorking() throws Exception {
        Path data = tmp.resolve("data");
        Settings settings = Settings.load(Map.of("data", data.toString()), Map.of(), null);
        withServices(settings, s -> s.repositories().put("central", remoteWithPassword()));

        Files.delete(data.resolve("secrets.key")); // lost: the next start makes a new one
        withServices(settings, s -> {
            assertThat(s.repositories().unreadablePasswords()).containsExactly("central");
            Repository r = s.repositories().require("central");
            Throwable t = catchThrowable(() -> s.repositories().upstreamPassword(r));
            assertThat(t)
                    .isInstanceOf(dev.coffer.common.CofferException.class)
                    .hasMessageContaining("'central'")
                    .hasMessageContaining("secrets.key-file")
                    .hasMessageNotContaining(PASSWORD);
            // setting it again heals it
            s.repositories()
                    .put(
                            "central",
                            RepositoryService.Change.builder()
                                    .password(PASSWORD + "-2")
                                    .build());
            assertThat(s.repositories().upstreamPassword(s.repositories().require("central")))
                    .contains(PASSWORD + "-2");
            assertThat(s.repositories().unreadablePasswords()).isEmpty();
        });
    }
}
