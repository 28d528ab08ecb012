package dev.coffer.identity;

import java.util.Objects;
import java.util.Set;

/** A user account. {@code passwordHash} never leaves the server: no JSON view includes it. */
public record User(
        long id,
        String username,
        String passwordHash,
        String email,
        boolean admin,
        boolean disabled,
        Set<String> groups,
        long createdAt,
        long updatedAt) {
    public User {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        groups = Set.copyOf(groups);
    }

    @Override
    public String toString() {
        // records print every field; keep the hash out of any log line that prints a user
        return "User[id=" + id + ", username=" + username + ", admin=" + admin + ", disabled=" + disabled + "]";
    }
}
