package dev.coffer.credential;

/**
 * How a caller proved who they are: the one vocabulary of /api/me's {@code authenticatedBy}, audit
 * records, the access log and the authentication meters (API.md §4), each written as its
 * {@link #label()}.
 */
public enum AuthMethod {
    ANONYMOUS("anonymous"),
    PASSWORD("password"),
    ACCESS_KEY("access-key"),
    ACCESS_TOKEN("access-token"),
    SESSION_TOKEN("session-token"),
    /**
     * The refresh grant's own credential: its handler checks it and audits the grant so. It is
     * never a request's {@link Caller}.
     */
    REFRESH_TOKEN("refresh-token");

    private final String label;

    AuthMethod(String label) {
        this.label = label;
    }

    /** The wire name: {@code anonymous}, {@code password}, {@code access-key}, ... */
    public String label() {
        return label;
    }

    /** In sentences: "access key", "session token". */
    String words() {
        return label.replace('-', ' ');
    }
}
