package dev.coffer.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Upstream passwords at rest: AES-256-GCM, a fresh nonce per value, bound to its repository, refused clearly when wrong. */
class SecretBoxTest {
    private static final String PASSWORD = "upstream-pa55word-ünïcode";

    private static byte[] key() {
        byte[] k = new byte[SecretBox.KEY_BYTES];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private static CofferException unreadable(SecretBox box, String sealed, String context) {
        CofferException e = catchThrowableOfType(CofferException.class, () -> box.open(sealed, context));
        assertThat(e).as("opening must fail").isNotNull();
        assertThat(e.failure()).isInstanceOf(Failure.Unavailable.class);
        assertThat(e.failure().code()).isEqualTo("secret_unreadable");
        assertThat(e.getMessage()).contains("'" + context + "'").doesNotContain(PASSWORD);
        if (sealed != null && sealed.length() > 8) {
            assertThat(e.getMessage()).doesNotContain(sealed.substring(3));
        }
        assertThat(e.getCause()).isNull();
        return e;
    }

    @Test
    void roundTripWithAVersionPrefixAndAFreshNonceEachTime() {
        SecretBox box = new SecretBox(key());
        String a = box.seal(PASSWORD, "central");
        String b = box.seal(PASSWORD, "central");

        assertThat(a).startsWith("v1:").doesNotContain(PASSWORD);
        assertThat(a).isNotEqualTo(b);
        byte[] raw = Base64.getDecoder().decode(a.substring(3));
        assertThat(raw.length).isEqualTo(12 + PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 16);
        assertThat(box.open(a, "central")).isEqualTo(PASSWORD);
        assertThat(box.open(b, "central")).isEqualTo(PASSWORD);
        assertThat(box.open(box.seal("", "central"), "central")).isEmpty();
    }

    @Test
    void aTamperedValueDoesNotOpen() {
        SecretBox box = new SecretBox(key());
        String sealed = box.seal(PASSWORD, "central");
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        for (int i : new int[] {0, 11, 12, raw.length - 1}) {
            byte[] t = raw.clone();
            t[i] ^= 1;
            unreadable(box, "v1:" + Base64.getEncoder().withoutPadding().encodeToString(t), "central");
        }
        unreadable(box, sealed.substring(0, 20), "central");
        unreadable(box, "v1:not base64!", "central");
        unreadable(box, "v2:" + sealed.substring(3), "central");
        unreadable(box, PASSWORD, "central");
        unreadable(box, null, "central");
    }

    @Test
    void anotherKeyOrAnotherRepositoryDoesNotOpen() {
        String sealed = new SecretBox(key()).seal(PASSWORD, "central");
        assertThat(unreadable(new SecretBox(key()), sealed, "central").getMessage())
                .contains("secrets.key-file");
        byte[] k = key();
        SecretBox box = new SecretBox(k);
        // copied into another repository's row, it does not open there
        unreadable(box, box.seal(PASSWORD, "central"), "other");
        assertThat(new SecretBox(k.clone()).opens(box.seal(PASSWORD, "central"), "central"))
                .isTrue();
    }

    @Test
    void theKeyIsThirtyTwoBytesAndNeverShown() {
        assertThatThrownBy(() -> new SecretBox(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        byte[] k = key();
        SecretBox box = new SecretBox(k);
        assertThat(box.fingerprint()).hasSize(16).isEqualTo(new SecretBox(k.clone()).fingerprint());
        assertThat(box.toString())
                .contains(box.fingerprint())
                .doesNotContain(Base64.getEncoder().encodeToString(k));
        String sealed = box.seal(PASSWORD, "c");
        k[0] ^= 1; // the box keeps its own copy
        assertThat(box.open(sealed, "c")).isEqualTo(PASSWORD);
    }
}
