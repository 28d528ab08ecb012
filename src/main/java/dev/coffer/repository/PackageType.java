package dev.coffer.repository;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a repository holds and which client protocol serves it (API.md §9). Fixed at creation.
 * {@code generic} is what every repository was before package types existed; Maven clients keep
 * working on it.
 */
public enum PackageType {
    GENERIC,
    MAVEN,
    NPM,
    PYPI,
    OCI;

    /** The JSON and database spelling: {@code generic}, {@code maven}, ... */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Formats whose protocol Coffer serves today (every class); the others are refused at creation until they are. */
    public boolean supported() {
        return this == GENERIC || this == MAVEN || this == NPM;
    }

    public static Optional<PackageType> parse(String text) {
        return Arrays.stream(values()).filter(t -> t.json().equals(text)).findFirst();
    }
}
