package dev.coffer.authz;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
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
            return Decision.deny(
                    repo.anonymousRead() || action != Action.READ
                            ? "anonymous users may only read, and only repositories that allow anonymous read"
                            : "repository '" + repo.name() + "' does not allow anonymous read");
        }
        Sources owner = Sources.owner(u, repo, path, false, index);
        List<Sources.Source> granted = owner.get(action);
        if (granted.isEmpty()) {
            return publicRead
                    ? anonymousRead(repo)
                    : Decision.deny("no permission target grants '" + action.letter() + "' on " + where + " to "
                            + u.username());
        }
        boolean scoped = !u.scope().equals(Scope.USER);
        List<Sources.Source> allowedByScope =
                scoped ? Sources.scope(u, repo, path, false, index).get(action) : List.of();
        if (scoped && allowedByScope.isEmpty()) {
            return publicRead
                    ? anonymousRead(repo)
                    : Decision.deny("the token's scope does not cover '" + action.letter() + "' on " + where + ": "
                            + u.scope().summary());
        }
        List<String> matchedBy = new ArrayList<>();
        granted.forEach(s -> matchedBy.add(s.label()));
        allowedByScope.forEach(s -> matchedBy.add(s.label()));
        String reason = granted.get(0).reason()
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

    private static boolean ownerHas(
            Principal.User u, Action action, RepoAccess repo, ArtifactPath path, PermissionIndex index) {
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

    private static boolean scopeHas(
            Principal.User u, Action action, RepoAccess repo, ArtifactPath path, PermissionIndex index) {
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
                if (ag.repo().equals(repo.name())
                        && ag.actions().contains(action)
                        && ag.pattern().matches(path)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** may {@code action} be allowed on {@code folder} or on some path below it? (folder listings, storage children) */
    public boolean mayActUnder(
            Principal p, Action action, RepoAccess repo, ArtifactPath folder, PermissionIndex index) {
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
        return WholeRepository.covers(u, actions, repo, index);
    }

    private EnumSet<Action> effectiveUnder(Principal p, RepoAccess repo, ArtifactPath folder, PermissionIndex index) {
        EnumSet<Action> out = EnumSet.noneOf(Action.class);
        if (p instanceof Principal.User u) {
            out.addAll(Sources.owner(u, repo, folder, true, index).actions());
            if (!u.scope().equals(Scope.USER)) {
                out.retainAll(Sources.scope(u, repo, folder, true, index).actions());
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
}
