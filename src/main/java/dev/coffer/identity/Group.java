package dev.coffer.identity;

import java.util.Objects;

public record Group(String name, String description, long createdAt, long updatedAt) {
    public Group {
        Objects.requireNonNull(name, "name");
    }
}
