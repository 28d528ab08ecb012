package dev.coffer.authz;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Who is asking: nobody (no credentials) or an authenticated user with the scope of the credential used. */
public sealed interface Principal permits Principal.Anonymous, Principal.User {
    Principal ANONYMOUS = new Anonymous();

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
