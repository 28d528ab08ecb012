package dev.coffer.authz;

import dev.coffer.common.Action;
import java.util.List;
import java.util.Set;

/**
 * The test behind {@link Authorizer#coversWholeRepository}: whether rights reach every path of a
 * repository, those that exist and any added later. Deliberately syntactic (a target naming the
 * repository or "*", including exactly "**", excluding nothing), so it can be wrong only towards
 * "no".
 */
final class WholeRepository {
    private WholeRepository() {}

    static boolean covers(Principal.User u, Set<Action> actions, RepoAccess repo, PermissionIndex index) {
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
}
