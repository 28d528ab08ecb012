package dev.coffer.permission;

import dev.coffer.authz.Authorizer;
import dev.coffer.authz.Decision;
import dev.coffer.authz.RepoAccess;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.credential.Caller;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Feeds the pure {@link Authorizer} with the current repositories and permission index. A
 * repository that does not exist is decided as a private one, so a denial looks the same whether
 * or not it exists.
 */
public final class AccessService {
    /**
     * What a change that widens a repository's exposure needs over the whole repository, short of
     * admin (API.md §3): managing it, and already reading all that the change exposes.
     */
    public static final Set<Action> EXPOSURE_ACTIONS =
            Collections.unmodifiableSet(EnumSet.of(Action.MANAGE, Action.READ));

    private final Authorizer authorizer = new Authorizer();
    private final RepositoryService repositories;
    private final PermissionService permissions;

    public AccessService(RepositoryService repositories, PermissionService permissions) {
        this.repositories = Objects.requireNonNull(repositories);
        this.permissions = Objects.requireNonNull(permissions);
    }

    private RepoAccess repo(String name) {
        return repositories.find(name).map(AccessService::access).orElseGet(() -> new RepoAccess(name, false));
    }

    private static RepoAccess access(Repository r) {
        return new RepoAccess(r.name(), r.anonymousRead());
    }

    public Decision decide(Caller caller, Action action, String repo, ArtifactPath path) {
        return authorizer.decide(caller.principal(), action, repo(repo), path, permissions.index());
    }

    /** {@code decide(...).allowed()}, without the explanation. */
    public boolean allows(Caller caller, Action action, String repo, ArtifactPath path) {
        return authorizer.allows(caller.principal(), action, repo(repo), path, permissions.index());
    }

    /**
     * May {@code action} be allowed on {@code folder} or on some path below it? Nothing is below a
     * folder of a repository that does not exist: otherwise a read let through for what might lie
     * below (a "*" target's include elsewhere in the tree) would find the repository missing (404)
     * where an existing one answers 403. The root is the repository itself: whoever has the action
     * somewhere in it sees it listed, and so may learn that it is missing.
     */
    public boolean mayActUnder(Caller caller, Action action, String repo, ArtifactPath folder) {
        if (!folder.isRoot() && repositories.find(repo).isEmpty()) {
            return false;
        }
        return authorizer.mayActUnder(caller.principal(), action, repo(repo), folder, permissions.index());
    }

    public Set<Action> actionsIn(Caller caller, String repo) {
        return authorizer.actionsSomewhereIn(caller.principal(), repo(repo), permissions.index());
    }

    /**
     * May the caller make a change that widens who can see the repository (anonymous read on, and
     * later a virtual member added or a remote's url changed)? Admin, or {@link #EXPOSURE_ACTIONS}
     * over every path of it; the repository's own anonymous read does not count as the caller's.
     */
    public boolean mayWidenExposure(Caller caller, String repo) {
        return coversWholeRepository(caller, EXPOSURE_ACTIONS, repo);
    }

    /** The caller holds every one of {@code actions} on every path of the repository (see {@link Authorizer}). */
    public boolean coversWholeRepository(Caller caller, Set<Action> actions, String repo) {
        return authorizer.coversWholeRepository(caller.principal(), actions, repo(repo), permissions.index());
    }
}
