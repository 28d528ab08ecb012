package dev.coffer.authz;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides what a principal may do (API.md §3, §4 rule 4). Stateless and pure: everything it needs
 * is in its arguments, so one instance serves all requests.
 *
 * <p>Effective rights = owner's current rights ∩ the credential's scope, plus {@code r} on
 * repositories with anonymous read (public means public: a credential never reduces what anyone
 * may read).
 */
public final class Authorizer {

    public Decision decide(Principal p, Action action, RepoAccess repo, ArtifactPath path, PermissionIndex index) {
        Objects.requireNonNull(p, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(index, "index");
        String where = repo.name() + "/" + path;
        boolean publicRead = action == Action.READ && repo.anonymousRead();
        if (!(p instanceof Principal.User u)) {
            if (publicRead) {
                return anonymousRead(repo);
            }
            return Decision.deny(repo.anonymousRead() || action != Action.READ
                    ? "anonymous users may only read, and only repositories that allow anonymous read"
                    : "repository '" + repo.name() + "' does not allow anonymous read");
        }
        Sources owner = owner(u, repo, path, false, index);
        List<Source> granted = owner.get(action);
        if (granted.isEmpty()) {
            return publicRead ? anonymousRead(repo) : Decision.deny("no permission target grants '" + action.letter()
                    + "' on " + where + " to " + u.username());
        }
        boolean scoped = !u.scope().equals(Scope.USER);
        List<Source> allowedByScope = scoped ? scope(u, repo, path, false, index).get(action) : List.of();
        if (scoped && allowedByScope.isEmpty()) {
            return publicRead ? anonymousRead(repo) : Decision.deny("the token's scope does not cover '"
                    + action.letter() + "' on " + where + ": " + u.scope().summary());
        }
        List<String> matchedBy = new ArrayList<>();
        granted.forEach(s -> matchedBy.add(s.label));
        allowedByScope.forEach(s -> matchedBy.add(s.label));
        String reason = granted.get(0).reason
                + (granted.size() > 1 ? " (and " + (granted.size() - 1) + " more)" : "")
                + (scoped ? ", within the token's scope" : "");
        return Decision.allow(reason, matchedBy);
    }

    /**
     * {@code decide(...).allowed()} without building the explanation: the per-request check of a
     * download, where sentences and labels would cost more than the decision itself.
     */
    public boolean allows(Principal p, Action action, RepoAccess repo, ArtifactPath path, PermissionIndex index) {
        Objects.requireNonNull(p, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(index, "index");
        if (action == Action.READ && repo.anonymousRead()) {
            return true; // public means public, whatever the credential
        }
        if (!(p instanceof Principal.User u) || !ownerHas(u, action, repo, path, index)) {
            return false;
        }
        return u.scope().equals(Scope.USER) || scopeHas(u, action, repo, path, index);
    }

    private static boolean ownerHas(Principal.User u, Action action, RepoAccess repo, ArtifactPath path,
            PermissionIndex index) {
        if (u.admin()) {
            return true;
        }
        for (PermissionIndex.Grant g : index.grantsFor(u.username(), u.groups(), repo.name())) {
            if (g.actions.contains(action) && g.target.appliesToPath(path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean scopeHas(Principal.User u, Action action, RepoAccess repo, ArtifactPath path,
            PermissionIndex index) {
        for (ScopeItem item : u.scope().items()) {
            if (item instanceof ScopeItem.AppliedUser || item instanceof ScopeItem.AppliedAdmin) {
                return true;
            } else if (item instanceof ScopeItem.AppliedGroups ag) {
                for (PermissionIndex.Grant g : index.grantsFor(null, ag.groups(), repo.name())) {
                    if (g.actions.contains(action) && g.target.appliesToPath(path)) {
                        return true;
                    }
                }
            } else if (item instanceof ScopeItem.ArtifactGrant ag) {
                if (ag.repo().equals(repo.name()) && ag.actions().contains(action) && ag.pattern().matches(path)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** may {@code action} be allowed on {@code folder} or on some path below it? (folder listings, storage children) */
    public boolean mayActUnder(Principal p, Action action, RepoAccess repo, ArtifactPath folder, PermissionIndex index) {
        Objects.requireNonNull(p, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(index, "index");
        return effectiveUnder(p, repo, folder, index).contains(action);
    }

    /** the actions the principal has somewhere in the repository (for listing repositories: shown when non-empty) */
    public Set<Action> actionsSomewhereIn(Principal p, RepoAccess repo, PermissionIndex index) {
        Objects.requireNonNull(p, "principal");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(index, "index");
        return Collections.unmodifiableSet(effectiveUnder(p, repo, ArtifactPath.ROOT, index));
    }

    /**
     * Does the principal hold every one of {@code actions} on every path of the repository, those
     * that exist and any added later? The test of a change that widens who may see the repository
     * (API.md §3: turning anonymous read on, and later adding a virtual member or changing a
     * remote's url): the caller must already hold those rights over all of what it exposes.
     *
     * <p>Conservative on purpose. An administrator counts only with a credential that carries
     * admin rights ({@code applied-permissions/user} or {@code /admin}, as {@code Caller.isAdmin}).
     * Anyone else needs, for each action, one grant through a permission target that names the
     * repository (or "*"), includes {@code **} and excludes nothing, and one item of the
     * credential's scope that covers the whole repository for it as well. Rights that only add up
     * to everything across several targets do not count, nor does an administrator's narrowed
     * token, nor the repository's own anonymous read (that is everyone's read, not the caller's).
     *
     * @throws IllegalArgumentException when {@code actions} is empty (there is nothing to cover)
     */
    public boolean coversWholeRepository(Principal p, Set<Action> actions, RepoAccess repo, PermissionIndex index) {
        Objects.requireNonNull(p, "principal");
        Objects.requireNonNull(actions, "actions");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(index, "index");
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("no actions to cover");
        }
        if (!(p instanceof Principal.User u)) {
            return false;
        }
        boolean ownerCredential = carriesOwnerRights(u.scope());
        if (u.admin() && ownerCredential) {
            return true;
        }
        List<PermissionIndex.Grant> owned = index.grantsFor(u.username(), u.groups(), repo.name());
        for (Action a : actions) {
            if (!anyCoversAll(owned, a, repo)) {
                return false;
            }
            if (!ownerCredential && !scopeCoversAll(u.scope(), a, repo, index)) {
                return false;
            }
        }
        return true;
    }

    /** The scope carries all of the owner's rights (applied-permissions/user or /admin among its items). */
    private static boolean carriesOwnerRights(Scope scope) {
        for (ScopeItem item : scope.items()) {
            if (item instanceof ScopeItem.AppliedUser || item instanceof ScopeItem.AppliedAdmin) {
                return true;
            }
        }
        return false;
    }

    private static boolean scopeCoversAll(Scope scope, Action action, RepoAccess repo, PermissionIndex index) {
        for (ScopeItem item : scope.items()) {
            if (item instanceof ScopeItem.ArtifactGrant ag) {
                if (ag.repo().equals(repo.name()) && ag.actions().contains(action) && isEverything(ag.pattern())) {
                    return true;
                }
            } else if (item instanceof ScopeItem.AppliedGroups ag) {
                if (anyCoversAll(index.grantsFor(null, ag.groups(), repo.name()), action, repo)) {
                    return true;
                }
            }
            // applied-permissions/user and /admin were handled by the caller (carriesOwnerRights)
        }
        return false;
    }

    private static boolean anyCoversAll(List<PermissionIndex.Grant> grants, Action action, RepoAccess repo) {
        for (PermissionIndex.Grant g : grants) {
            if (g.actions.contains(action) && coversAll(g.target.target, repo)) {
                return true;
            }
        }
        return false;
    }

    /** The target applies to every path of the repository: it names it or "*", includes "**", excludes nothing. */
    private static boolean coversAll(PermissionTarget t, RepoAccess repo) {
        if (!t.excludePatterns().isEmpty()) {
            return false;
        }
        if (!t.repositories().contains(repo.name()) && !t.repositories().contains(PermissionTarget.ANY_REPOSITORY)) {
            return false;
        }
        for (String include : t.includePatterns()) {
            if (isEverything(PathPattern.compile(include))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Only the pattern "**" itself (a leading '/' aside): other spellings that match everything
     * too (two "**" segments in a row) are refused rather than reasoned about.
     */
    private static boolean isEverything(PathPattern pattern) {
        return pattern.toString().equals("**");
    }

    private EnumSet<Action> effectiveUnder(Principal p, RepoAccess repo, ArtifactPath folder, PermissionIndex index) {
        EnumSet<Action> out = EnumSet.noneOf(Action.class);
        if (p instanceof Principal.User u) {
            out.addAll(owner(u, repo, folder, true, index).actions());
            if (!u.scope().equals(Scope.USER)) {
                out.retainAll(scope(u, repo, folder, true, index).actions());
            }
        }
        if (repo.anonymousRead()) {
            out.add(Action.READ);
        }
        return out;
    }

    private static Decision anonymousRead(RepoAccess repo) {
        return Decision.allow("repository '" + repo.name() + "' allows anonymous read", List.of("anonymousRead"));
    }

    /** The owner's current rights: everything for admins, else the union of applicable grants. */
    private static Sources owner(Principal.User u, RepoAccess repo, ArtifactPath path, boolean under, PermissionIndex index) {
        Sources s = new Sources();
        if (u.admin()) {
            s.add(Action.all(), new Source("admin", "user is an administrator"));
            return s;
        }
        for (PermissionIndex.Grant g : index.grantsFor(u.username(), u.groups(), repo.name())) {
            if (applies(g.target, path, under)) {
                s.add(g.actions, new Source(g.label, "granted by permission target '" + g.target.target.name()
                        + "' via " + g.via.replaceFirst(":", " '") + "'"));
            }
        }
        return s;
    }

    /** What the credential's scope allows, as a union over its items; intersected with the owner's by the callers. */
    private static Sources scope(Principal.User u, RepoAccess repo, ArtifactPath path, boolean under, PermissionIndex index) {
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
                        && (under ? ag.pattern().mayMatchUnder(path) : ag.pattern().matches(path))) {
                    s.add(ag.actions(), src);
                }
            }
        }
        return s;
    }

    private static boolean applies(CompiledTarget t, ArtifactPath path, boolean under) {
        return under ? t.mayApplyUnder(path) : t.appliesToPath(path);
    }

    /** What granted an action: the matchedBy label and a human sentence. */
    private static final class Source {
        final String label;
        final String reason;

        Source(String label, String reason) {
            this.label = label;
            this.reason = reason;
        }
    }

    /** Sources per action, in the order they were found; a label is recorded once per action. */
    private static final class Sources {
        private final Map<Action, Map<String, Source>> byAction = new EnumMap<>(Action.class);

        void add(Set<Action> actions, Source source) {
            for (Action a : actions) {
                byAction.computeIfAbsent(a, k -> new LinkedHashMap<>()).putIfAbsent(source.label, source);
            }
        }

        List<Source> get(Action a) {
            Map<String, Source> m = byAction.get(a);
            return m == null ? List.of() : new ArrayList<>(m.values());
        }

        Set<Action> actions() {
            return byAction.keySet();
        }
    }
}
