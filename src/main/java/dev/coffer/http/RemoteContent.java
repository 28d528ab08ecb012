package dev.coffer.http;

import dev.coffer.admission.RepoTarget;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.common.CofferException;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.Repository;
import io.javalin.http.Context;
import java.io.IOException;
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
    /** The audit action of a file fetched from an upstream into a remote repository's cache. */
    static final String FETCH = "remote.fetch";

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
        String path = t.path().toString();
        StreamedDelivery delivery = StreamedDelivery.forPlainGet(
                ctx, t.path().name(), file -> audit.success(ctx, r.caller(), FETCH, repo.name(), path));
        RemoteRepositories.Read read;
        try {
            read = remote.read(repo, t.path(), delivery, r.caller().username());
        } catch (CofferException e) {
            if (StreamedDelivery.begun(delivery)) {
                // the response is underway (and was aborted): no error body can follow it
                LOG.info("remote repository {}: the response with '{}' was cut off before its end", repo.name(), path);
                return true;
            }
            throw e;
        }
        if (read instanceof RemoteRepositories.Read.Folder) {
            return false;
        }
        if (read instanceof RemoteRepositories.Read.Streamed) {
            audit.read(ctx, r.caller(), repo.name(), path); // its fetch was audited once it was cached
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
            audit.success(ctx, r.caller(), FETCH, repo.name(), path);
        }
        audit.read(ctx, r.caller(), repo.name(), path);
        return true;
    }
}
