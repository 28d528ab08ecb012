package dev.coffer.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactPathTest {

    @ParameterizedTest(name = "rejects {0}")
    @ValueSource(
            strings = {
                "a/../b",
                "..",
                "a/..",
                "../a",
                "a/./b",
                ".",
                "a//b",
                "/a//b",
                "a/%2e%2e/b",
                "a/%2E%2E/b",
                "a/%2e%2E/b",
                "a/%2e./b",
                "a/.%2e/b",
                "a/%2e/b",
                "%2e",
                "a/%2fb",
                "a%2Fb",
                "a/%2F",
                "a/%252e%252e/b",
                "a/%252fb",
                "a/%25252e/b",
                "a\\b",
                "a%5cb",
                "a%5Cb",
                "a/%00",
                "a%00b",
                "a/%0a",
                "a/%0D",
                "a/%7f",
                "a/%c2%85",
                "a/%ff",
                "a/%c3",
                "a/%zz",
                "a/%2",
                "a/%"
            })
    void rejectsEveryForbiddenForm(String raw) {
        assertThatThrownBy(() -> ArtifactPath.parseEncoded(raw))
                .isInstanceOfSatisfying(
                        CofferException.class,
                        e -> assertThat(e.failure().code()).isEqualTo("path_invalid"));
    }

    @Test
    void rejectsOverlongSegmentsAndPaths() {
        String seg255 = "a".repeat(255);
        assertThat(ArtifactPath.parseEncoded(seg255).name()).hasSize(255);
        assertThatThrownBy(() -> ArtifactPath.parseEncoded("a".repeat(256))).isInstanceOf(CofferException.class);
        // 255 bytes in UTF-8 is what counts, not characters: 128 two-byte letters are 256 bytes
        assertThatThrownBy(() -> ArtifactPath.of("é".repeat(128))).isInstanceOf(CofferException.class);
        String path1024 =
                String.join("/", List.of("b".repeat(255), "b".repeat(255), "b".repeat(255), "b".repeat(254), "b"));
        assertThat(path1024).hasSize(1024);
        assertThat(ArtifactPath.of(path1024).depth()).isEqualTo(5);
        assertThatThrownBy(() -> ArtifactPath.of(path1024 + "b")).isInstanceOf(CofferException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "com/acme/lib.jar|com/acme/lib.jar",
                "com/acme/|com/acme",
                "a%20b/c|a b/c",
                "%C3%BCn%C3%AFc%C3%B8d%C3%A9.txt|ünïcødé.txt",
                "a.b..c/...x|a.b..c/...x",
                "x%3Bkey|x;key",
                "a+b|a+b",
            })
    void decodesEachSegmentOnce(String raw, String expected) {
        assertThat(ArtifactPath.parseEncoded(raw).toString()).isEqualTo(expected);
    }

    @Test
    void rootAndFamily() {
        assertThat(ArtifactPath.parseEncoded("").isRoot()).isTrue();
        assertThat(ArtifactPath.of("/").isRoot()).isTrue();
        ArtifactPath p = ArtifactPath.of("test1/com/x.jar");
        assertThat(p.parent()).isEqualTo(ArtifactPath.of("test1/com"));
        assertThat(p.name()).isEqualTo("x.jar");
        assertThat(ArtifactPath.of("test1/com").isSameOrAncestorOf(p)).isTrue();
        assertThat(ArtifactPath.of("test1/co").isSameOrAncestorOf(p)).isFalse();
        assertThat(ArtifactPath.of("test1/com").isSameOrAncestorOf(ArtifactPath.of("test1/comm/x")))
                .isFalse();
        assertThat(ArtifactPath.of("Com")).isNotEqualTo(ArtifactPath.of("com"));
    }

    @Provide
    Arbitrary<String> segment() {
        return Arbitraries.strings()
                .ofMinLength(1)
                .ofMaxLength(40)
                .withCharRange('!', '~')
                .withChars('é', 'ü', '中', ' ')
                .filter(s -> !s.equals(".")
                        && !s.equals("..")
                        && s.indexOf('/') < 0
                        && s.indexOf('\\') < 0
                        && !s.matches(".*%[0-9a-fA-F]{2}.*"));
    }

    @Property(tries = 500)
    void encodingThenParsingIsTheIdentity(@ForAll("segment") String a, @ForAll("segment") String b) {
        ArtifactPath p = ArtifactPath.of(a + "/" + b);
        String encoded = encode(a) + "/" + encode(b);
        assertThat(ArtifactPath.parseEncoded(encoded)).isEqualTo(p);
        assertThat(p.segments()).containsExactly(a, b);
    }

    @Property(tries = 500)
    void parsingNeverThrowsAnythingButPathInvalid(@ForAll String raw) {
        try {
            ArtifactPath p = ArtifactPath.parseEncoded(raw);
            assertThat(p.segments())
                    .noneMatch(
                            s -> s.equals("..") || s.equals(".") || s.contains("/") || s.contains("\\") || s.isEmpty());
        } catch (CofferException e) {
            assertThat(e.failure().code()).isEqualTo("path_invalid");
        }
    }

    private static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            sb.append('%').append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }
}
