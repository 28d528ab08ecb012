package dev.coffer.token;

/** The kinds of generated secret; the prefix names the kind so that secret scanners can find leaks. */
public enum SecretKind {
    ACCESS_KEY("cofak_", "access-key"),
    SESSION_TOKEN("cofst_", "session-token"),
    ACCESS_TOKEN("cofat_", "access-token"),
    REFRESH_TOKEN("cofrt_", "refresh-token");

    private final String prefix;
    private final String label;

    SecretKind(String prefix, String label) {
        this.prefix = prefix;
        this.label = label;
    }

    public String prefix() {
        return prefix;
    }

    /** The name used in /api/me's authenticatedBy and in audit records. */
    public String label() {
        return label;
    }
}
