package dev.coffer.http;

import dev.coffer.admission.Locator;
import dev.coffer.admission.RepoTarget;
import dev.coffer.admission.Requirement;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.UploadInterruptedException;
import dev.coffer.common.Action;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.Caller;
import dev.coffer.permission.AccessService;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import dev.coffer.virtual.VirtualDeploys;
import dev.coffer.virtual.VirtualResolver;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** API.md §1: artifact content under /repository/{repo}/{path}. */
public final class ContentRoutes {
    private final ArtifactService artifacts;
    private final RepositoryService repositories;
    private final AccessService access;
    private final long maxUploadBytes;
    private final AuditTrail audit;
    private final RemoteRepositories remote;
    private final RemoteContent remoteContent;
    private final VirtualContent virtual;

    public ContentRoutes(
            ArtifactService artifacts,
            RepositoryService repositories,
            AccessService access,
            long maxUploadBytes,
            AuditTrail audit,
            RemoteRepositories remote,
            VirtualResolver virtuals) {
        this.artifacts = Objects.requireNonNull(artifacts);
        this.repositories = Objects.requireNonNull(repositories);
        this.access = Objects.requireNonNull(access);
        this.maxUploadBytes = maxUploadBytes;
        this.audit = Objects.requireNonNull(audit);
        this.remote = Objects.requireNonNull(remote);
        this.remoteContent = new RemoteContent(remote, artifacts, audit);
        this.virtual = new VirtualContent(virtuals, audit);
    }

    /** Reading content; {@link FastDownloads} admits its downloads with this very requirement. */
    static final Requirement READ = new Requirement.RepoAction(Action.READ, Locator.under(Guard.REPOSITORY_PREFIX));

    public List<Route> routes() {
        String any = "/repository/{repo}/<path>";
        String root = "/repository/{repo}";
        // matrix parameters are properties at upload; on anything else they are refused
        Requirement write = new Requirement.RepoAction(Action.WRITE, Locator.uploadUnder(Guard.REPOSITORY_PREFIX));
        Requirement delete = new Requirement.RepoAction(Action.DELETE, Locator.under(Guard.REPOSITORY_PREFIX));
        return List.of(
                new Route(HandlerType.GET, root, READ, this::get),
                new Route(HandlerType.HEAD, root, READ, this::get),
                new Route(HandlerType.GET, any, READ, this::get),
                new Route(HandlerType.HEAD, any, READ, this::get),
                new Route(HandlerType.PUT, any, write, this::put),
                // the root too (/repository/{repo}/): decided on every file like any folder
                new Route(HandlerType.DELETE, root, delete, this::delete),
                new Route(HandlerType.DELETE, any, delete, this::delete));
    }

    private void get(Context ctx, Route.Request r) throws Exception {
        RepoTarget t = r.target();
        Repository repo = repositories.require(t.repo());
        if (repo.isVirtual()) {
            virtual.get(ctx, r, repo);
            return;
        }
        boolean exact = r.targetAllowed();
        // a remote's file comes from its cache or its upstream; a cached folder is listed below
        if (repo.isRemote() && exact && !t.trailingSlash() && !t.path().isRoot() && remoteContent.get(ctx, r, repo)) {
            return;
        }
        if (!t.trailingSlash() && !t.path().isRoot()) {
            Optional<FileRecord> file = artifacts.find(t.repo(), t.path());
            if (file.isPresent() && !exact) {
                throw Guard.denied(r.caller(), "reading '" + t.path() + "' is not allowed");
            }
            BlobHandle blob = null;
            if (file.isPresent()) {
                try {
                    blob = artifacts.open(file.get());
                } catch (CofferException e) {
                    // another node may have replaced or deleted the file a moment ago: a cached
                    // record whose content is gone is read again once before it is an error
                    Optional<FileRecord> fresh = artifacts.reload(t.repo(), t.path());
                    if (fresh.isPresent() && fresh.get().equals(file.get())) {
                        throw e;
                    }
                    file = fresh;
                    blob = file.isPresent() ? artifacts.open(file.get()) : null;
                }
            }
            if (file.isPresent()) {
                FileSender.send(ctx, file.get(), blob);
                audit.read(ctx, r.caller(), t.repo(), t.path().toString());
                return;
            }
        }
        List<ArtifactService.Child> visible = readableChildren(artifacts, access, r);
        String accept = Objects.requireNonNullElse(ctx.header("Accept"), "");
        if (accept.contains("text/html")) {
            ctx.contentType("text/html; charset=utf-8");
            ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            ctx.result(Listing.html(t.repo(), t.path(), visible));
        } else {
            Json.send(ctx, 200, FileInfo.folder(t.repo(), t.path(), visible));
        }
    }

    /**
     * The children of the target folder that the caller may read: a file when it may be read, a
     * folder when some file below it may be (decided per file, on the files that are there). A
     * folder other than the root with nothing readable in it answers as one that does not exist:
     * 404 where the caller could read, else 403 (401 without credentials), as the guard would
     * have. Shared with {@link StorageRoutes}.
     */
    static List<ArtifactService.Child> readableChildren(
            ArtifactService artifacts, AccessService access, Route.Request r) {
        RepoTarget t = r.target();
        Optional<List<ArtifactService.Child>> children =
                artifacts.children(t.repo(), t.path(), p -> access.allows(r.caller(), Action.READ, t.repo(), p));
        if (children.isPresent()) {
            return children.get();
        }
        if (!r.targetAllowed()) {
            // rule 3: a path the caller may not read answers the same whether it exists or not
            throw Guard.denied(r.caller(), "reading '" + t.path() + "' is not allowed");
        }
        throw new CofferException(new Failure.NotFound(
                "not_found", "there is nothing at '" + t.path() + "' in repository '" + t.repo() + "'"));
    }

    private void put(Context ctx, Route.Request r) {
        RepoTarget t = r.target();
        Repository repo = repositories.require(t.repo());
        if (repo.isRemote()) {
            ctx.header("Allow", "GET, HEAD, DELETE");
            throw new CofferException(new Failure.MethodNotAllowed(
                    "method_not_allowed",
                    "'" + t.repo() + "' is a remote repository: its files come from its upstream and are cached when "
                            + "read, so nothing can be deployed to it; deploy to a local repository"));
        }
        refuseNpm(repo);
        if (t.path().isRoot() || t.trailingSlash()) {
            throw CofferException.invalid("path_invalid", "a file path is needed to upload (it must not end with '/')");
        }
        long declared = ctx.req().getContentLengthLong();
        if (maxUploadBytes >= 0 && declared > maxUploadBytes) {
            throw new CofferException(new Failure.TooLarge(
                    "too_large", "the upload is larger than the limit of " + maxUploadBytes + " bytes"));
        }
        Caller caller = r.caller();
        // through a virtual repository the file lands in its deploy repository, decided there too
        String into;
        boolean mayOverwrite;
        if (repo.isVirtual()) {
            VirtualDeploys.Target target = virtual.deploys().target(repo, caller, t.path());
            into = target.member().name();
            mayOverwrite = target.mayOverwrite();
        } else {
            into = t.repo();
            mayOverwrite = ArtifactService.isMavenMetadata(t.path())
                    || access.allows(caller, Action.DELETE, t.repo(), t.path());
        }
        ArtifactService.Expected expected = new ArtifactService.Expected(
                hex(ctx, "X-Checksum-Sha256", 64), hex(ctx, "X-Checksum-Sha1", 40), hex(ctx, "X-Checksum-Md5", 32));
        ArtifactService.Uploaded up;
        try {
            up = artifacts.upload(new ArtifactService.Upload(
                    into,
                    t.path(),
                    ctx.req().getInputStream(),
                    expected,
                    t.matrix(),
                    mayOverwrite,
                    caller.username(),
                    maxUploadBytes));
        } catch (UploadInterruptedException e) {
            throw CofferException.invalid(
                    "upload_incomplete", "the upload ended before all its bytes arrived; nothing was stored");
        } catch (java.io.IOException e) {
            throw CofferException.invalid("upload_incomplete", "the upload could not be read; nothing was stored");
        }
        ctx.header("Location", "/repository/" + into + "/" + Paths.encode(t.path()));
        Json.send(ctx, up.created() ? 201 : 200, FileInfo.file(up.file(), artifacts.properties(into, t.path())));
        audit.success(
                ctx,
                caller,
                up.created() ? "artifact.create" : "artifact.overwrite",
                into,
                t.path().toString());
    }

    /**
     * An npm repository's tarballs belong to the versions in its package documents: they change
     * only through the npm registry routes, which keep the two together (reads here are fine).
     */
    private static void refuseNpm(Repository repo) {
        if (repo.packageType() == PackageType.NPM) {
            throw new CofferException(new Failure.MethodNotAllowed(
                    "method_not_allowed",
                    "'" + repo.name() + "' is an npm repository: publish, unpublish and change its packages "
                            + "through its npm registry URL /api/npm/" + repo.name() + "/ (npm publish, npm unpublish)",
                    List.of("GET", "HEAD")));
        }
    }

    private static String hex(Context ctx, String header, int length) {
        String v = ctx.header(header);
        if (v == null) {
            return null;
        }
        String s = v.trim();
        if (s.length() != length || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw CofferException.invalid("checksum_invalid", header + " must be " + length + " hexadecimal digits");
        }
        return s;
    }

    private void delete(Context ctx, Route.Request r) {
        RepoTarget t = r.target();
        Repository repo = repositories.require(t.repo());
        if (repo.isVirtual()) {
            throw virtual.deploys().deleteRefused(repo);
        }
        refuseNpm(repo);
        Caller caller = r.caller();
        // every file the delete would take is decided, where the delete is committed
        boolean deleted = artifacts.delete(t.repo(), t.path(), p -> access.allows(caller, Action.DELETE, t.repo(), p));
        if (repo.isRemote()) {
            // their cache states went with the files; what the upstream said of them goes too
            remote.forget(t.repo(), t.path());
        }
        if (!deleted) {
            throw new CofferException(new Failure.NotFound(
                    "not_found", "there is nothing at '" + t.path() + "' in repository '" + t.repo() + "'"));
        }
        ctx.status(204);
        audit.success(ctx, caller, "artifact.delete", t.repo(), t.path().toString());
    }
}
