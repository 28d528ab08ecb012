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
import dev.coffer.virtual.VirtualDeploys;
import dev.coffer.virtual.VirtualResolver;
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
    private final NpmVirtualReads virtualReads;
    private final VirtualResolver virtuals;
    private final String cacheControl;

    public NpmRoutes(
            NpmPackages packages,
            RepositoryService repositories,
            AccessService access,
            ArtifactService artifacts,
            LinkBase links,
            AuditTrail audit,
            RemoteRepositories remote,
            VirtualResolver virtuals,
            java.time.Duration documentMaxAge) {
        this.packages = Objects.requireNonNull(packages);
        this.documents = new PackumentCache(packages);
        this.repositories = Objects.requireNonNull(repositories);
        this.access = Objects.requireNonNull(access);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.links = Objects.requireNonNull(links);
        this.audit = Objects.requireNonNull(audit);
        this.writes = new NpmWrites(packages, access, audit, this::localNpmRepository, new VirtualDeploys(virtuals));
        // private: a document is what this caller may read; npm's own cache is per user
        this.cacheControl =
                documentMaxAge.isZero() ? "private, no-cache" : "private, max-age=" + documentMaxAge.toSeconds();
        this.remoteReads = new NpmRemoteReads(remote, artifacts, audit, cacheControl);
        this.virtualReads = new NpmVirtualReads(virtuals, packages, remoteReads, artifacts, audit);
        this.virtuals = virtuals;
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

    /** The npm repository of a change: a remote one takes none (405); a virtual one only publishes. */
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

    private String registry(Context ctx, String repo) {
        return links.of(ctx) + "/api/npm/" + repo + "/";
    }

    private void document(Context ctx, Route.Request r) throws Exception {
        NpmRequest n = exact(ctx, r);
        String accept = Objects.requireNonNullElse(ctx.header("Accept"), "");
        boolean abbreviated = accept.contains(Packument.ABBREVIATED);
        Repository repo = repositories.require(n.repo());
        if (repo.isRemote()) {
            remoteReads.document(ctx, r, repo, n, registry(ctx, n.repo()), abbreviated);
            return;
        }
        if (repo.isVirtual()) {
            NpmVirtualReads.Merged m =
                    virtualReads.document(ctx, r, repo, n.name(), registry(ctx, n.repo()), abbreviated);
            byte[] bytes = Packument.MAPPER.writeValueAsBytes(m.doc());
            // per caller: an ETag of these very bytes, so npm's revalidation works without sharing them
            String etag = "\""
                    + java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(bytes))
                            .substring(0, 32)
                    + "\"";
            send(ctx, etag, abbreviated, m.stale() ? RemoteContent.STALE_WARNING : null, () -> bytes);
            return;
        }
        PackumentCache.Key key = documents
                .current(n.repo(), n.name(), abbreviated, registry(ctx, n.repo()))
                .orElseThrow(() -> CofferException.notFound(
                        "there is no package " + n.name() + " in npm repository '" + n.repo() + "'"));
        send(ctx, key.etag(), abbreviated, null, () -> documents.document(key).bytes());
    }

    private void send(
            Context ctx, String etag, boolean abbreviated, String warning, java.util.function.Supplier<byte[]> bytes) {
        ctx.header("Vary", "Accept");
        ctx.header("Cache-Control", cacheControl);
        ctx.header("ETag", etag);
        if (warning != null) {
            ctx.header("Warning", warning);
        }
        if (FileSender.matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.status(200);
        ctx.contentType((abbreviated ? Packument.ABBREVIATED : "application/json") + "; charset=utf-8");
        ctx.result(bytes.get());
    }

    private void tarball(Context ctx, Route.Request r) throws Exception {
        NpmRequest n = exact(ctx, r);
        Repository repo = repositories.require(n.repo());
        if (repo.isRemote()) {
            remoteReads.tarball(ctx, r, repo, n);
            return;
        }
        if (repo.isVirtual()) {
            virtualReads.tarball(ctx, r, repo, n);
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
        Repository repo = repositories.require(n.repo());
        if (repo.isRemote()) {
            remoteReads.distTags(ctx, r, repo, n);
            return;
        }
        ObjectNode tags = Json.object();
        if (repo.isVirtual()) {
            NpmVirtualReads.Merged m = virtualReads.document(ctx, r, repo, n.name(), registry(ctx, n.repo()), true);
            m.doc().path("dist-tags").fields().forEachRemaining(t -> tags.set(t.getKey(), t.getValue()));
        } else {
            packages.require(n.repo(), n.name()).distTags().forEach(tags::put);
        }
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
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Repository source : searched(repo)) {
            for (String name : packages.names(source.name())) {
                boolean readable = repo.isVirtual()
                        ? virtuals.readable(repo, source, r.caller(), NpmNames.path(name))
                        : access.allows(r.caller(), Action.READ, repo.name(), NpmNames.path(name));
                if (!readable || !seen.add(name)) {
                    continue;
                }
                packages.find(source.name(), name).ifPresent(p -> {
                    ObjectNode hit = NpmSearch.hit(p, registry, text);
                    if (hit != null) {
                        hits.add(hit);
                    }
                });
            }
        }
        hits.sort(java.util.Comparator.comparing(
                h -> h.path("package").path("name").asText()));
        ObjectNode body = Json.object();
        ArrayNode objects = body.putArray("objects");
        hits.stream().skip(from).limit(size).forEach(objects::add);
        body.put("total", hits.size());
        body.put("time", Instant.now().toString());
        Json.send(ctx, 200, body);
    }

    /**
     * The repositories a search reads: the repository itself, or a virtual one's local members in
     * order (a remote registry is not searched through Coffer).
     */
    private List<Repository> searched(Repository repo) {
        if (!repo.isVirtual()) {
            return List.of(repo);
        }
        return repo.virtual().members().stream()
                .map(repositories::find)
                .flatMap(java.util.Optional::stream)
                .filter(Repository::isLocal)
                .toList();
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
