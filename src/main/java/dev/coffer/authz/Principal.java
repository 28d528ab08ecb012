package dev.coffer.authz;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Who is asking: nobody (no credentials) or an authenticated user with the scope of the credential used. */
public sealed interface Principal permits Principal.Anonymous, Principal.User {
    Principal ANONYMOUS = new Anonymous();

    /**
     * This principal as seen by {@code member} when it is reached through the virtual repository
     * {@code virtual} (API.md §9): the same owner and rights, with the credential's scope seen
     * through the virtual repository ({@link Scope#throughVirtual}). Decisions on the member with
     * it never grant more than the scope grants on the virtual repository intersected with the
     * owner's rights on the member (or the member's own anonymous read).
     */
    default Principal throughVirtual(String virtual, String member) {
        if (this instanceof User u) {
            Scope seen = u.scope().throughVirtual(virtual, member);
            return seen == u.scope() ? this : new User(u.userId(), u.username(), u.admin(), u.groups(), seen);
        }
        return this;
    }

    /** A request without credentials; its only right is reading anonymously readable repositories. */
    record Anonymous() implements Principal {}

    /** scope: what the credential in use carries; Scope.USER for passwords, session tokens and access keys. */
    record User(long userId, String username, boolean admin, Set<String> groups, Scope scope) implements Principal {
        public User {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(groups, "groups");
            Objects.requireNonNull(scope, "scope");
            // Sorted so that decisions (and their reasons) do not depend on hash order.
            groups = Collections.unmodifiableSortedSet(new TreeSet<>(groups));
        }
    }
}
