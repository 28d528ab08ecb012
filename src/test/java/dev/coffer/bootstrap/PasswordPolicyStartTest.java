package dev.coffer.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.config.Settings;
import dev.coffer.testing.Http;
import dev.coffer.testing.InProcessCli;
import dev.coffer.testing.InProcessCli.Run;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The password policy where no HTTP is involved: the first administrator and {@code coffer user add}. */
class PasswordPolicyStartTest {
    @TempDir
    Path data;

    private Settings settings(Map<String, String> extra) {
        Map<String, String> opts = new HashMap<>(extra);
        opts.put("host", "127.0.0.1");
        opts.put("port", "0");
        opts.put("data", data.toString());
        opts.put("shutdown.grace", "1s");
        return Settings.load(opts, Map.of(), null);
    }

    private Coffer start(Map<String, String> extra, String adminPassword) {
        Map<String, String> env = adminPassword == null ? Map.of() : Map.of("COFFER_ADMIN_PASSWORD", adminPassword);
        return Coffer.start(
                settings(extra), env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static int me(Coffer c, String user, String password) {
        return new Http("http://127.0.0.1:" + c.port())
                .basic(user, password)
                .get("/api/me")
                .status();
    }

    @Test
    void aShortFirstAdminPasswordStopsTheFirstStartWithOneLineAndIsIgnoredLater() {
        assertThatThrownBy(() -> start(Map.of(), "admin"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("COFFER_ADMIN_PASSWORD")
                .hasMessageContaining("at least 8 characters")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> start(Map.of("password.min-length", "20"), "only-16-chars-pw"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least 20 characters");
        // nothing was created: the next start with an acceptable one makes the administrator
        try (Coffer c = start(Map.of(), "a-good-admin-pw")) {
            assertThat(me(c, "admin", "a-good-admin-pw")).isEqualTo(200);
        }
        // once users exist the variable is not looked at (an old deployment keeps starting)
        try (Coffer c = start(Map.of(), "short")) {
            assertThat(me(c, "admin", "a-good-admin-pw")).isEqualTo(200);
            assertThat(me(c, "admin", "short")).isEqualTo(401);
        }
    }

    @Test
    void theRandomFirstAdminPasswordIsLongEnoughForThePolicy() throws Exception {
        try (Coffer c = start(Map.of("password.min-length", "40"), null)) {
            String pw = Files.readString(data.resolve("admin.password")).strip();
            assertThat(pw).hasSizeGreaterThanOrEqualTo(40);
            assertThat(me(c, "admin", pw)).isEqualTo(200);
        }
    }

    private Run coffer(String stdin, String... args) {
        return InProcessCli.withInput(stdin, data, args);
    }

    @Test
    void userAddRefusesWhatThePolicyRefusesAndCreatesNothing() throws Exception {
        Run shortPw = coffer(null, "user", "add", "bob", "--password", "x");
        assertThat(shortPw.code()).isEqualTo(2);
        assertThat(shortPw.err()).contains("at least 8 characters").doesNotContain("Exception");
        Run stdin = coffer("1234567\n", "user", "add", "bob", "--password-stdin");
        assertThat(stdin.code()).isEqualTo(2);
        assertThat(stdin.err()).contains("at least 8 characters");
        Run name = coffer(null, "user", "add", "robertson", "--password", "ROBERTSON");
        assertThat(name.code()).isEqualTo(2);
        assertThat(name.err()).contains("not be the user name");

        assertThat(coffer("a-fine-password\n", "user", "add", "admin", "--password-stdin", "--admin")
                        .code())
                .isZero();
        // the setting reaches the command line too (config file)
        Path config = data.resolve("weak.properties");
        Files.writeString(config, "password.min-length=3\n");
        assertThat(coffer(null, "user", "add", "carol", "--password", "abc", "--config", config.toString())
                        .code())
                .isZero();
        try (Coffer c = start(Map.of(), null)) {
            assertThat(me(c, "bob", "x")).isEqualTo(401);
            assertThat(me(c, "robertson", "ROBERTSON")).isEqualTo(401);
            assertThat(me(c, "admin", "a-fine-password")).isEqualTo(200);
            assertThat(me(c, "carol", "abc"))
                    .as("set under a weaker rule, it keeps working")
                    .isEqualTo(200);
        }
    }
}
