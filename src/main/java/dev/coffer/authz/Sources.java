package dev.coffer.authz;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What grants which action, for the explanation of a {@link Decision}: per action, the sources in
 * the order they were found, a label recorded once per action. Built from the owner's rights
 * ({@link #owner}) or from a credential's scope ({@link #scope}); the authorizer intersects the two.
 */
final class Sources {
    /** What granted an action: the matchedBy label and a human sentence. */
    record Source(String label, String reason) {}

    private final Map<Action, Map<String, Source>> byAction = new EnumMap<>(Action.class);

    void add(Set<Action> actions, Source source) {
        for (Action a : actions) {
            byAction.computeIfAbsent(a, k -> new LinkedHashMap<>()).putIfAbsent(source.label(), source);
        }
    }

    List<Source> get(Action a) {
        Map<String, Source> m = byAction.get(a);
        return m == null ? List.of() : new ArrayList<>(m.values());
    }

    Set<Action> actions() {
        return byAction.keySet();
    }

    /**
     * The owner's current rights: everything for admins, else the union of applicable grants. With
     * {@code under}, grants that may apply at or below {@code path}.
     */
    static Sources owner(Principal.User u, RepoAccess repo, ArtifactPath path, boolean under, PermissionIndex index) {
        Sources s = new Sources();
        if (u.admin()) {
            s.add(Action.all(), new Source("admin", "user is an administrator"));
            return s;
        }
        for (PermissionIndex.Grant g : index.grantsFor(u.username(), u.groups(), repo.name())) {
            if (applies(g.target, path, under)) {
                s.add(
                        g.actions,
                        new Source(
                                g.label,
                                "granted by permission target '" + g.target.target.name() + "' via "
                                        + g.via.replaceFirst(":", " '") + "'"));
            }
        }
        return s;
    }

    /** What the credential's scope allows, as a union over its items; intersected with the owner's by the callers. */
    static Sources scope(Principal.User u, RepoAccess repo, ArtifactPath path, boolean under, PermissionIndex index) {
        Sources s = new Sources();
        for (ScopeItem item : u.scope().items()) {
            Source src = new Source("scope:" + item, "");
            if (item instanceof ScopeItem.AppliedUser || item instanceof ScopeItem.AppliedAdmin) {
                s.add(Action.all(), src);
            } else if (item instanceof ScopeItem.AppliedGroups ag) {
                // Regardless of current membership: the intersection with the owner's rights keeps least privilege.
                for (PermissionIndex.Grant g : index.grantsFor(null, ag.groups(), repo.name())) {
                    if (applies(g.target, path, under)) {
                        s.add(g.actions, src);
                    }
                }
            } else if (item instanceof ScopeItem.ArtifactGrant ag) {
                if (ag.repo().equals(repo.name())
                        && (under
                                ? ag.pattern().mayMatchUnder(path)
                                : ag.pattern().matches(path))) {
                    s.add(ag.actions(), src);
                }
            }
        }
        return s;
    }

    private static boolean applies(CompiledTarget t, ArtifactPath path, boolean under) {
        return under ? t.mayApplyUnder(path) : t.appliesToPath(path);
    }
}
