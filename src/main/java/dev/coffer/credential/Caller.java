package dev.coffer.credential;

import dev.coffer.authz.Principal;
import java.util.Objects;

/**
 * Who is calling and how they proved it. {@code authenticatedBy} is one of anonymous, password,
 * access-key, access-token, session-token; {@code credentialId} names (never reveals) the secret.
 */
public record Caller(Principal principal, String authenticatedBy, String credentialId) {
    public static final Caller ANONYMOUS = new Caller(Principal.ANONYMOUS, "anonymous", null);

    public Caller {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(authenticatedBy, "authenticatedBy");
    }

    public boolean isAnonymous() {
        return principal instanceof Principal.Anonymous;
    }

    public boolean isAdmin() {
        return principal instanceof Principal.User u && u.admin();
    }

    /** The user name, or null for the anonymous caller. */
    public String username() {
        return principal instanceof Principal.User u ? u.username() : null;
    }
}
