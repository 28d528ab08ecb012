package dev.coffer.authz;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Artifactory's permission target: which actions which users and groups have on which paths of
 * which repositories. {@code "*"} in {@code repositories} means every repository.
 *
 * <p>Its lists are bounded ({@link #MAX_PATTERNS}, {@link #MAX_REPOSITORIES}, {@link #MAX_PRINCIPALS},
 * {@link #MAX_NAME_CHARS}), and each pattern is bounded by {@link PathPattern}: every request of
 * the users it names is checked against its patterns.
 */
public record PermissionTarget(
        String name,
        List<String> repositories,
        List<String> includePatterns,
        List<String> excludePatterns,
        Map<String, Set<Action>> users,
        Map<String, Set<Action>> groups) {

    public static final String ANY_REPOSITORY = "*";
    /** Most include patterns, and most exclude patterns, of one target. */
    public static final int MAX_PATTERNS = 100;
    /** Most repositories one target names. */
    public static final int MAX_REPOSITORIES = 1000;
    /** Most users, and most groups, one target grants to. */
    public static final int MAX_PRINCIPALS = 1000;
    /** Longest repository, user or group name in a target. */
    public static final int MAX_NAME_CHARS = 255;

    private static final String LIMITS = "a permission target has at most " + MAX_REPOSITORIES + " repositories, "
            + MAX_PATTERNS + " include and " + MAX_PATTERNS + " exclude patterns, " + MAX_PRINCIPALS + " users and "
            + MAX_PRINCIPALS + " groups, names of at most " + MAX_NAME_CHARS + " characters";

    public PermissionTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(repositories, "repositories");
        Objects.requireNonNull(includePatterns, "includePatterns");
        Objects.requireNonNull(excludePatterns, "excludePatterns");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(groups, "groups");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a permission target needs a name");
        }
        // sizes before anything is copied or compiled
        checkSize(name, "repositories", repositories.size(), MAX_REPOSITORIES);
        checkSize(name, "includePatterns", includePatterns.size(), MAX_PATTERNS);
        checkSize(name, "excludePatterns", excludePatterns.size(), MAX_PATTERNS);
        checkSize(name, "users", users.size(), MAX_PRINCIPALS);
        checkSize(name, "groups", groups.size(), MAX_PRINCIPALS);
        if (repositories.isEmpty()) {
            throw new IllegalArgumentException("permission target '" + name + "' names no repository");
        }
        for (String r : repositories) {
            if (r == null || r.isBlank()) {
                throw new IllegalArgumentException("permission target '" + name + "' has a blank repository name");
            }
            checkName(name, "repositories", r);
        }
        repositories = List.copyOf(repositories);
        // Artifactory's default: no include pattern means everything.
        includePatterns = includePatterns.isEmpty() ? List.of("**") : List.copyOf(includePatterns);
        excludePatterns = List.copyOf(excludePatterns);
        checkPatterns(name, "includePatterns", includePatterns);
        checkPatterns(name, "excludePatterns", excludePatterns);
        users = copyGrants(name, "user", users);
        groups = copyGrants(name, "group", groups);
    }

    private static void checkSize(String name, String field, int size, int max) {
        if (size > max) {
            throw new IllegalArgumentException("permission target '" + PathPattern.abbreviate(name) + "': '" + field
                    + "' has more than " + max + " entries (" + LIMITS + ")");
        }
    }

    private static void checkName(String name, String field, String value) {
        if (value.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("permission target '" + PathPattern.abbreviate(name) + "': a name in '"
                    + field + "' is longer than " + MAX_NAME_CHARS + " characters (" + LIMITS + ")");
        }
    }

    private static void checkPatterns(String name, String field, List<String> patterns) {
        for (String p : patterns) {
            try {
                PathPattern.compile(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "permission target '" + name + "', '" + field + "': " + e.getMessage(), e);
            }
        }
    }

    private static Map<String, Set<Action>> copyGrants(String name, String kind, Map<String, Set<Action>> in) {
        Map<String, Set<Action>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Set<Action>> e : in.entrySet()) {
            String who = e.getKey();
            if (who == null || who.isBlank()) {
                throw new IllegalArgumentException("permission target '" + name + "' has a blank " + kind + " name");
            }
            checkName(name, kind + "s", who);
            Set<Action> actions = Objects.requireNonNull(e.getValue(), "actions of " + kind + " " + who);
            Set<Action> copy = EnumSet.noneOf(Action.class);
            for (Action a : new ArrayList<>(actions)) {
                copy.add(Objects.requireNonNull(a, "action"));
            }
            out.put(who, Collections.unmodifiableSet(copy));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The repository matches and some include pattern matches and no exclude pattern does.
     * Compiles the patterns on each call; {@link PermissionIndex} keeps a compiled form for hot paths.
     */
    public boolean appliesTo(String repo, ArtifactPath path) {
        return CompiledTarget.of(this).appliesTo(repo, path);
    }
}
