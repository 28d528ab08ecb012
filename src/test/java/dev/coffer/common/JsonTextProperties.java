package dev.coffer.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Hand-quoted JSON strings: any Java string, lone surrogates included, survives UTF-8 and a JSON parser exactly. */
class JsonTextProperties {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Provide
    Arbitrary<String> anyChars() {
        // every UTF-16 unit, so unpaired and reversed surrogates come up often
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(24),
                Arbitraries.strings()
                        .withChars("\"\\\n\u2028\u2029\ud800\udc00\udbff\udfff a\u00e9\u0000")
                        .ofMaxLength(12));
    }

    @Property(tries = 3000)
    void anyStringReadsBackUnchangedAfterUtf8(@ForAll("anyChars") String s) throws Exception {
        StringBuilder sb = new StringBuilder();
        JsonText.quote(sb, s);
        String quoted = sb.toString();

        assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(quoted))
                .as("no lone surrogate left")
                .isTrue();
        assertThat(quoted)
                .doesNotContain("\n")
                .doesNotContain("\r")
                .doesNotContain("\u2028")
                .doesNotContain("\u2029");
        byte[] utf8 = quoted.getBytes(StandardCharsets.UTF_8);
        assertThat(JSON.readTree(utf8).textValue()).isEqualTo(s);
    }

    @Property(tries = 500)
    void textWithoutSpecialCharactersIsOnlyWrappedInQuotes(@ForAll("anyChars") String s) {
        String plain = s.codePoints()
                .filter(c -> c >= 0x20
                                && c != '"'
                                && c != '\\'
                                && c != 0x2028
                                && c != 0x2029
                                && !Character.isSurrogate((char) c)
                        || Character.isSupplementaryCodePoint(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        StringBuilder sb = new StringBuilder();
        JsonText.quote(sb, plain);
        assertThat(sb.toString()).isEqualTo('"' + plain + '"');
    }

    @Property(tries = 10)
    void nullIsTheJsonNull(@ForAll boolean ignored) {
        StringBuilder sb = new StringBuilder("x");
        JsonText.quote(sb, null);
        assertThat(sb.toString()).isEqualTo("xnull");
    }
}
