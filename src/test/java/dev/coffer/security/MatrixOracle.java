package dev.coffer.security;

import dev.coffer.security.MatrixWorld.ArtifactPart;
import dev.coffer.security.MatrixWorld.GroupsPart;
import dev.coffer.security.MatrixWorld.Repo;
import dev.coffer.security.MatrixWorld.ScopePart;
import dev.coffer.security.MatrixWorld.Target;
import dev.coffer.security.MatrixWorld.User;
import dev.coffer.security.MatrixWorld.UserPart;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who may do what, per path, computed from API.md alone (§3 permission targets, §4 rules 1-4, §5
 * scopes) with {@link MatrixGlob}; it never calls dev.coffer.authz.
 *
 * <ul>
 * <li>A user's rights on repo/path: the union of the actions of every target naming the repository
 *     (or "*") with an include pattern that matches and no exclude pattern that matches, given to
 *     the user or to one of the user's groups. Administrators have every action everywhere.
 * <li>A token's rights: that ∩ its scope ({@code applied-permissions/user}: everything;
 *     {@code applied-permissions/groups:g}: what targets give those groups; {@code artifact:}
 *     items: repository, pattern, actions; several items are a union).
 * <li>{@code anonymousRead} gives {@code r} to everyone, with or without credentials.
 * <li>Repository-level questions ("some action on it", "m somewhere in it", "r somewhere in it")
 *     ask, per action, whether the owner holds it on some path of the repository AND the scope
 *     allows it on some path of the repository (the reading that AccessMatrixTest pins for
 *     {@code m}); exposure ({@code anonymousRead: true}) needs {@code m} and {@code r} each through
 *     a grant over the whole repository (include {@code **}, no exclude) and a scope item that
 *     covers the whole repository.
 * </ul>
 */
final class MatrixOracle {
    enum Kind {
        NONE,
        INVALID,
        ADMIN,
        USER
    }

    /** The principal behind a credential; scope null = applied-permissions/user. */
    record Who(Kind kind, User user, List<ScopePart> scope) {
        static final Who NONE = new Who(Kind.NONE, null, null);
        static final Who INVALID = new Who(Kind.INVALID, null, null);
        static final Who ADMIN = new Who(Kind.ADMIN, null, null);

        boolean narrowed() {
            return kind == Kind.USER && scope != null && scope.stream().noneMatch(p -> p instanceof UserPart);
        }

        String username() {
            return kind == Kind.ADMIN ? "admin" : user == null ? null : user.name();
        }
    }

    private final MatrixWorld world;
    private final List<String> segments = new ArrayList<>();
    private final Map<Target, Boolean> reaches = new java.util.HashMap<>();

    MatrixOracle(MatrixWorld world) {
        this.world = world;
        segments.addAll(MatrixWorld.TOP);
        segments.addAll(MatrixWorld.MID);
        segments.addAll(MatrixWorld.NAMES);
        segments.addAll(MatrixWorld.GLOB_INSTANCES);
    }

    static boolean matchesAny(List<String> patterns, String path) {
        return patterns.stream().anyMatch(p -> MatrixGlob.of(p).matches(path));
    }

    static boolean applies(Target t, String repo, String path) {
        return t.names(repo) && matchesAny(t.includes(), path) && !matchesAny(t.excludes(), path);
    }

    boolean anonymousRead(String repo) {
        Repo r = repo.equals(world.virtual.name) ? world.virtual : world.repos.get(repo);
        return r != null && r.exists && r.anonymousRead;
    }

    /** The owner's own rights (password, key, or applied-permissions/user). */
    boolean owner(User u, String repo, String path, char a) {
        return world.targets.stream()
                .anyMatch(t -> applies(t, repo, path) && t.actionsOf(u).indexOf(a) >= 0);
    }

    boolean scopeAllows(List<ScopePart> scope, String repo, String path, char a) {
        if (scope == null) {
            return true;
        }
        for (ScopePart p : scope) {
            if (p instanceof UserPart) {
                return true;
            }
            if (p instanceof GroupsPart g
                    && world.targets.stream()
                            .anyMatch(t -> applies(t, repo, path)
                                    && t.actionsOfGroups(g.groups()).indexOf(a) >= 0)) {
                return true;
            }
            if (p instanceof ArtifactPart ap
                    && ap.repo().equals(repo)
                    && MatrixGlob.of(ap.pattern()).matches(path)
                    && has(ap.actions(), a)) {
                return true;
            }
        }
        return false;
    }

    /** The rights of a valid caller (or none) on one path; INVALID callers are refused before this. */
    boolean may(Who w, String repo, String path, char a) {
        if (a == 'r' && anonymousRead(repo)) {
            return true;
        }
        return switch (w.kind()) {
            case ADMIN -> scopeAllows(w.scope(), repo, path, a);
            case USER -> owner(w.user(), repo, path, a) && scopeAllows(w.scope(), repo, path, a);
            default -> false;
        };
    }

    /**
     * The rights on {@code member} reached through {@code virtual} (API.md §9): the member's own
     * anonymous read, or the owner's rights on the member within the scope seen through the
     * virtual repository ({@link #throughVirtual}).
     */
    boolean mayThrough(Who w, String virtual, String member, String path, char a) {
        if (a == 'r' && anonymousRead(member)) {
            return true;
        }
        List<ScopePart> seen = throughVirtual(w.scope(), virtual, member);
        return switch (w.kind()) {
            case ADMIN -> scopeAllows(seen, member, path, a);
            case USER -> owner(w.user(), member, path, a) && scopeAllows(seen, member, path, a);
            default -> false;
        };
    }

    /**
     * A scope as a member sees it through a virtual repository: an {@code artifact:} item naming
     * the virtual repository covers the same patterns and actions in the member; every other
     * {@code artifact:} item covers nothing there; {@code applied-permissions} items are unchanged.
     */
    static List<ScopePart> throughVirtual(List<ScopePart> scope, String virtual, String member) {
        if (scope == null) {
            return null;
        }
        List<ScopePart> out = new ArrayList<>();
        for (ScopePart p : scope) {
            if (p instanceof ArtifactPart ap) {
                if (ap.repo().equals(virtual)) {
                    out.add(new ArtifactPart(member, ap.pattern(), ap.actions()));
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** Some path (one segment or more) that target t's includes match and its excludes do not. */
    boolean reachesSomePath(Target t) {
        return reaches.computeIfAbsent(t, x -> {
            List<MatrixGlob> exc = x.excludes().stream().map(MatrixGlob::of).toList();
            return x.includes().stream().anyMatch(i -> MatrixGlob.someMatch(MatrixGlob.of(i), exc, segments));
        });
    }

    /** Repository-level: the caller holds {@code a} somewhere in {@code repo}. */
    boolean somewhere(Who w, String repo, char a) {
        if (a == 'r' && anonymousRead(repo)) {
            return true;
        }
        if (w.kind() == Kind.ADMIN) {
            return true;
        }
        if (w.kind() != Kind.USER) {
            return false;
        }
        boolean own = world.targets.stream()
                .anyMatch(t -> t.names(repo) && t.actionsOf(w.user()).indexOf(a) >= 0 && reachesSomePath(t));
        if (!own || w.scope() == null) {
            return own;
        }
        for (ScopePart p : w.scope()) {
            if (p instanceof UserPart) {
                return true;
            }
            if (p instanceof GroupsPart g
                    && world.targets.stream()
                            .anyMatch(t -> t.names(repo)
                                    && t.actionsOfGroups(g.groups()).indexOf(a) >= 0
                                    && reachesSomePath(t))) {
                return true;
            }
            if (p instanceof ArtifactPart ap && ap.repo().equals(repo) && has(ap.actions(), a)) {
                return true;
            }
        }
        return false;
    }

    /** Some action of §3 on the repository (what /api/repositories lists). */
    boolean someAction(Who w, String repo) {
        for (char a : "rwdamxs".toCharArray()) {
            if (somewhere(w, repo, a)) {
                return true;
            }
        }
        return false;
    }

    /** {@code a} over the whole repository: every path, no exclude, for owner and scope alike. */
    boolean whole(Who w, String repo, char a) {
        if (w.kind() == Kind.ADMIN) {
            return true;
        }
        if (w.kind() != Kind.USER) {
            return false;
        }
        boolean own = world.targets.stream()
                .anyMatch(
                        t -> t.names(repo) && t.whole() && t.actionsOf(w.user()).indexOf(a) >= 0);
        if (!own || w.scope() == null) {
            return own;
        }
        for (ScopePart p : w.scope()) {
            if (p instanceof UserPart) {
                return true;
            }
            if (p instanceof GroupsPart g
                    && world.targets.stream()
                            .anyMatch(t -> t.names(repo)
                                    && t.whole()
                                    && t.actionsOfGroups(g.groups()).indexOf(a) >= 0)) {
                return true;
            }
            if (p instanceof ArtifactPart ap
                    && ap.repo().equals(repo)
                    && ap.pattern().equals("**")
                    && has(ap.actions(), a)) {
                return true;
            }
        }
        return false;
    }

    /** The files at or below {@code folder} ("" = root). */
    List<String> filesBelow(String repo, String folder) {
        Repo r = world.repos.get(repo);
        List<String> out = new ArrayList<>();
        if (r == null || !r.exists) {
            return out;
        }
        for (String p : r.files.keySet()) {
            if (folder.isEmpty() || p.startsWith(folder + "/")) {
                out.add(p);
            }
        }
        return out;
    }

    boolean isFile(String repo, String path) {
        Repo r = world.repos.get(repo);
        return r != null && r.exists && r.files.containsKey(path);
    }

    /**
     * The children a listing of {@code folder} shows: a file when readable, a folder when some file
     * below it is readable. Name to "is a folder".
     */
    Map<String, Boolean> visibleChildren(Who w, String repo, String folder) {
        Map<String, Boolean> out = new TreeMap<>();
        for (String p : filesBelow(repo, folder)) {
            if (!may(w, repo, p, 'r')) {
                continue;
            }
            String rest = folder.isEmpty() ? p : p.substring(folder.length() + 1);
            int slash = rest.indexOf('/');
            if (slash < 0) {
                out.put(rest, false);
            } else {
                out.put(rest.substring(0, slash), true);
            }
        }
        return out;
    }

    /** All children, readable or not (to check that unreadable ones are absent). */
    Set<String> allChildren(String repo, String folder) {
        Set<String> out = new LinkedHashSet<>();
        for (String p : filesBelow(repo, folder)) {
            String rest = folder.isEmpty() ? p : p.substring(folder.length() + 1);
            int slash = rest.indexOf('/');
            out.add(slash < 0 ? rest : rest.substring(0, slash));
        }
        return out;
    }

    private static boolean has(String actions, char a) {
        return actions.equals("*") || actions.indexOf(a) >= 0;
    }

    /** The status of a refusal: 401 for a caller without credentials, else 403 (§4 rules 1, 3). */
    static int refused(Who w) {
        return w.kind() == Kind.NONE ? 401 : 403;
    }
}
