package dev.coffer.authz;

import dev.coffer.common.Action;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable, precomputed index over all permission targets, built once per change, shared by
 * all requests. Grants are bucketed by user name and by group name, and inside each bucket by
 * repository (with {@code "*"} targets kept apart), so a check only looks at the targets that
 * mention the principal and the repository, however many targets exist.
 */
public final class PermissionIndex {
    public static final PermissionIndex EMPTY = new PermissionIndex(List.of());

    private final List<PermissionTarget> targets;
    private final Map<String, Bucket> byUser = new HashMap<>();
    private final Map<String, Bucket> byGroup = new HashMap<>();

    private PermissionIndex(List<PermissionTarget> targets) {
        this.targets = List.copyOf(targets);
        for (PermissionTarget t : this.targets) {
            CompiledTarget ct = CompiledTarget.of(t);
            t.users()
                    .forEach((user, actions) -> byUser.computeIfAbsent(user, k -> new Bucket())
                            .add(new Grant(ct, "user:" + user, actions)));
            t.groups()
                    .forEach((group, actions) -> byGroup.computeIfAbsent(group, k -> new Bucket())
                            .add(new Grant(ct, "group:" + group, actions)));
        }
    }

    public static PermissionIndex of(Collection<PermissionTarget> targets) {
        Objects.requireNonNull(targets, "targets");
        return targets.isEmpty() ? EMPTY : new PermissionIndex(new ArrayList<>(targets));
    }

    public List<PermissionTarget> targets() {
        return targets;
    }

    /** Grants naming {@code username} (may be null for none) or any of {@code groups}, for targets covering {@code repo}. */
    List<Grant> grantsFor(String username, Collection<String> groups, String repo) {
        List<Grant> out = new ArrayList<>();
        if (username != null) {
            Bucket b = byUser.get(username);
            if (b != null) {
                b.collect(repo, out);
            }
        }
        for (String g : groups) {
            Bucket b = byGroup.get(g);
            if (b != null) {
                b.collect(repo, out);
            }
        }
        return out;
    }

    /** One (target, user-or-group) pair with the actions it grants; {@code label} is its matchedBy text. */
    static final class Grant {
        final CompiledTarget target;
        final String via;
        final Set<Action> actions;
        final String label;

        Grant(CompiledTarget target, String via, Set<Action> actions) {
            this.target = target;
            this.via = via;
            this.actions = actions;
            this.label = "target:" + target.target.name() + "(" + via + ")";
        }
    }

    /** The grants of one user or group, by repository name; "*" targets apply to every repository. */
    private static final class Bucket {
        private final Map<String, List<Grant>> byRepo = new HashMap<>();
        private final List<Grant> anyRepo = new ArrayList<>();

        void add(Grant g) {
            if (g.target.anyRepository()) {
                anyRepo.add(g);
            } else {
                // A Set so that a target listing a repository twice is indexed once.
                for (String repo : new LinkedHashSet<>(g.target.target.repositories())) {
                    byRepo.computeIfAbsent(repo, k -> new ArrayList<>()).add(g);
                }
            }
        }

        void collect(String repo, List<Grant> out) {
            List<Grant> named = byRepo.get(repo);
            if (named != null) {
                out.addAll(named);
            }
            out.addAll(anyRepo);
        }
    }
}
