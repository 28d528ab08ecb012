package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.common.Action;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.format.npm.NpmNames;
import dev.coffer.format.npm.NpmPackages;
import dev.coffer.format.npm.NpmRequest;
import dev.coffer.format.npm.Packument;
import dev.coffer.format.npm.PackumentCache;
import dev.coffer.permission.AccessService;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * API.md §10: the npm registry protocol of npm repositories at {@code /api/npm/{repo}/}: local ones
 * here, reads of remote ones in {@link NpmRemoteReads}.
 * Every route names its repository, path and action for admission ({@link NpmLocators#LOCATOR});
 * the account routes ({@code -/user/…}, {@code -/whoami}, {@code -/npm/v1/tokens}) are not here.
 * Errors on these paths take npm's shape ({@link dev.coffer.format.npm.NpmErrors}).
 */
public final class NpmRoutes {
    private static final String BASE = "/api/npm/{repo}/";
    private static final String[] PACKAGE = {"{pkg}", "@{scope}/{pkg}"};

    private final NpmPackages packages;
    private final PackumentCache documents;
    private final RepositoryService repositories;
    private final AccessService access;
    private final ArtifactService artifacts;
    private final LinkBase links;
    private final AuditTrail audit;
    private final NpmWrites writes;
    private final NpmRemoteReads remoteReads;

    public NpmRoutes(
            NpmPackages packages,
            RepositoryService repositories,
            AccessService access,
            ArtifactService artifacts,
            LinkBase links,
            AuditTrail audit,
            RemoteRepositories remote) {
        this.packages = Objects.requireNonNull(packages);
        this.documents = new PackumentCache(packages);
        this.repositories = Objects.requireNonNull(repositories);
        this.access = Objects.requireNonNull(access);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.links = Objects.requireNonNull(links);
        this.audit = Objects.requireNonNull(audit);
        this.writes = new NpmWrites(packages, access, audit, this::localNpmRepository);
        this.remoteReads = new NpmRemoteReads(remote, artifacts, audit);
    }

    public List<Route> routes() {
        Requirement read = new Requirement.RepoAction(Action.READ, NpmLocators.LOCATOR);
        Requirement write = new Requirement.RepoAction(Action.WRITE, NpmLocators.LOCATOR);
        Requirement delete = new Requirement.RepoAction(Action.DELETE, NpmLocators.LOCATOR);
        // names a tarball but removes a version from the package: d on the package, then on the tarball
        Requirement unpublishVersion = new Requirement.RepoAction(Action.DELETE, NpmLocators.PACKAGE);
        List<Route> routes = new ArrayList<>();
        for (String pkg : PACKAGE) {
            routes.add(new Route(HandlerType.GET, BASE + pkg, read, this::document));
            routes.add(new Route(HandlerType.GET, BASE + pkg + "/-/{file}", read, this::tarball));
            routes.add(new Route(HandlerType.PUT, BASE + pkg, write, writes::put));
            routes.add(new Route(HandlerType.PUT, BASE + pkg + "/-rev/{rev}", delete, writes::putRevision));
            routes.add(new Route(HandlerType.DELETE, BASE + pkg + "/-rev/{rev}", delete, writes::unpublish));
            routes.add(new Route(
                    HandlerType.DELETE, BASE + pkg + "/-/{file}/-rev/{rev}", unpublishVersion, writes::unpublish));
            String tags = BASE + "-/package/" + pkg + "/dist-tags";
            routes.add(new Route(HandlerType.GET, tags, read, this::distTags));
            routes.add(new Route(HandlerType.PUT, tags + "/{tag}", write, writes::setTag));
            routes.add(new Route(HandlerType.DELETE, tags + "/{tag}", write, writes::removeTag));
        }
        routes.add(new Route(
                HandlerType.GET,
                BASE + "-/v1/search",
                new Requirement.RepoAction(Action.READ, NpmLocators.ROOT),
                this::search));
        return routes;
    }

    /** The repository of the request, which must be an npm repository (404 otherwise). */
    Repository npmRepository(Route.Request r) {
        Repository repo = repositories.require(r.target().repo());
        if (repo.packageType() != PackageType.NPM) {
            throw CofferException.notFound("'" + repo.name() + "' is not an npm repository (it is "
                    + repo.packageType().json() + "); npm registry URLs are /api/npm/{an npm repository}/");
        }
        return repo;
    }

    /** The npm repository of a change: a remote one takes none (405). */
    private Repository localNpmRepository(Route.Request r) {
        Repository repo = npmRepository(r);
        if (repo.isRemote()) {
            throw new CofferException(new Failure.MethodNotAllowed(
                    "method_not_allowed",
                    "'" + repo.name() + "' is a remote npm repository: its packages come from its upstream and are "
                            + "cached when read, so nothing can be published, unpublished or tagged in it; publish to "
                            + "a local npm repository",
                    List.of("GET")));
        }
        return repo;
    }

    private NpmRequest exact(Context ctx, Route.Request r) {
        if (!r.targetAllowed()) {
            throw Guard.denied(r.caller(), "reading '" + r.target().path() + "' is not allowed");
        }
        npmRepository(r);
        return NpmRequest.parse(ctx.req().getRequestURI());
    }

    private boolean remote(Route.Request r) {
        return repositories.require(r.target().repo()).isRemote();
    }

    private String registry(Context ctx, String repo) {
        return links.of(ctx) + "/api/npm/" + repo + "/";
    }

    private void document(Context ctx, Route.Request r) {
        NpmRequest n = exact(ctx, r);
        String accept = Objects.requireNonNullElse(ctx.header("Accept"), "");
        boolean abbreviated = accept.contains(Packument.ABBREVIATED);
        if (remote(r)) {
            remoteReads.document(ctx, r, repositories.require(n.repo()), n, registry(ctx, n.repo()), abbreviated);
            return;
        }
        PackumentCache.Key key = documents
                .current(n.repo(), n.name(), abbreviated, registry(ctx, n.repo()))
                .orElseThrow(() -> CofferException.notFound(
                        "there is no package " + n.name() + " in npm repository '" + n.repo() + "'"));
        ctx.header("Vary", "Accept");
        if (FileSender.matches(ctx.header("If-None-Match"), key.etag())) {
            ctx.header("ETag", key.etag());
            ctx.status(304);
            return;
        }
        PackumentCache.Sent sent = documents.document(key);
        ctx.header("ETag", sent.key().etag());
        ctx.status(200);
        ctx.contentType((abbreviated ? Packument.ABBREVIATED : "application/json") + "; charset=utf-8");
        ctx.result(sent.bytes());
    }

    private void tarball(Context ctx, Route.Request r) throws Exception {
        NpmRequest n = exact(ctx, r);
        if (remote(r)) {
            remoteReads.tarball(ctx, r, repositories.require(n.repo()), n);
            return;
        }
        FileRecord file = artifacts
                .find(n.repo(), n.path())
                .orElseThrow(() -> CofferException.notFound(
                        "there is no tarball " + n.file() + " of " + n.name() + " in '" + n.repo() + "'"));
        FileSender.send(ctx, file, artifacts.open(file));
        audit.read(ctx, r.caller(), n.repo(), n.path().toString());
    }

    private void distTags(Context ctx, Route.Request r) {
        NpmRequest n = exact(ctx, r);
        if (remote(r)) {
            remoteReads.distTags(ctx, r, repositories.require(n.repo()), n);
            return;
        }
        ObjectNode tags = Json.object();
        packages.require(n.repo(), n.name()).distTags().forEach(tags::put);
        Json.send(ctx, 200, tags);
    }

    /** npm search's shape; only packages the caller may read, in name order. */
    private void search(Context ctx, Route.Request r) {
        Repository repo = npmRepository(r);
        String text = Objects.requireNonNullElse(ctx.queryParam("text"), "").toLowerCase(Locale.ROOT);
        int size = number(ctx, "size", 20, 1, 250);
        int from = number(ctx, "from", 0, 0, Integer.MAX_VALUE);
        List<ObjectNode> hits = new ArrayList<>();
        String registry = registry(ctx, repo.name());
        for (String name : packages.names(repo.name())) {
            if (!access.allows(r.caller(), Action.READ, repo.name(), NpmNames.path(name))) {
                continue;
            }
            packages.find(repo.name(), name).ifPresent(p -> {
                ObjectNode hit = NpmSearch.hit(p, registry, text);
                if (hit != null) {
                    hits.add(hit);
                }
            });
        }
        ObjectNode body = Json.object();
        ArrayNode objects = body.putArray("objects");
        hits.stream().skip(from).limit(size).forEach(objects::add);
        body.put("total", hits.size());
        body.put("time", Instant.now().toString());
        Json.send(ctx, 200, body);
    }

    private static int number(Context ctx, String name, int absent, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return absent;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v.trim())));
        } catch (NumberFormatException e) {
            throw CofferException.invalid("query_invalid", "'" + name + "' must be a number");
        }
    }
}
