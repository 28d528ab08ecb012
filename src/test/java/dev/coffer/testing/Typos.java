package dev.coffer.testing;

import dev.coffer.token.Secrets;
import java.util.Arrays;
import java.util.Base64;

/** Credentials with one character wrong, as a user mistypes or a proxy mangles them. */
public final class Typos {
    private Typos() {}

    /** The secret with its character 20 before the end (in its random body) set to 'A', or 'B' where it was 'A'. */
    public static String mistype(String secret) {
        return replaceAt(secret, secret.length() - 20);
    }

    /** The text (a secret or a password) with its middle character set to 'A', or 'B' where it was 'A'. */
    public static String mistypeMiddle(String text) {
        return replaceAt(text, text.length() / 2);
    }

    private static String replaceAt(String s, int i) {
        char c = s.charAt(i) == 'A' ? 'B' : 'A';
        return s.substring(0, i) + c + s.substring(i + 1);
    }

    /** The secret with the case of one letter of its random body changed, which fails its checksum. */
    public static String flipCase(String secret) {
        int start = secret.indexOf('_') + 1;
        for (int i = start; i < secret.length() - 6; i++) {
            String twin = flipAt(secret, i);
            if (twin != null && Secrets.verifyFormat(twin).isEmpty()) {
                return twin;
            }
        }
        throw new IllegalStateException("no letter to change in the secret's body");
    }

    /** The Authorization value "Basic base64" with the case of one letter changed: a different user:password. */
    public static String flipBasic(String authorization) {
        return "Basic " + flipBase64(authorization.substring("Basic ".length()));
    }

    private static String flipBase64(String b64) {
        byte[] decoded = Base64.getDecoder().decode(b64);
        for (int i = 0; i < b64.length() - 4; i++) {
            String twin = flipAt(b64, i);
            if (twin != null && !Arrays.equals(Base64.getDecoder().decode(twin), decoded)) {
                return twin;
            }
        }
        throw new IllegalStateException("no letter to change in " + b64);
    }

    private static String flipAt(String s, int i) {
        char ch = s.charAt(i);
        char flipped = Character.isUpperCase(ch)
                ? Character.toLowerCase(ch)
                : Character.isLowerCase(ch) ? Character.toUpperCase(ch) : ch;
        return flipped == ch ? null : s.substring(0, i) + flipped + s.substring(i + 1);
    }
}
