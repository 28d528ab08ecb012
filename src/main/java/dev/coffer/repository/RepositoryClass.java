package dev.coffer.repository;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a repository's content comes from (API.md §9, Artifactory's {@code rclass}): hosted here,
 * fetched from an upstream and cached, or read through an ordered list of member repositories.
 * Fixed at creation.
 */
public enum RepositoryClass {
    LOCAL,
    REMOTE,
    VIRTUAL;

    /** The JSON and database spelling: {@code local}, {@code remote}, {@code virtual}. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RepositoryClass> parse(String text) {
        return Arrays.stream(values()).filter(c -> c.json().equals(text)).findFirst();
    }
}
