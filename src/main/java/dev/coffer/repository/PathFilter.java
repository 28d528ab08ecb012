package dev.coffer.repository;

import java.util.List;
import java.util.Objects;

/**
 * A repository's include and exclude patterns (API.md §9): which paths a virtual repository asks
 * it for, and which paths a remote one fetches from its upstream. Patterns use the permission
 * targets' syntax ({@code **}, {@code *}, {@code ?}).
 */
public record PathFilter(List<String> includePatterns, List<String> excludePatterns) {
    /** Every path: the default. */
    public static final PathFilter ALL = new PathFilter(List.of("**"), List.of());

    public PathFilter {
        includePatterns = List.copyOf(Objects.requireNonNull(includePatterns, "includePatterns"));
        excludePatterns = List.copyOf(Objects.requireNonNull(excludePatterns, "excludePatterns"));
    }
}
