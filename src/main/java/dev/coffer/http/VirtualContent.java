package dev.coffer.http;

import dev.coffer.admission.RepoTarget;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.blob.BlobHandle;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.Caller;
import dev.coffer.repository.Repository;
import dev.coffer.virtual.Generated;
import dev.coffer.virtual.Resolution;
import dev.coffer.virtual.VirtualDeploys;
import dev.coffer.virtual.VirtualListing;
import dev.coffer.virtual.VirtualMetadata;
import dev.coffer.virtual.VirtualResolver;
import io.javalin.http.Context;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads of a virtual repository under /repository/{repo}/ (API.md §9), once admission has decided
 * {@code r} on the virtual repository and path: a file from the first member that answers the
 * caller, merged {@code maven-metadata.xml} and its checksums, folder listings merged across the
 * members. Served with the same {@link FileSender} and listing shapes as a local repository's.
 */
final class VirtualContent {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualContent.class);
    private final VirtualResolver resolver;
    private final VirtualListing listing;
    private final VirtualMetadata metadata;
    private final VirtualDeploys deploys;
    private final AuditTrail audit;

    VirtualContent(VirtualResolver resolver, AuditTrail audit) {
        this.resolver = Objects.requireNonNull(resolver);
        this.listing = new VirtualListing(resolver);
        this.metadata = new VirtualMetadata(resolver);
        this.deploys = new VirtualDeploys(resolver);
        this.audit = Objects.requireNonNull(audit);
    }

    VirtualDeploys deploys() {
        return deploys;
    }

    void get(Context ctx, Route.Request r, Repository virtual) throws Exception {
        RepoTarget t = r.target();
        // a path the caller may not read itself (let through for what lies below) is only ever a folder
        if (!t.trailingSlash() && !t.path().isRoot() && r.targetAllowed()) {
            if (VirtualMetadata.applies(virtual, t.path())) {
                VirtualMetadata.Served merged = metadata.merge(virtual, r.caller(), t.path());
                for (Resolution.Hit fetched : merged.fetched()) {
                    fetched(ctx, r, fetched);
                }
                if (merged.document().isPresent()) {
                    Generated doc = merged.document().get();
                    if (merged.stale()) {
                        ctx.header("Warning", RemoteContent.STALE_WARNING);
                    }
                    FileSender.send(ctx, doc.file(), doc.handle());
                    audit.read(ctx, r.caller(), virtual.name(), t.path().toString());
                    return;
                }
            } else if (file(ctx, r, virtual)) {
                return;
            }
        }
        Optional<List<ArtifactService.Child>> children = listing.children(virtual, r.caller(), t.path());
        if (children.isEmpty()) {
            if (!r.targetAllowed()) {
                // rule 3: a path the caller may not read answers the same whether it exists or not
                throw Guard.denied(r.caller(), "reading '" + t.path() + "' is not allowed");
            }
            throw new CofferException(new Failure.NotFound(
                    "not_found", "there is nothing at '" + t.path() + "' in repository '" + virtual.name() + "'"));
        }
        String accept = Objects.requireNonNullElse(ctx.header("Accept"), "");
        if (accept.contains("text/html")) {
            ctx.contentType("text/html; charset=utf-8");
            ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            ctx.result(Listing.html(virtual.name(), t.path(), children.get()));
        } else {
            Json.send(ctx, 200, FileInfo.folder(virtual.name(), t.path(), children.get()));
        }
    }

    /**
     * A file from the first member that answers, true when answered. A remote member's file may be
     * fetched for it, and a large one sent while it is cached, as a direct read of the member.
     */
    private boolean file(Context ctx, Route.Request r, Repository virtual) throws Exception {
        RepoTarget t = r.target();
        // a member's fetch sent while it is cached is audited once cached, before the client has every byte
        StreamedDelivery delivery = StreamedDelivery.forPlainGet(
                ctx,
                t.path().name(),
                file -> audit.success(
                        ctx,
                        r.caller(),
                        RemoteContent.FETCH,
                        file.repo(),
                        file.path().toString()));
        Resolution found;
        try {
            found = resolver.first(virtual, r.caller(), t.path(), delivery);
        } catch (CofferException e) {
            if (StreamedDelivery.begun(delivery)) {
                // the response is underway (and was aborted): no error body can follow it
                LOG.info(
                        "virtual repository {}: the response with '{}' was cut off before its end",
                        virtual.name(),
                        t.path());
                return true;
            }
            throw e;
        }
        Optional<Resolution.Hit> hit = found.first();
        if (hit.isPresent()) {
            send(ctx, r, hit.get());
            return true;
        }
        if (found.outage().isPresent()) {
            throw found.outage().get();
        }
        return false;
    }

    /**
     * The member's file, audited as a read of the member (where the content lives); a file this
     * request fetched from a remote member's upstream also as that member's {@code remote.fetch}.
     */
    private void send(Context ctx, Route.Request r, Resolution.Hit hit) throws Exception {
        String path = hit.file().path().toString();
        if (hit.streamed()) {
            audit.read(ctx, r.caller(), hit.member().name(), path); // sent, and its fetch audited, already
            return;
        }
        if (hit.stale()) {
            ctx.header("Warning", RemoteContent.STALE_WARNING);
        }
        BlobHandle blob = resolver.contentOf(hit.member()).open(hit.file());
        FileSender.send(ctx, hit.file(), blob);
        if (hit.fetched()) {
            fetched(ctx, r, hit);
        }
        audit.read(ctx, r.caller(), hit.member().name(), path);
    }

    private void fetched(Context ctx, Route.Request r, Resolution.Hit hit) {
        auditFetch(audit, ctx, r.caller(), hit);
    }

    /** A member's file this request fetched from its upstream, audited as that member's {@code remote.fetch}. */
    static void auditFetch(AuditTrail audit, Context ctx, Caller caller, Resolution.Hit hit) {
        audit.success(
                ctx,
                caller,
                RemoteContent.FETCH,
                hit.member().name(),
                hit.file().path().toString());
    }
}
