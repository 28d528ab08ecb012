package dev.coffer.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Digests;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** API.md §4 key and token format: kind prefix, high-entropy body, checksum suffix. */
class SecretsTest {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @Provide
    Arbitrary<SecretKind> kinds() {
        return Arbitraries.of(SecretKind.values());
    }

    @Provide
    Arbitrary<String> secrets() {
        return kinds().map(Secrets::generate);
    }

    // ---- examples

    @ParameterizedTest
    @EnumSource(SecretKind.class)
    void generatedSecretsVerifyAsTheirKind(SecretKind kind) {
        for (int i = 0; i < 200; i++) {
            String s = Secrets.generate(kind);
            assertThat(Secrets.verifyFormat(s)).contains(kind);
            assertThat(Secrets.prefixKind(s)).contains(kind);
            assertThat(Secrets.looksLikeSecret(s)).isTrue();
        }
    }

    @Test
    void prefixesNameTheKind() {
        assertThat(SecretKind.ACCESS_KEY.prefix()).isEqualTo("cofak_");
        assertThat(SecretKind.SESSION_TOKEN.prefix()).isEqualTo("cofst_");
        assertThat(SecretKind.ACCESS_TOKEN.prefix()).isEqualTo("cofat_");
        assertThat(SecretKind.REFRESH_TOKEN.prefix()).isEqualTo("cofrt_");
        for (SecretKind k : SecretKind.values()) {
            assertThat(Secrets.generate(k)).startsWith(k.prefix());
        }
    }

    @ParameterizedTest
    @EnumSource(SecretKind.class)
    void layoutIsPrefixPlus43Base62PlusSixBase62(SecretKind kind) {
        String s = Secrets.generate(kind);
        assertThat(s).hasSize(kind.prefix().length() + 43 + 6);
        assertThat(s.substring(kind.prefix().length())).matches("[0-9A-Za-z]{49}");
        assertThat(Secrets.BODY).isEqualTo(43);
        assertThat(Secrets.CHECK).isEqualTo(6);
    }

    @Test
    void bodyCarriesAtLeast160BitsOfRandomness() {
        // 43 characters drawn uniformly from 62 symbols: 43 * log2(62) ~ 256 bits
        double bits = Secrets.BODY * (Math.log(ALPHABET.length()) / Math.log(2));
        assertThat(bits).isGreaterThanOrEqualTo(160);
        // and the generator really uses the whole alphabet at every position of the body
        int n = 4000;
        Set<String> bodies = new HashSet<>();
        int[][] seen = new int[Secrets.BODY][ALPHABET.length()];
        int[] total = new int[ALPHABET.length()];
        for (int i = 0; i < n; i++) {
            String s = Secrets.generate(SecretKind.ACCESS_KEY);
            String body = s.substring(6, 6 + Secrets.BODY);
            bodies.add(body);
            for (int p = 0; p < body.length(); p++) {
                int c = ALPHABET.indexOf(body.charAt(p));
                seen[p][c]++;
                total[c]++;
            }
        }
        assertThat(bodies).hasSize(n);
        for (int p = 0; p < Secrets.BODY; p++) {
            long distinct = java.util.Arrays.stream(seen[p]).filter(x -> x > 0).count();
            assertThat(distinct).as("distinct symbols at body position %d", p).isGreaterThanOrEqualTo(55);
        }
        // each symbol's overall frequency is close to uniform (expected n*43/62 ~ 2774)
        double expected = (double) n * Secrets.BODY / ALPHABET.length();
        for (int c = 0; c < ALPHABET.length(); c++) {
            assertThat(total[c]).as("count of %s", ALPHABET.charAt(c)).isBetween((int) (expected * 0.85), (int)
                    (expected * 1.15));
        }
    }

    @Test
    void hashIsSha256Hex() throws Exception {
        String s = Secrets.generate(SecretKind.ACCESS_TOKEN);
        String expected = Digests.sha256(s);
        assertThat(Secrets.hash(s)).isEqualTo(expected).matches("[0-9a-f]{64}").doesNotContain(s);
        assertThat(Secrets.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aKeyBodyUnderAnotherKindsPrefixIsRejected() {
        for (SecretKind from : SecretKind.values()) {
            for (SecretKind to : SecretKind.values()) {
                if (from == to) {
                    continue;
                }
                for (int i = 0; i < 50; i++) {
                    String s = Secrets.generate(from);
                    String flipped = to.prefix() + s.substring(from.prefix().length());
                    assertThat(Secrets.verifyFormat(flipped))
                            .as("%s -> %s", s, flipped)
                            .isEmpty();
                    assertThat(Secrets.prefixKind(flipped)).contains(to);
                }
            }
        }
    }

    @Test
    void garbageIsRejected() {
        for (String s : new String[] {
            "",
            "cofak_",
            "cofak",
            "COFAK_" + "a".repeat(49),
            "hello",
            "cofxx_" + "a".repeat(49),
            " " + Secrets.generate(SecretKind.ACCESS_KEY),
            Secrets.generate(SecretKind.ACCESS_KEY) + " ",
            "cofak_" + "a".repeat(43) + "======",
            "cofak_" + "é".repeat(49)
        }) {
            assertThat(Secrets.verifyFormat(s)).as("'%s'", s).isEmpty();
        }
        assertThat(Secrets.verifyFormat(null)).isEmpty();
        assertThat(Secrets.prefixKind(null)).isEmpty();
    }

    @Test
    void idsAreShortRandomAndNotSecrets() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = Secrets.id();
            assertThat(id).matches("[0-9A-Za-z]{16}");
            assertThat(Secrets.looksLikeSecret(id)).isFalse();
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    // ---- properties

    @Property(tries = 60)
    void everySingleCharacterSubstitutionIsRejected(@ForAll("secrets") String secret) {
        char[] probe = (ALPHABET + "_-+/=. é\u0000").toCharArray();
        for (int i = 0; i < secret.length(); i++) {
            for (char c : probe) {
                if (c == secret.charAt(i)) {
                    continue;
                }
                String changed = secret.substring(0, i) + c + secret.substring(i + 1);
                Optional<SecretKind> k = Secrets.verifyFormat(changed);
                assertThat(k)
                        .as("position %d changed to '%s': %s", i, c, changed)
                        .isEmpty();
            }
        }
    }

    @Property(tries = 200)
    void everyTruncationIsRejected(@ForAll("secrets") String secret) {
        for (int len = 0; len < secret.length(); len++) {
            assertThat(Secrets.verifyFormat(secret.substring(0, len)))
                    .as("truncated to %d", len)
                    .isEmpty();
            assertThat(Secrets.verifyFormat(secret.substring(secret.length() - len)))
                    .as("head cut to %d", len)
                    .isEmpty();
        }
    }

    @Property(tries = 100)
    void everyExtensionOrInsertionIsRejected(@ForAll("secrets") String secret) {
        for (char c : ALPHABET.toCharArray()) {
            assertThat(Secrets.verifyFormat(secret + c)).isEmpty();
            assertThat(Secrets.verifyFormat(secret + c + c)).isEmpty();
        }
        for (int i = 0; i <= secret.length(); i++) {
            String inserted = secret.substring(0, i) + 'x' + secret.substring(i);
            assertThat(Secrets.verifyFormat(inserted)).isEmpty();
        }
    }

    @Property(tries = 200)
    void adjacentTranspositionsAreRejected(@ForAll("secrets") String secret) {
        for (int i = 0; i + 1 < secret.length(); i++) {
            if (secret.charAt(i) == secret.charAt(i + 1)) {
                continue;
            }
            String swapped = secret.substring(0, i) + secret.charAt(i + 1) + secret.charAt(i) + secret.substring(i + 2);
            assertThat(Secrets.verifyFormat(swapped)).as("swap at %d", i).isEmpty();
        }
    }

    @Property(tries = 500)
    void verifyFormatAcceptsExactlyGeneratedValuesOfTheirKind(@ForAll("kinds") SecretKind kind) {
        String s = Secrets.generate(kind);
        assertThat(Secrets.verifyFormat(s)).contains(kind);
        assertThat(Secrets.hash(s)).hasSize(64);
    }

    @Property(tries = 300)
    void randomStringsWithAPrefixAlmostNeverVerify(@ForAll("kinds") SecretKind kind) {
        String body = Arbitraries.strings()
                .withChars(ALPHABET.toCharArray())
                .ofLength(49)
                .sample();
        // a random 49-char tail passes the CRC-32 check with probability ~2^-32
        assertThat(Secrets.verifyFormat(kind.prefix() + body)).isEmpty();
    }
}
