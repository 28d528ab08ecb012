package dev.coffer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.audit.AuditChange;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.Caller;
import dev.coffer.format.npm.DocumentBody;
import dev.coffer.format.npm.DocumentChange;
import dev.coffer.format.npm.NpmNames;
import dev.coffer.format.npm.NpmPackage;
import dev.coffer.format.npm.NpmPackages;
import dev.coffer.format.npm.NpmRequest;
import dev.coffer.format.npm.Packument;
import dev.coffer.format.npm.Publication;
import dev.coffer.permission.AccessService;
import dev.coffer.repository.Repository;
import dev.coffer.virtual.VirtualDeploys;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** The writing routes of {@link NpmRoutes}: publish, deprecate, unpublish, dist-tags. */
final class NpmWrites {
    /** Largest publish body (base64 tarball and manifest); npm's own registry stops at about this. */
    static final long MAX_BODY = 100L * 1024 * 1024;

    private static final long MAX_SMALL_BODY = 64 * 1024;

    private final NpmPackages packages;
    private final AccessService access;
    private final AuditTrail audit;
    private final Function<Route.Request, Repository> npmRepository;
    private final VirtualDeploys deploys;

    NpmWrites(
            NpmPackages packages,
            AccessService access,
            AuditTrail audit,
            Function<Route.Request, Repository> npmRepository,
            VirtualDeploys deploys) {
        this.packages = packages;
        this.access = access;
        this.audit = audit;
        this.npmRepository = npmRepository;
        this.deploys = deploys;
    }

    /** The request of a change other than a publish: never through a virtual repository (405). */
    private NpmRequest request(Context ctx, Route.Request r) {
        Repository repo = npmRepository.apply(r);
        if (repo.isVirtual()) {
            throw new CofferException(new Failure.MethodNotAllowed(
                    "method_not_allowed",
                    "packages cannot be unpublished, deprecated or tagged through virtual npm repository '"
                            + repo.name() + "': change them in the member that holds them ("
                            + String.join(", ", repo.virtual().members()) + "); only npm publish goes through it, "
                            + "to its defaultDeployRepo",
                    List.of("GET", "HEAD", "PUT")));
        }
        return NpmRequest.parse(ctx.req().getRequestURI());
    }

    /** PUT /{name}: a publish when it carries a tarball, else a deprecation. */
    void put(Context ctx, Route.Request r) {
        Repository repo = npmRepository.apply(r);
        NpmRequest n = repo.isVirtual() ? NpmRequest.parse(ctx.req().getRequestURI()) : request(ctx, r);
        try (DocumentBody read = document(ctx)) {
            ObjectNode body = read.document();
            if (Publication.isPublish(body)) {
                publish(ctx, r.caller(), repo, n, Publication.read(n.name(), body, read.tarball()));
            } else {
                deprecate(ctx, r.caller(), request(ctx, r), body);
            }
        }
    }

    /** Into the repository, or through a virtual one into its defaultDeployRepo (w on both). */
    private void publish(Context ctx, Caller caller, Repository repo, NpmRequest n, Publication p) {
        ArtifactPath tarball = NpmNames.tarballPath(p.name(), NpmNames.tarballFile(p.name(), p.version()));
        if (!access.allows(caller, Action.WRITE, n.repo(), tarball)) {
            throw Guard.denied(caller, "writing '" + tarball + "' is not allowed");
        }
        String into = repo.isVirtual() ? deployRepository(repo, caller, n, tarball) : repo.name();
        packages.publish(into, p, caller.username());
        ok(ctx, 201, n);
        audit.success(
                ctx, caller, "npm.publish", into, n.name(), version(p.version()).field("dist-tags", null, tagList(p)));
    }

    /**
     * The deploy repository of a publish through a virtual one: w there (seen through the virtual
     * repository) on the package and on its tarball, as a publish straight to it needs — a publish
     * writes the package (its document, 'latest'), not only a file.
     */
    private String deployRepository(Repository virtual, Caller caller, NpmRequest n, ArtifactPath tarball) {
        deploys.target(virtual, caller, n.packagePath());
        return deploys.target(virtual, caller, tarball).member().name();
    }

    private void deprecate(Context ctx, Caller caller, NpmRequest n, ObjectNode body) {
        NpmPackage p = packages.require(n.repo(), n.name());
        DocumentChange c = DocumentChange.read(p, body, false);
        packages.apply(n.repo(), p, c, path -> false);
        ok(ctx, 200, n);
        c.deprecations()
                .forEach((v, message) -> audit.success(
                        ctx,
                        caller,
                        "npm.deprecate",
                        n.repo(),
                        n.name(),
                        version(v).field("deprecated", null, message.isEmpty() ? null : message)));
    }

    /** PUT /{name}/-rev/{rev}: npm unpublish of one version sends the document without it. */
    void putRevision(Context ctx, Route.Request r) {
        NpmRequest n = request(ctx, r);
        try (DocumentBody read = document(ctx)) {
            NpmPackage p = current(n);
            DocumentChange c = DocumentChange.read(p, read.document(), true);
            packages.apply(n.repo(), p, c, mayDelete(r.caller(), n.repo()));
            ok(ctx, 200, n);
            unpublished(ctx, r.caller(), n, c.removed());
        }
    }

    /** A package document of at most {@link #MAX_BODY}, its attachment decoded to a file as it arrives. */
    private static DocumentBody document(Context ctx) {
        if (ctx.req().getContentLengthLong() > MAX_BODY) {
            throw DocumentBody.tooLarge(MAX_BODY);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            return DocumentBody.read(in, MAX_BODY);
        } catch (IOException e) {
            throw CofferException.invalid("body_invalid", "the request body could not be read");
        }
    }

    /** DELETE /{name}/-rev/{rev} (the whole package) or /{name}/-/{file}/-rev/{rev} (one tarball). */
    void unpublish(Context ctx, Route.Request r) {
        NpmRequest n = request(ctx, r);
        Predicate<ArtifactPath> mayDelete = mayDelete(r.caller(), n.repo());
        if (n.file() == null) {
            NpmPackage p = current(n);
            packages.unpublish(n.repo(), p, mayDelete);
            ok(ctx, 200, n);
            unpublished(ctx, r.caller(), n, p.versions().keySet());
            return;
        }
        NpmPackage p = packages.find(n.repo(), n.name()).orElse(null);
        String version = p == null
                ? null
                : p.versions().values().stream()
                        .filter(v -> v.tarball().equals(n.path().toString()))
                        .map(NpmPackage.Version::version)
                        .findFirst()
                        .orElse(null);
        if (version != null) {
            revision(p, n);
            packages.apply(n.repo(), p, DocumentChange.removing(p, Set.of(version)), mayDelete);
            unpublished(ctx, r.caller(), n, Set.of(version));
        } else if (!packages.deleteOrphan(n.repo(), n.path(), mayDelete)) {
            throw CofferException.notFound("there is no tarball " + n.file() + " of " + n.name());
        }
        ok(ctx, 200, n);
    }

    void setTag(Context ctx, Route.Request r) {
        NpmRequest n = request(ctx, r);
        String tag = NpmNames.tag(n.tag());
        JsonNode body = read(ctx, MAX_SMALL_BODY);
        if (!body.isTextual()) {
            throw CofferException.invalid("body_invalid", "the body must be the version as a JSON string (\"1.2.3\")");
        }
        String version = NpmNames.version(body.asText(), "version");
        String before = packages.setTag(n.repo(), n.name(), tag, version);
        ok(ctx, 200, n);
        audit.success(
                ctx, r.caller(), "npm.dist-tag", n.repo(), n.name(), new AuditChange().field(tag, before, version));
    }

    void removeTag(Context ctx, Route.Request r) {
        NpmRequest n = request(ctx, r);
        String before = packages.removeTag(n.repo(), n.name(), NpmNames.tag(n.tag()));
        ok(ctx, 200, n);
        audit.success(
                ctx, r.caller(), "npm.dist-tag", n.repo(), n.name(), new AuditChange().field(n.tag(), before, null));
    }

    /** The package, if the {@code _rev} the request names is still its own (409 otherwise). */
    private NpmPackage current(NpmRequest n) {
        NpmPackage p = packages.require(n.repo(), n.name());
        revision(p, n);
        return p;
    }

    private static void revision(NpmPackage p, NpmRequest n) {
        if (n.rev() != null && !n.rev().equals(p.rev())) {
            throw CofferException.conflict(
                    "revision_conflict",
                    "package " + p.name() + " changed since revision " + n.rev() + " was read (it is now " + p.rev()
                            + "); read it again and retry");
        }
    }

    private Predicate<ArtifactPath> mayDelete(Caller caller, String repo) {
        return path -> access.allows(caller, Action.DELETE, repo, path);
    }

    private void unpublished(Context ctx, Caller caller, NpmRequest n, Set<String> versions) {
        versions.forEach(v -> audit.success(
                ctx, caller, "npm.unpublish", n.repo(), n.name(), new AuditChange().field("version", v, null)));
    }

    private static AuditChange version(String v) {
        return new AuditChange().field("version", null, v);
    }

    private static List<String> tagList(Publication p) {
        return new ArrayList<>(p.distTags().keySet());
    }

    private static void ok(Context ctx, int status, NpmRequest n) {
        ObjectNode body = Json.object();
        body.put("ok", true);
        body.put("id", n.name());
        Json.send(ctx, status, body);
    }

    private static ObjectNode object(JsonNode node) {
        if (!(node instanceof ObjectNode o)) {
            throw CofferException.invalid("body_invalid", "the request body must be a JSON object");
        }
        return o;
    }

    /** A JSON body of at most {@code limit} bytes; a key given twice is refused. */
    static JsonNode read(Context ctx, long limit) {
        if (ctx.req().getContentLengthLong() > limit) {
            throw DocumentBody.tooLarge(limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                throw DocumentBody.tooLarge(limit);
            }
            JsonNode node = Packument.MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw CofferException.invalid("body_invalid", "the request body is empty");
            }
            return node;
        } catch (IOException e) {
            throw DocumentBody.unreadable(e);
        }
    }
}
