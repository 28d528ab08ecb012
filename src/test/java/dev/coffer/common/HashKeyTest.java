package dev.coffer.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The cache key stands for exactly the SHA-256 (and its stored hex text) it replaces on the hot path. */
final class HashKeyTest {
    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Property(tries = 300)
    void theKeyOfASecretIsItsStoredHashAndBack(@ForAll String secret) {
        String hex = HexFormat.of().formatHex(digest(secret));
        HashKey key = HashKey.of(digest(secret));
        assertThat(key.hex()).isEqualTo(hex);
        assertThat(HashKey.ofHex(hex)).isEqualTo(key);
        assertThat(HashKey.ofHex(hex.toUpperCase(java.util.Locale.ROOT))).isEqualTo(key);
    }

    @Property(tries = 300)
    void differentSecretsHaveDifferentKeys(@ForAll String a, @ForAll String b) {
        boolean sameKey = HashKey.of(digest(a)).equals(HashKey.of(digest(b)));
        assertThat(sameKey).isEqualTo(a.equals(b));
    }

    @Test
    void somethingThatIsNoHashHasNoKey() {
        for (String s :
                new String[] {null, "", "abc", "g".repeat(64), "0".repeat(63), "0".repeat(65), " " + "0".repeat(63)}) {
            assertThat(HashKey.ofHex(s)).as("'%s'", s).isNull();
        }
    }
}
