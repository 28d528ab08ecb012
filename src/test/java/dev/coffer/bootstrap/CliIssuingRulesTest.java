package dev.coffer.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 15 (finding 21): {@code coffer token create} follows the rule the HTTP API follows for an
 * administrator (IssuingRules): no token for a disabled user, at most 100 years.
 */
class CliIssuingRulesTest {
    @TempDir
    Path data;

    private record Run(int code, String out, String err) {}

    private Run coffer(String... args) {
        CommandLine cl = new CommandLine(new Main());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--data",
                data.toString())).toArray(String[]::new);
        return new Run(cl.execute(all), out.toString(), err.toString());
    }

    @Test
    void theCommandLineAndHttpRefuseTheSameThings() {
        assertThat(coffer("user", "add", "admin", "--password", TestServer.ADMIN_PASSWORD, "--admin").code()).isZero();
        assertThat(coffer("user", "add", "dave", "--password", "dave-password").code()).isZero();
        try (TestServer s = TestServer.start(data, Map.of(), false)) {
            assertThat(s.admin().putJson("/api/users/dave", "{\"disabled\":true}").status()).isEqualTo(200);
            assertThat(s.admin().header("Content-Type", "application/x-www-form-urlencoded")
                    .post("/access/api/v1/tokens", "username=dave").status()).isEqualTo(400);
        }
        Run disabled = coffer("token", "create", "--user", "dave");
        assertThat(disabled.code()).isEqualTo(2);
        assertThat(disabled.err()).contains("'dave' is disabled");
        assertThat(disabled.out()).isEmpty();

        Run tooLong = coffer("token", "create", "--user", "admin", "--expires-in", "3153600001");
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.out()).isEmpty();
        Run hundredYears = coffer("token", "create", "--user", "admin", "--expires-in", "3153600000");
        assertThat(hundredYears.code()).as(hundredYears.err()).isZero();
        Run never = coffer("token", "create", "--user", "admin", "--expires-in", "0");
        assertThat(never.code()).as(never.err()).isZero();
        assertThat(never.err()).contains("never expires");
    }
}
