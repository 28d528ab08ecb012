package dev.coffer.authz;

import dev.coffer.common.ArtifactPath;
import java.util.List;
import java.util.Objects;

/**
 * The paths that include patterns match and no exclude pattern does, in the permission targets'
 * pattern syntax: a repository's include/exclude patterns (API.md §9: which paths a virtual
 * repository asks a member for) use the very matching that permission targets do.
 */
public final class PathSet {
    private final PathPattern[] includes;
    private final PathPattern[] excludes;
    private final boolean everything;

    private PathSet(PathPattern[] includes, PathPattern[] excludes) {
        this.includes = includes;
        this.excludes = excludes;
        this.everything = excludes.length == 0
                && List.of(includes).stream().anyMatch(p -> p.toString().equals("**"));
    }

    /**
     * Compiles the patterns.
     *
     * @throws IllegalArgumentException naming a pattern that is not valid
     */
    public static PathSet of(List<String> includePatterns, List<String> excludePatterns) {
        Objects.requireNonNull(includePatterns, "includePatterns");
        Objects.requireNonNull(excludePatterns, "excludePatterns");
        return new PathSet(compile(includePatterns), compile(excludePatterns));
    }

    private static PathPattern[] compile(List<String> patterns) {
        return patterns.stream().map(PathPattern::compile).toArray(PathPattern[]::new);
    }

    /** Every path (include {@code **}, nothing excluded). */
    public boolean isEverything() {
        return everything;
    }

    public boolean contains(ArtifactPath path) {
        Objects.requireNonNull(path, "path");
        if (everything) {
            return true;
        }
        for (PathPattern e : excludes) {
            if (e.matches(path)) {
                return false;
            }
        }
        for (PathPattern i : includes) {
            if (i.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** Is {@code folder} itself or some path below it in the set ({@link Reach}: never a false yes)? */
    public boolean reachesUnder(ArtifactPath folder) {
        Objects.requireNonNull(folder, "folder");
        return everything || Reach.somePath(folder, includes, excludes);
    }
}
