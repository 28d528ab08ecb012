package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.audit.AuditChange;
import dev.coffer.common.Action;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.Caller;
import dev.coffer.permission.AccessService;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryDiff;
import dev.coffer.repository.RepositoryService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** API.md §3: repositories. */
public final class RepositoryRoutes {
    private final RepositoryService repositories;
    private final ArtifactService artifacts;
    private final AccessService access;
    private final long maxJsonBytes;
    private final AuditTrail audit;

    public RepositoryRoutes(
            RepositoryService repositories,
            ArtifactService artifacts,
            AccessService access,
            long maxJsonBytes,
            AuditTrail audit) {
        this.repositories = Objects.requireNonNull(repositories);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.access = Objects.requireNonNull(access);
        this.maxJsonBytes = maxJsonBytes;
        this.audit = Objects.requireNonNull(audit);
    }

    public List<Route> routes() {
        return List.of(
                new Route(
                        HandlerType.GET,
                        "/api/repositories",
                        new Requirement.Anyone("lists only repositories where the caller has some action"),
                        this::list),
                new Route(
                        HandlerType.GET, "/api/repositories/{repo}", new Requirement.RepoSomeAction("repo"), this::get),
                // widening its exposure needs more, decided in the handler on the body: see approve()
                new Route(HandlerType.PUT, "/api/repositories/{repo}", new Requirement.RepoManage("repo"), this::put),
                new Route(HandlerType.DELETE, "/api/repositories/{repo}", new Requirement.Admin(), this::delete));
    }

    private void list(Context ctx, Route.Request r) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Repository repo : repositories.list()) {
            if (!access.actionsIn(r.caller(), repo.name()).isEmpty()) {
                out.add(RepositoryJson.json(repo));
            }
        }
        Json.send(ctx, 200, out);
    }

    private void get(Context ctx, Route.Request r) {
        String name = ctx.pathParam("repo");
        Set<Action> actions = access.actionsIn(r.caller(), name); // not empty: RepoSomeAction
        Repository repo = repositories.require(name);
        ObjectNode o = RepositoryJson.json(repo);
        o.put("actions", Action.letters(actions));
        Json.send(ctx, 200, o);
    }

    /**
     * Creates (admin) or updates (admin, or {@code m} on the repository). A change that widens
     * exposure needs more (API.md §3): see {@link #approve}. Who may do what is decided once before
     * the body is read (the route's {@link Requirement.RepoManage}), so that a refusal does not
     * depend on the body, and again where the change is written, on the repository as it is then.
     */
    private void put(Context ctx, Route.Request r) {
        String name = ctx.pathParam("repo");
        Caller caller = r.caller();
        Body body = Bodies.REPOSITORY.read(Json.body(ctx, maxJsonBytes));
        body.requireName("name", name);
        body.requireName("key", name);
        RepositoryService.Saved saved =
                repositories.put(name, RepositoryJson.change(body), diff -> approve(caller, diff));
        Json.send(ctx, saved.created() ? 201 : 200, RepositoryJson.json(saved.repository()));
        AuditChange change = new AuditChange();
        saved.diff().fields().forEach(f -> change.field(f.name(), f.before(), f.after()));
        audit.success(ctx, caller, saved.created() ? "repository.create" : "repository.update", name, null, change);
    }

    private void mayChange(Caller caller, String name, boolean exists) {
        Failure refusal = Requirement.RepoManage.refusal(caller, name, exists, () -> access.actionsIn(caller, name));
        if (refusal != null) {
            throw new CofferException(refusal);
        }
    }

    /**
     * Decided under the repository service's lock, on the repository as it is when the change is
     * written: it may have been deleted, or made public or private, since the first check. A
     * change that widens exposure needs admin or manage and read over the whole repository: 'm' on
     * a settings folder must not make payroll files public. A member added to a virtual repository
     * shows its content to whoever reads the virtual one: that needs read over the whole member
     * too (API.md §9), whether or not it exists (the service looks members up only after this).
     */
    private void approve(Caller caller, RepositoryDiff diff) {
        String name = diff.after().name();
        mayChange(caller, name, !diff.created());
        if (diff.widensExposure() && !access.mayWidenExposure(caller, name)) {
            String what = diff.fields().stream()
                    .filter(RepositoryDiff.Field::widens)
                    .map(RepositoryDiff.Field::name)
                    .collect(Collectors.joining(", "));
            throw Guard.denied(
                    caller,
                    "changing " + what + " of repository '" + name + "' widens who may read it: "
                            + "that needs an administrator, or the manage (m) and read (r) actions on every path of it, each "
                            + "through one permission target that includes '**' and excludes nothing, and within the "
                            + "credential's scope");
        }
        for (String member : diff.addedMembers()) {
            if (!access.coversWholeRepository(caller, Set.of(Action.READ), member)) {
                throw Guard.denied(
                        caller,
                        "adding '" + member + "' to virtual repository '" + name + "' lets whoever reads '" + name
                                + "' see its content: that needs an administrator, or the read (r) action on every "
                                + "path of '" + member + "', through one permission target that includes '**' and "
                                + "excludes nothing, and within the credential's scope");
            }
        }
    }

    private void delete(Context ctx, Route.Request r) {
        String name = ctx.pathParam("repo");
        repositories.require(name);
        artifacts.deleteRepository(name, () -> repositories.delete(name));
        ctx.status(204);
        audit.success(ctx, r.caller(), "repository.delete", name, null);
    }
}
