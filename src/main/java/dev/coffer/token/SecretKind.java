package dev.coffer.token;

/**
 * The kinds of generated secret; the prefix names the kind so that secret scanners can find leaks.
 * How a request authenticated with one is named by {@code credential.AuthMethod}.
 */
public enum SecretKind {
    ACCESS_KEY("cofak_"),
    SESSION_TOKEN("cofst_"),
    ACCESS_TOKEN("cofat_"),
    REFRESH_TOKEN("cofrt_");

    private final String prefix;

    SecretKind(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }
}
