package dev.coffer.authz;

import java.util.Objects;

/** What authorization needs to know about a repository: its name and whether anyone may read it. */
public record RepoAccess(String name, boolean anonymousRead) {
    public RepoAccess {
        Objects.requireNonNull(name, "name");
    }
}
