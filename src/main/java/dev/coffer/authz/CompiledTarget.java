package dev.coffer.authz;

import dev.coffer.common.ArtifactPath;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A permission target with its patterns compiled once, as kept by {@link PermissionIndex}. */
final class CompiledTarget {
    final PermissionTarget target;
    private final boolean anyRepository;
    private final Set<String> repositories;
    private final PathPattern[] includes;
    private final PathPattern[] excludes;
    /** {@link #mayApplyUnder} of the root, once asked (the target is immutable). */
    private volatile Boolean reachesSomePath;

    private CompiledTarget(PermissionTarget target) {
        this.target = target;
        this.anyRepository = target.repositories().contains(PermissionTarget.ANY_REPOSITORY);
        this.repositories = Set.copyOf(target.repositories());
        this.includes = compile(target.includePatterns());
        this.excludes = compile(target.excludePatterns());
    }

    static CompiledTarget of(PermissionTarget target) {
        return new CompiledTarget(Objects.requireNonNull(target, "target"));
    }

    private static PathPattern[] compile(List<String> patterns) {
        return patterns.stream().map(PathPattern::compile).toArray(PathPattern[]::new);
    }

    boolean anyRepository() {
        return anyRepository;
    }

    Set<String> repositories() {
        return repositories;
    }

    boolean appliesToRepo(String repo) {
        return anyRepository || repositories.contains(repo);
    }

    boolean appliesTo(String repo, ArtifactPath path) {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(path, "path");
        return appliesToRepo(repo) && appliesToPath(path);
    }

    boolean appliesToPath(ArtifactPath path) {
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

    /**
     * Could the target apply to {@code folder} or something below it: is there such a path that an
     * include matches and no exclude does ({@link Reach})? Asked for the repository root by every
     * listing of repositories, so that answer is kept.
     */
    boolean mayApplyUnder(ArtifactPath folder) {
        if (folder.isRoot()) {
            Boolean known = reachesSomePath;
            if (known == null) {
                known = Reach.somePath(folder, includes, excludes);
                reachesSomePath = known;
            }
            return known;
        }
        return Reach.somePath(folder, includes, excludes);
    }
}
