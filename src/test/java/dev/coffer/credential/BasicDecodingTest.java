package dev.coffer.credential;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Basic credentials are strict UTF-8 base64 of "user:password": ASCII takes a shortcut, the rest does not. */
class BasicDecodingTest {
    private static String encode(byte[] raw) {
        return Base64.getEncoder().encodeToString(raw);
    }

    private static String encode(String pair) {
        return encode(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void asciiAndUtf8PairsAreSplitAtTheFirstColon() {
        assertThat(Authenticator.decodeBasic(encode("ci:s3cr:et")))
                .hasValueSatisfying(p -> assertThat(p).containsExactly("ci", "s3cr:et"));
        assertThat(Authenticator.decodeBasic(encode("jürgen:pässwört€")))
                .hasValueSatisfying(p -> assertThat(p).containsExactly("jürgen", "pässwört€"));
    }

    @Test
    void bytesThatAreNotUtf8AreMalformed() {
        // "päss" in ISO-8859-1: the 0xE4 byte alone is no UTF-8, and must not be read as Latin-1
        assertThat(Authenticator.decodeBasic(encode("ci:päss".getBytes(StandardCharsets.ISO_8859_1))))
                .isEmpty();
        assertThat(Authenticator.decodeBasic(encode(new byte[] {'c', 'i', ':', (byte) 0xff})))
                .isEmpty();
    }

    @Test
    void noColonOrNoBase64IsMalformed() {
        assertThat(Authenticator.decodeBasic(encode("just-a-name"))).isEmpty();
        assertThat(Authenticator.decodeBasic("not base64!")).isEmpty();
    }

    @Property
    void everyPairComesBackAsSent(@ForAll String user, @ForAll String password) {
        Assume.that(user.indexOf(':') < 0);
        // lone surrogates cannot be encoded as UTF-8, so no client can send them
        Assume.that(new String((user + password).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .equals(user + password));
        assertThat(Authenticator.decodeBasic(encode(user + ":" + password)))
                .hasValueSatisfying(p -> assertThat(p).containsExactly(user, password));
    }
}
