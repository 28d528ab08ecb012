package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Locator;
import dev.coffer.admission.Requirement;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.credential.Caller;
import dev.coffer.permission.AccessService;
import dev.coffer.remote.CacheStateStore;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;

/**
 * A remote repository's cache (API.md §9, issue 18): how much it holds, and purging it. A purge is
 * a delete of the repository's root: it needs the delete (d) action on every cached file, all or
 * nothing, and it also forgets what the upstream said it does not have.
 */
public final class RemoteCacheRoutes {
    static final String PATH = "/api/repositories/{repo}/cache";

    private final RepositoryService repositories;
    private final ArtifactService artifacts;
    private final AccessService access;
    private final RemoteRepositories remote;
    private final AuditTrail audit;

    public RemoteCacheRoutes(
            RepositoryService repositories,
            ArtifactService artifacts,
            AccessService access,
            RemoteRepositories remote,
            AuditTrail audit) {
        this.repositories = Objects.requireNonNull(repositories);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.access = Objects.requireNonNull(access);
        this.remote = Objects.requireNonNull(remote);
        this.audit = Objects.requireNonNull(audit);
    }

    public List<Route> routes() {
        return List.of(
                new Route(HandlerType.GET, PATH, new Requirement.RepoSomeAction("repo"), this::usage),
                new Route(
                        HandlerType.DELETE,
                        PATH,
                        new Requirement.RepoAction(Action.DELETE, Locator.repositoryRoot("repo")),
                        this::purge));
    }

    private Repository remoteRepository(Context ctx) {
        String name = ctx.pathParam("repo");
        Repository repo = repositories.require(name);
        if (!repo.isRemote()) {
            throw CofferException.notFound("repository '" + name + "' is not a remote repository, so it has no cache");
        }
        return repo;
    }

    private void usage(Context ctx, Route.Request r) {
        Repository repo = remoteRepository(ctx);
        CacheStateStore.Usage u = remote.usage(repo.name());
        ObjectNode o = Json.object();
        o.put("repo", repo.name());
        o.put("files", u.files());
        o.put("bytes", u.bytes());
        Json.send(ctx, 200, o);
    }

    private void purge(Context ctx, Route.Request r) {
        Repository repo = remoteRepository(ctx);
        Caller caller = r.caller();
        String name = repo.name();
        // every cached file is decided where the delete is committed (ArtifactService.delete)
        artifacts.delete(name, ArtifactPath.ROOT, p -> access.allows(caller, Action.DELETE, name, p));
        remote.forget(name, ArtifactPath.ROOT);
        ctx.status(204);
        audit.success(ctx, caller, "remote.purge", name, null);
    }
}
