package dev.coffer.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void masksEveryKindOfSecretAndNothingElse() {
        for (SecretKind k : SecretKind.values()) {
            String secret = Secrets.generate(k);
            String line = "DELETE /api/tokens/" + secret + " failed";
            assertThat(Redaction.secrets(line))
                    .doesNotContain(secret.substring(6))
                    .isEqualTo("DELETE /api/tokens/" + k.prefix() + "[redacted] failed");
        }
        assertThat(Redaction.secrets("/repository/libs/cofak.txt")).isEqualTo("/repository/libs/cofak.txt");
        assertThat(Redaction.secrets(null)).isNull();
    }

    /** Issue 15 item 4: the access log wrote DELETE /api/tokens/cofst%5F… as it came. */
    @Test
    void masksPercentEncodedSecretsOnceOrTwiceInAnyCase() {
        for (SecretKind k : SecretKind.values()) {
            String secret = Secrets.generate(k);
            String body = secret.substring(k.prefix().length());
            for (String form : java.util.List.of(
                    secret.replace("_", "%5F"),
                    secret.replace("_", "%5f"),
                    secret.replace("_", "%255F"),
                    secret.replace("_", "%25255f"),
                    everyByte(secret),
                    everyByte(secret).replace("%", "%25"),
                    secret.replace("c", "%63"))) {
                String masked = Redaction.secrets("/api/tokens/" + form);
                assertThat(masked)
                        .as(form)
                        .isEqualTo("/api/tokens/" + k.prefix() + "[redacted]")
                        .doesNotContain(body);
                assertThat(Redaction.containsSecret(form)).isTrue();
            }
        }
    }

    @Test
    void masksASecretGluedToOtherWordCharacters() {
        String secret = Secrets.generate(SecretKind.ACCESS_KEY);
        // the whole run of word characters goes: a partly masked run could keep part of a secret
        assertThat(Redaction.secrets("x_" + secret)).isEqualTo("cofak_[redacted]");
        assertThat(Redaction.secrets("agent/1.0x" + secret + "_y")).isEqualTo("agent/1.cofak_[redacted]");
        assertThat(Redaction.secrets("/a/x_" + secret.replace("_", "%5F") + "/f"))
                .isEqualTo("/a/cofak_[redacted]/f");
        assertThat(Redaction.secrets("x%5F" + secret)).isEqualTo("cofak_[redacted]");
        assertThat(Redaction.secrets("cofak_" + secret)).isEqualTo("cofak_[redacted]");
    }

    @Test
    void aSecretIsFoundAsSentEvenWhereDecodingWouldHideIt() {
        String secret = Secrets.generate(SecretKind.ACCESS_TOKEN);
        // "%5c" + "ofat_…" decodes to a backslash and "ofat_…": the raw text holds the secret
        assertThat(Redaction.secrets("/x%5" + secret)).isEqualTo("/cofat_[redacted]");
        assertThat(Redaction.secrets("/a/x%0a" + secret.replace("_", "%5F") + "%2Fy"))
                .isEqualTo("/a/cofat_[redacted]");
    }

    @Test
    void textWithoutSecretsIsUnchangedEvenWithEscapes() {
        for (String s : java.util.List.of(
                "/repository/libs/100%25/f.txt",
                "/a%2Fb",
                "%zz%",
                "%",
                "cofak_",
                "cof%61k_",
                "COFAK_ABC",
                "/repository/libs/app/1.0/app.zip",
                "ünïcödé %C3%BC",
                "%E2%82")) {
            assertThat(Redaction.secrets(s)).as(s).isSameAs(s);
            assertThat(Redaction.containsSecret(s)).isFalse();
        }
    }

    @Test
    void encodedAtAnyDepthOrThroughEncodedEscapesIsFound() {
        String deep = "cofak%5FABC";
        for (int i = 0; i < Redaction.MAX_DECODINGS + 3; i++) {
            deep = deep.replace("%", "%25");
        }
        assertThat(Redaction.secrets("/p/" + deep + "/q")).isEqualTo("/p/cofak_[redacted]/q");
        // the hex digits of an escape escaped in turn: "%%36%33" decodes to "%63", then to "c"
        assertThat(Redaction.secrets("/p/%%36%33ofak_ABC")).isEqualTo("/p/cofak_[redacted]");
        // whatever is still encoded after the last round counted is masked rather than guessed at
        String other = "%41";
        for (int i = 0; i < Redaction.MAX_DECODINGS + 1; i++) {
            other = other.replace("%", "%25");
        }
        assertThat(Redaction.secrets("/p/" + other + "/q")).isEqualTo("/p/[redacted]/q");
    }

    @Test
    void secretShapedNamesIncludeBarePrefixesAndEncodedOnes() {
        for (SecretKind k : SecretKind.values()) {
            assertThat(Redaction.secretShaped(k.prefix())).isTrue();
            assertThat(Redaction.secretShaped("ci_" + k.prefix() + "bot")).isTrue();
            assertThat(Redaction.secretShaped(k.prefix().replace("_", "%5F") + "x"))
                    .isTrue();
        }
        for (String ok : java.util.List.of("alice", "cofak", "co_fak", "cofak-bot", "coffee_1", "COFAK_X")) {
            assertThat(Redaction.secretShaped(ok)).as(ok).isFalse();
        }
        assertThat(Redaction.prefixes())
                .containsExactly(java.util.Arrays.stream(SecretKind.values())
                        .map(SecretKind::prefix)
                        .toArray(String[]::new));
    }

    /** Whatever surrounds it and however it is encoded, a secret's random body never survives. */
    @Property(tries = 300)
    void noBodySurvives(
            @ForAll("noise") String before, @ForAll("noise") String after, @ForAll("encodings") int encoding) {
        String secret = Secrets.generate(SecretKind.values()[Math.abs(before.length() + after.length()) % 4]);
        String form = switch (encoding) {
            case 0 -> secret;
            case 1 -> URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("_", "%5F");
            case 2 -> everyByte(secret);
            default -> secret.replace("_", "%5F").replace("%", "%25");
        };
        String text = before + form + after;
        String masked = Redaction.secrets(text);
        assertThat(masked).doesNotContain(secret.substring(6)).contains("[redacted]");
        assertThat(Redaction.secrets(masked)).isEqualTo(masked);
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("ab_%/ 5F2-\n\u00e9\"cAo36").ofMaxLength(8);
    }

    @Provide
    Arbitrary<Integer> encodings() {
        return Arbitraries.integers().between(0, 3);
    }

    private static String everyByte(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append('%').append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }
}
