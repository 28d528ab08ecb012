package dev.coffer.credential;

import dev.coffer.authz.Principal;
import dev.coffer.authz.ScopeItem;
import java.util.Objects;

/**
 * Who is calling and how they proved it; {@code credentialId} names (never reveals) the secret.
 * The anonymous caller, and only it, is {@link AuthMethod#ANONYMOUS}.
 */
public record Caller(Principal principal, AuthMethod authenticatedBy, String credentialId) {
    public static final Caller ANONYMOUS = new Caller(Principal.ANONYMOUS, AuthMethod.ANONYMOUS, null);

    public Caller {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(authenticatedBy, "authenticatedBy");
        if ((authenticatedBy == AuthMethod.ANONYMOUS) != (principal instanceof Principal.Anonymous)
                || authenticatedBy == AuthMethod.REFRESH_TOKEN) {
            throw new IllegalArgumentException("a caller authenticated by " + authenticatedBy.label() + " cannot be "
                    + principal.getClass().getSimpleName());
        }
    }

    /**
     * The caller as a member of the virtual repository {@code virtual} sees it (API.md §9): the
     * same user and credential, its token scope seen through the virtual repository
     * ({@link Principal#throughVirtual}). Ask the rights on {@code member} with it, never on
     * anything else.
     */
    public Caller throughVirtual(String virtual, String member) {
        Principal through = principal.throughVirtual(virtual, member);
        return through == principal ? this : new Caller(through, authenticatedBy, credentialId);
    }

    public boolean isAnonymous() {
        return principal instanceof Principal.Anonymous;
    }

    /**
     * Administrator rights need an administrator whose credential carries them: a password, key or
     * session, or a token scoped to applied-permissions/user or /admin. A narrowly scoped token of
     * an administrator is not an administrator.
     */
    public boolean isAdmin() {
        return principal instanceof Principal.User u
                && u.admin()
                && u.scope().items().stream()
                        .anyMatch(i -> i instanceof ScopeItem.AppliedUser || i instanceof ScopeItem.AppliedAdmin);
    }

    /** True for credentials that carry all of the owner's rights (not narrowed by a token scope). */
    public boolean hasFullUserRights() {
        return principal instanceof Principal.User u
                && u.scope().items().stream()
                        .anyMatch(i -> i instanceof ScopeItem.AppliedUser || i instanceof ScopeItem.AppliedAdmin);
    }

    public long userId() {
        return principal instanceof Principal.User u ? u.userId() : -1;
    }

    /** The user name, or null for the anonymous caller. */
    public String username() {
        return principal instanceof Principal.User u ? u.username() : null;
    }
}
