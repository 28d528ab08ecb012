package dev.coffer.http;

import dev.coffer.admission.RepoTarget;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.common.CofferException;
import dev.coffer.remote.Delivery;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.Repository;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET and HEAD of a file path of a remote repository (API.md §9), for {@link ContentRoutes}, once
 * admission has let the caller read that exact path: what {@link RemoteRepositories} decides (a
 * cached copy, stale metadata with its warning, a file streamed while it is cached, 404, 502)
 * turned into the response, and each fetch from the upstream audited as {@code remote.fetch}.
 */
final class RemoteContent {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteContent.class);
    static final String STALE_WARNING = "110 - \"Response is Stale\"";

    private final RemoteRepositories remote;
    private final ArtifactService artifacts;
    private final AuditTrail audit;

    RemoteContent(RemoteRepositories remote, ArtifactService artifacts, AuditTrail audit) {
        this.remote = Objects.requireNonNull(remote);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.audit = Objects.requireNonNull(audit);
    }

    /** True when answered; false: the path is a folder of cached files, which the caller lists. */
    boolean get(Context ctx, Route.Request r, Repository repo) throws IOException {
        RepoTarget t = r.target();
        // only a plain GET may be streamed; ranges and conditional requests are answered from the cache
        Streamed delivery = ctx.method() == HandlerType.GET
                        && ctx.header("Range") == null
                        && ctx.header("If-None-Match") == null
                        && ctx.header("If-Modified-Since") == null
                ? new Streamed(ctx, t.path().name())
                : null;
        RemoteRepositories.Read read;
        try {
            read = remote.read(repo, t.path(), delivery, r.caller().username());
        } catch (CofferException e) {
            if (delivery != null && delivery.begun) {
                // the response is underway (and was aborted): no error body can follow it
                LOG.info(
                        "remote repository {}: the response with '{}' was cut off before its end",
                        repo.name(),
                        t.path());
                return true;
            }
            throw e;
        }
        if (read instanceof RemoteRepositories.Read.Folder) {
            return false;
        }
        if (read instanceof RemoteRepositories.Read.Streamed) {
            audit.success(ctx, r.caller(), "remote.fetch", repo.name(), t.path().toString());
            audit.read(ctx, r.caller(), repo.name(), t.path().toString());
            return true;
        }
        RemoteRepositories.Read.Cached cached = (RemoteRepositories.Read.Cached) read;
        if (cached.stale()) {
            ctx.header("Warning", STALE_WARNING);
        }
        FileRecord file = cached.file();
        BlobHandle blob;
        try {
            blob = artifacts.open(file);
        } catch (CofferException e) {
            // another node may have replaced it (revalidated metadata) a moment ago: read it again once
            Optional<FileRecord> fresh = artifacts.reload(repo.name(), t.path());
            if (fresh.isEmpty() || fresh.get().equals(file)) {
                throw e;
            }
            file = fresh.get();
            blob = artifacts.open(file);
        }
        FileSender.send(ctx, file, blob);
        if (cached.fetched()) {
            audit.success(ctx, r.caller(), "remote.fetch", repo.name(), t.path().toString());
        }
        audit.read(ctx, r.caller(), repo.name(), t.path().toString());
        return true;
    }

    /** The response, for a file sent while it is fetched: its headers once the upstream has answered. */
    private static final class Streamed implements Delivery {
        private final Context ctx;
        private final String name;
        volatile boolean begun;

        Streamed(Context ctx, String name) {
            this.ctx = ctx;
            this.name = name;
        }

        @Override
        public OutputStream begin(long size, String sha1) throws IOException {
            begun = true;
            ctx.status(200);
            ctx.contentType(FileHeaders.contentType(name));
            if (size >= 0) {
                ctx.header("Content-Length", String.valueOf(size));
            }
            if (sha1 != null) {
                ctx.header("X-Checksum-Sha1", sha1);
            }
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Content-Security-Policy", "sandbox");
            return ctx.res().getOutputStream();
        }

        /** Closes the connection under the response: the client sees it end before its last bytes. */
        @Override
        public void abort(Throwable cause) {
            begun = true;
            Exchange.of(ctx)
                    .getConnectionMetaData()
                    .getConnection()
                    .getEndPoint()
                    .close(cause);
        }
    }
}
