package dev.coffer.repository;

import java.util.Objects;

/** A repository and its one access switch: anonymousRead lets requests without credentials read it. */
public record Repository(String name, String description, boolean anonymousRead, long createdAt, long updatedAt) {
    public Repository {
        Objects.requireNonNull(name, "name");
    }
}
