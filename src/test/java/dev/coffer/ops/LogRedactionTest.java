package dev.coffer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The server log (logback.xml) writes messages and stack traces through Redaction. */
class LogRedactionTest {
    @Test
    void messagesAndStackTracesAreMasked() {
        String secret = Secrets.generate(SecretKind.SESSION_TOKEN);
        String encoded = Secrets.generate(SecretKind.ACCESS_KEY).replace("_", "%5F");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger("coffer.test")
                    .warn(
                            "failure on DELETE /api/tokens/{} and {}",
                            secret,
                            encoded,
                            new IllegalStateException("bad token " + secret, new RuntimeException("cause " + encoded)));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log)
                .contains("failure on DELETE /api/tokens/cofst_[redacted] and cofak_[redacted]")
                .contains("IllegalStateException: bad token cofst_[redacted]")
                .contains("cause cofak_[redacted]")
                .contains("at dev.coffer.ops.LogRedactionTest")
                .doesNotContain(secret.substring(6))
                .doesNotContain(encoded.substring(8));
    }
}
