package dev.coffer.token;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The credential cache's key stands for exactly the stored hex hash it replaces on the hot path. */
final class HashKeyTest {
    @Property(tries = 300)
    void theKeyOfASecretIsItsStoredHashAndBack(@ForAll String secret) {
        String hex = Secrets.hash(secret);
        HashKey key = HashKey.of(Secrets.digest(secret));
        assertThat(key.hex()).isEqualTo(hex);
        assertThat(HashKey.ofHex(hex)).isEqualTo(key);
        assertThat(HashKey.ofHex(hex.toUpperCase(java.util.Locale.ROOT))).isEqualTo(key);
    }

    @Property(tries = 300)
    void differentSecretsHaveDifferentKeys(@ForAll String a, @ForAll String b) {
        boolean sameKey = HashKey.of(Secrets.digest(a)).equals(HashKey.of(Secrets.digest(b)));
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
