package dev.coffer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented configuration cannot drift from {@link Settings#KEYS}: coffer.properties.example
 * is generated from it (run with -Dcoffer.writeExample=true to rewrite it), and docs/configuration.md's table
 * must name every key with its environment variable.
 */
class ConfigurationDocsTest {
    private static final Path EXAMPLE = Path.of("coffer.properties.example");
    private static final Path TABLE = Path.of("docs/configuration.md");

    static String example() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Coffer configuration: every setting with its default. Pass this file with --config FILE\n")
                .append("# (or COFFER_CONFIG). Precedence: command-line option > environment variable > this file\n")
                .append("# > default. Durations are written 90s, 5m, 24h, 7d; sizes 1048576, 512m, 10g.\n")
                .append(
                        "# Generated from dev.coffer.config.Settings.KEYS (ConfigurationDocsTest): do not edit by hand.\n");
        for (Settings.Key k : Settings.KEYS) {
            sb.append("\n# ")
                    .append(k.description())
                    .append("\n# environment: ")
                    .append(k.env())
                    .append('\n')
                    .append("#")
                    .append(k.name())
                    .append('=')
                    .append(k.defaultValue())
                    .append('\n');
        }
        return sb.toString();
    }

    @Test
    void exampleFileListsEveryKeyWithItsDefault() throws IOException {
        String expected = example();
        if (Boolean.getBoolean("coffer.writeExample")) {
            Files.writeString(EXAMPLE, expected, StandardCharsets.UTF_8);
        }
        assertThat(EXAMPLE)
                .as("coffer.properties.example is out of date; regenerate with "
                        + "./mvnw -o -q test -Dtest=ConfigurationDocsTest -Dcoffer.writeExample=true")
                .exists();
        assertThat(Files.readString(EXAMPLE, StandardCharsets.UTF_8))
                .as("coffer.properties.example is out of date; "
                        + "regenerate with ./mvnw -o -q test -Dtest=ConfigurationDocsTest -Dcoffer.writeExample=true")
                .isEqualTo(expected);
    }

    @Test
    void exampleFileIsAValidConfigFileThatGivesTheDefaults(@TempDir Path tmp) throws IOException {
        Path uncommented = tmp.resolve("coffer.properties");
        Files.writeString(uncommented, example().replaceAll("(?m)^#([a-z][a-z.]*=)", "$1"), StandardCharsets.UTF_8);
        Settings fromFile = Settings.load(Map.of(), Map.of(), uncommented);
        assertThat(fromFile).isEqualTo(Settings.load(Map.of(), Map.of(), null));
    }

    @Test
    void theConfigurationTableNamesEveryKey() throws IOException {
        String table = Files.readString(TABLE, StandardCharsets.UTF_8);
        for (Settings.Key k : Settings.KEYS) {
            assertThat(table)
                    .as("docs/configuration.md's table row for " + k.name())
                    .contains("| `" + k.name() + "` | `" + k.env() + "` |");
        }
    }

    @Test
    void newOperationsSettingsAreValidated() {
        assertThat(Settings.load(Map.of(), Map.of(), null).metricsPort()).isEqualTo(Settings.METRICS_PORT_OFF);
        assertThat(Settings.load(Map.of(), Map.of("COFFER_METRICS_PORT", "9100"), null)
                        .metricsPort())
                .isEqualTo(9100);
        assertThatThrownBy(() -> Settings.load(Map.of(), Map.of("COFFER_METRICS_PORT", "http"), null))
                .hasMessage(
                        "setting 'metrics.port' (COFFER_METRICS_PORT) is 'http'; expected a whole number from 0 to 65535");
        assertThatThrownBy(() -> Settings.load(Map.of("port", "9100"), Map.of("COFFER_METRICS_PORT", "9100"), null))
                .hasMessageContaining(
                        "setting 'metrics.port' (COFFER_METRICS_PORT) is '9100'; expected a port other than");
        assertThatThrownBy(() -> Settings.load(Map.of(), Map.of("COFFER_ACCESS_LOG", " "), null))
                .hasMessageContaining("setting 'access.log' (COFFER_ACCESS_LOG)");
        Settings s = Settings.load(Map.of("data", "/srv/coffer"), Map.of(), null);
        assertThat(s.accessLogFile()).isEqualTo(Path.of("/srv/coffer/logs/access.log"));
        assertThat(Settings.load(Map.of(), Map.of("COFFER_ACCESS_LOG", "stdout"), null)
                        .accessLogFile())
                .isNull();
        assertThat(Settings.load(Map.of(), Map.of("COFFER_ACCESS_LOG", "off"), null)
                        .accessLogFile())
                .isNull();
        assertThat(Settings.load(Map.of("data", "/d"), Map.of("COFFER_ACCESS_LOG", "/var/log/coffer.log"), null)
                        .accessLogFile())
                .isEqualTo(Path.of("/var/log/coffer.log"));
    }
}
