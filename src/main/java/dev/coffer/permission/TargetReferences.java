package dev.coffer.permission;

import dev.coffer.authz.PermissionTarget;
import dev.coffer.common.Action;
import dev.coffer.permission.PermissionTargetStore.Kind;
import dev.coffer.permission.PermissionTargetStore.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The users, groups and repositories a permission target names, and the target without some of them. */
public final class TargetReferences {
    private TargetReferences() {}

    /** Users, then groups, then repositories ({@code "*"} names none), each in the target's order. */
    public static List<Reference> of(PermissionTarget t) {
        List<Reference> out = new ArrayList<>();
        t.users().keySet().forEach(u -> out.add(new Reference(Kind.USER, u)));
        t.groups().keySet().forEach(g -> out.add(new Reference(Kind.GROUP, g)));
        for (String r : t.repositories()) {
            if (!PermissionTarget.ANY_REPOSITORY.equals(r)) {
                out.add(new Reference(Kind.REPOSITORY, r));
            }
        }
        return out;
    }

    /**
     * {@code t} without every name for which {@code gone} holds: {@code t} itself when there is none,
     * empty when no repository is left (the target must then go: it would otherwise wait, armed, for
     * a repository to be named into it).
     */
    public static Optional<PermissionTarget> without(PermissionTarget t, Predicate<Reference> gone) {
        Map<String, Set<Action>> users = keep(t.users(), Kind.USER, gone);
        Map<String, Set<Action>> groups = keep(t.groups(), Kind.GROUP, gone);
        List<String> repos = t.repositories().stream()
                .filter(r -> PermissionTarget.ANY_REPOSITORY.equals(r) || !gone.test(new Reference(Kind.REPOSITORY, r)))
                .toList();
        if (repos.isEmpty()) {
            return Optional.empty();
        }
        if (users.size() == t.users().size()
                && groups.size() == t.groups().size()
                && repos.size() == t.repositories().size()) {
            return Optional.of(t);
        }
        return Optional.of(
                new PermissionTarget(t.name(), repos, t.includePatterns(), t.excludePatterns(), users, groups));
    }

    private static Map<String, Set<Action>> keep(
            Map<String, Set<Action>> grants, Kind kind, Predicate<Reference> gone) {
        Map<String, Set<Action>> out = new LinkedHashMap<>();
        grants.forEach((name, actions) -> {
            if (!gone.test(new Reference(kind, name))) {
                out.put(name, actions);
            }
        });
        return out;
    }
}
