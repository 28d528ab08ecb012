package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.format.npm.NpmRequest;
import dev.coffer.format.npm.Packument;
import dev.coffer.format.npm.RemoteDocument;
import dev.coffer.remote.Origin;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.Repository;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads of npm remote repositories (API.md §9, §10), once admission has let the caller read the
 * package (or tarball) path: the upstream's package document, cached and revalidated like any
 * remote metadata, its tarball URLs pointed at Coffer; tarballs fetched only from the URL that
 * document gives for one of its versions, verified against its integrity, then cached for good.
 * Each fetch from the upstream is audited as {@code remote.fetch}.
 */
final class NpmRemoteReads {
    private final RemoteRepositories remote;
    private final ArtifactService artifacts;
    private final AuditTrail audit;
    private final String cacheControl;

    /** @param cacheControl what documents tell npm's cache (see {@link NpmRoutes}) */
    NpmRemoteReads(RemoteRepositories remote, ArtifactService artifacts, AuditTrail audit, String cacheControl) {
        this.cacheControl = Objects.requireNonNull(cacheControl);
        this.remote = Objects.requireNonNull(remote);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.audit = Objects.requireNonNull(audit);
    }

    /** A document read: the upstream's document and whether it could not be confirmed (stale). */
    record Document(ObjectNode doc, boolean stale) {}

    /** GET of a package document (full, or abbreviated when the client asks for it). */
    void document(Context ctx, Route.Request r, Repository repo, NpmRequest n, String registry, boolean abbreviated) {
        Document d = document(ctx, r, repo, n.name(), abbreviated);
        if (d.stale()) {
            ctx.header("Warning", RemoteContent.STALE_WARNING);
        }
        Json.send(ctx, 200, RemoteDocument.rewrite(d.doc(), n.name(), registry));
        if (abbreviated) {
            ctx.contentType(Packument.ABBREVIATED + "; charset=utf-8");
        }
        ctx.header("Vary", "Accept");
        ctx.header("Cache-Control", cacheControl);
    }

    /** GET of a package's dist-tags, from its (abbreviated) document. */
    void distTags(Context ctx, Route.Request r, Repository repo, NpmRequest n) {
        Document d = document(ctx, r, repo, n.name(), true);
        if (d.stale()) {
            ctx.header("Warning", RemoteContent.STALE_WARNING);
        }
        Json.send(ctx, 200, d.doc().path("dist-tags") instanceof ObjectNode o ? o : Json.object());
    }

    /** GET of a tarball: from the cache, else from where the package document says, verified first. */
    void tarball(Context ctx, Route.Request r, Repository repo, NpmRequest n) throws IOException {
        RemoteRepositories.Read.Cached cached = cachedTarball(ctx, r, repo, n);
        FileRecord file = cached.file();
        FileSender.send(ctx, file, open(repo, n.path(), file));
        if (cached.fetched()) {
            audit.success(
                    ctx, r.caller(), RemoteContent.FETCH, repo.name(), n.path().toString());
        }
        audit.read(ctx, r.caller(), repo.name(), n.path().toString());
    }

    /** The tarball {@code n} names, cached (fetched first when it was not); 404 when there is none. */
    RemoteRepositories.Read.Cached cachedTarball(Context ctx, Route.Request r, Repository repo, NpmRequest n) {
        ArtifactPath path = n.path();
        RemoteRepositories.Read read = remote.read(
                repo,
                path,
                path,
                () -> RemoteDocument.tarball(
                        document(ctx, r, repo, n.name(), abbreviatedUnlessFullCached(repo, n.name()))
                                .doc(),
                        n.name(),
                        n.file(),
                        repo.remote().url()),
                r.caller().username());
        if (!(read instanceof RemoteRepositories.Read.Cached cached)) {
            throw CofferException.notFound(
                    "there is no tarball " + n.file() + " of " + n.name() + " in '" + repo.name() + "'");
        }
        return cached;
    }

    /**
     * Which form of the document a tarball's URL is read from: the one already cached, so that a
     * client asking for full documents (npm 11 install does) costs the upstream one document per
     * package, not two; the smaller abbreviated one when neither is.
     */
    private boolean abbreviatedUnlessFullCached(Repository repo, String name) {
        return artifacts.find(repo.name(), RemoteDocument.cachePath(name, true)).isPresent()
                || artifacts
                        .find(repo.name(), RemoteDocument.cachePath(name, false))
                        .isEmpty();
    }

    /** The upstream's document of {@code name} (cached, revalidated), as it sent it; 404 when it has none. */
    Document document(Context ctx, Route.Request r, Repository repo, String name, boolean abbreviated) {
        ArtifactPath cachePath = RemoteDocument.cachePath(name, abbreviated);
        Origin origin = new Origin(
                RemoteDocument.location(repo.remote().url(), name),
                abbreviated ? RemoteDocument.ABBREVIATED_ACCEPT : "application/json",
                null);
        // the repository's patterns judge the package's path, as for its tarballs' own paths
        RemoteRepositories.Read read;
        try {
            read = remote.read(
                    repo,
                    ArtifactPath.of(name),
                    cachePath,
                    () -> origin,
                    r.caller().username());
        } catch (CofferException e) {
            if (e.failure() instanceof Failure.NotFound f) {
                // npm prints the sentence: it names the package, not where Coffer caches its document
                throw new CofferException(
                        new Failure.NotFound(f.code(), f.message().replace("'" + cachePath + "'", "package " + name)));
            }
            throw e;
        }
        if (!(read instanceof RemoteRepositories.Read.Cached cached)) {
            throw CofferException.notFound("there is no package " + name + " in '" + repo.name() + "'");
        }
        if (cached.fetched()) {
            audit.success(ctx, r.caller(), RemoteContent.FETCH, repo.name(), cachePath.toString());
        }
        FileRecord file = cached.file();
        byte[] bytes;
        BlobHandle blob = open(repo, cachePath, file);
        try (InputStream in = blob.openStream(0, blob.size())) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Document(RemoteDocument.parse(bytes, name), cached.stale());
    }

    /** The cached file's blob; once more when another node replaced it (revalidated) a moment ago. */
    BlobHandle open(Repository repo, ArtifactPath path, FileRecord file) {
        try {
            return artifacts.open(file);
        } catch (CofferException e) {
            Optional<FileRecord> fresh = artifacts.reload(repo.name(), path);
            if (fresh.isEmpty() || fresh.get().equals(file)) {
                throw e;
            }
            return artifacts.open(fresh.get());
        }
    }
}
