package dev.coffer.authz;

import java.util.Objects;

/**
 * A scope that does not follow the grammar of API.md §5; {@link #part()} is the offending item. The
 * message quotes only the start of it, since it goes back to the caller in a 400.
 */
public final class ScopeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String part;

    public ScopeException(String part, String reason) {
        super("scope part '" + PathPattern.abbreviate(Objects.requireNonNull(part, "part")) + "' is invalid: "
                + Objects.requireNonNull(reason, "reason"));
        this.part = part;
    }

    public String part() {
        return part;
    }
}
