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
 */
public record PermissionTarget(
        String name,
        List<String> repositories,
        List<String> includePatterns,
        List<String> excludePatterns,
        Map<String, Set<Action>> users,
        Map<String, Set<Action>> groups) {

    public static final String ANY_REPOSITORY = "*";

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
        if (repositories.isEmpty()) {
            throw new IllegalArgumentException("permission target '" + name + "' names no repository");
        }
        for (String r : repositories) {
            if (r == null || r.isBlank()) {
                throw new IllegalArgumentException("permission target '" + name + "' has a blank repository name");
            }
        }
        repositories = List.copyOf(repositories);
        // Artifactory's default: no include pattern means everything.
        includePatterns = includePatterns.isEmpty() ? List.of("**") : List.copyOf(includePatterns);
        excludePatterns = List.copyOf(excludePatterns);
        checkPatterns(name, includePatterns);
        checkPatterns(name, excludePatterns);
        users = copyGrants(name, "user", users);
        groups = copyGrants(name, "group", groups);
    }

    private static void checkPatterns(String name, List<String> patterns) {
        for (String p : patterns) {
            try {
                PathPattern.compile(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("permission target '" + name + "': " + e.getMessage(), e);
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
