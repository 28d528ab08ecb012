package dev.coffer.identity;

import dev.coffer.common.CofferException;
import java.util.Locale;

/**
 * What a password must be when it is set (by the API, the command line or the first start): at
 * least {@code minLength} characters (counted as code points, so an emoji is one), at most
 * {@link #MAX_LENGTH}, and not the user name in any case. It is checked when a password is set,
 * never at login: an account whose password was set under an older, weaker rule keeps working.
 */
public record PasswordPolicy(int minLength) {
    /** The {@code password.min-length} default. */
    public static final int DEFAULT_MIN_LENGTH = 8;
    /** Longest password (hashing cost is bounded by it). */
    public static final int MAX_LENGTH = 1024;

    public PasswordPolicy {
        if (minLength < 1 || minLength > MAX_LENGTH) {
            throw new IllegalArgumentException("the shortest password must be 1 to " + MAX_LENGTH + " characters");
        }
    }

    /** 400 {@code password_invalid} with a sentence that says why (never quoting the password). */
    public void check(String username, String password) {
        if (password.length() > MAX_LENGTH) {
            throw refused("a password may have at most " + MAX_LENGTH + " characters");
        }
        if (password.codePointCount(0, password.length()) < minLength) {
            throw refused("a password must have at least " + minLength + " characters");
        }
        if (username != null && password.toLowerCase(Locale.ROOT).equals(username.toLowerCase(Locale.ROOT))) {
            throw refused("a password may not be the user name");
        }
    }

    private static CofferException refused(String message) {
        return CofferException.invalid("password_invalid", message);
    }
}
