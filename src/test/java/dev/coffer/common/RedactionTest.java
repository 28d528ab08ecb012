package dev.coffer.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void masksEveryKindOfSecretAndNothingElse() {
        for (SecretKind k : SecretKind.values()) {
            String secret = Secrets.generate(k);
            String line = "DELETE /api/tokens/" + secret + " failed";
            assertThat(Redaction.secrets(line)).doesNotContain(secret.substring(6))
                    .isEqualTo("DELETE /api/tokens/" + k.prefix() + "[redacted] failed");
        }
        assertThat(Redaction.secrets("/repository/libs/cofak.txt")).isEqualTo("/repository/libs/cofak.txt");
        assertThat(Redaction.secrets(null)).isNull();
    }
}
