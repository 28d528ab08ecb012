package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.format.npm.MergedDocument;
import dev.coffer.format.npm.NpmNames;
import dev.coffer.format.npm.NpmPackages;
import dev.coffer.format.npm.NpmRequest;
import dev.coffer.format.npm.Packument;
import dev.coffer.format.npm.RemoteDocument;
import dev.coffer.remote.Delivery;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.Repository;
import dev.coffer.virtual.MemberContent;
import dev.coffer.virtual.Resolution;
import dev.coffer.virtual.VirtualResolver;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads of virtual npm repositories (API.md §9, §10), once admission has let the caller read the
 * package (or tarball) path on the virtual repository. A package document is merged per caller
 * from the members the virtual layer would ask ({@link VirtualResolver#askable}: patterns,
 * namespace protection, rights), each version only where the caller may read its tarball; a
 * tarball comes from the first member that answers, as any file of a virtual repository. A remote
 * member is read as a direct read of it would be (fetched, verified, cached, audited).
 */
final class NpmVirtualReads {
    private final VirtualResolver resolver;
    private final NpmPackages packages;
    private final NpmRemoteReads remote;
    private final ArtifactService artifacts;
    private final AuditTrail audit;

    NpmVirtualReads(
            VirtualResolver resolver,
            NpmPackages packages,
            NpmRemoteReads remote,
            ArtifactService artifacts,
            AuditTrail audit) {
        this.resolver = Objects.requireNonNull(resolver);
        this.packages = Objects.requireNonNull(packages);
        this.remote = Objects.requireNonNull(remote);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.audit = Objects.requireNonNull(audit);
    }

    /** A merged document, and whether a member's part of it could not be confirmed (stale). */
    record Merged(ObjectNode doc, boolean stale) {}

    /** The package document the caller sees through {@code virtual}; 404 when no member shows one. */
    Merged document(Context ctx, Route.Request r, Repository virtual, String name, String registry, boolean abbr) {
        List<MergedDocument.Part> parts = new ArrayList<>();
        boolean stale = false;
        CofferException outage = null;
        for (Repository member : resolver.askable(virtual, r.caller(), NpmNames.path(name))) {
            try {
                ObjectNode doc;
                if (member.isRemote()) {
                    NpmRemoteReads.Document d = remote.document(ctx, r, member, name, abbr);
                    stale |= d.stale();
                    doc = RemoteDocument.rewrite(d.doc(), name, registry);
                } else {
                    Optional<ObjectNode> local =
                            packages.find(member.name(), name).map(p -> Packument.of(p, registry, abbr));
                    if (local.isEmpty()) {
                        continue;
                    }
                    doc = local.get();
                }
                Predicate<String> readable = version -> resolver.readable(
                        virtual, member, r.caller(), NpmNames.tarballPath(name, NpmNames.tarballFile(name, version)));
                parts.add(new MergedDocument.Part(doc, readable));
            } catch (CofferException e) {
                if (!(e.failure() instanceof Failure.NotFound)) {
                    outage = outage == null ? e : outage; // an outage is not absence: said if nothing answers
                }
            }
        }
        Optional<ObjectNode> merged = MergedDocument.merge(name, parts, abbr);
        if (merged.isEmpty() && outage != null) {
            throw outage;
        }
        return new Merged(
                merged.orElseThrow(() -> CofferException.notFound(
                        "there is no package " + name + " in npm repository '" + virtual.name() + "'")),
                stale);
    }

    /** A tarball from the first member that answers; a remote member fetches it as a direct read would. */
    void tarball(Context ctx, Route.Request r, Repository virtual, NpmRequest n) throws IOException {
        Resolution found = resolver.firstThrough(
                virtual, r.caller(), n.path(), m -> m.isRemote() ? new RemoteMember(ctx, r, n) : resolver.contentOf(m));
        Optional<Resolution.Hit> hit = found.first();
        if (hit.isEmpty()) {
            throw found.outage()
                    .orElseGet(() -> CofferException.notFound("there is no tarball " + n.file() + " of " + n.name()
                            + " in npm repository '" + virtual.name() + "'"));
        }
        Resolution.Hit h = hit.get();
        String path = h.file().path().toString();
        FileSender.send(ctx, h.file(), resolver.contentOf(h.member()).open(h.file()));
        if (h.fetched()) {
            audit.success(ctx, r.caller(), RemoteContent.FETCH, h.member().name(), path);
        }
        audit.read(ctx, r.caller(), h.member().name(), path); // a read of the member, where the file lives
    }

    /** A remote npm member's tarballs, from where its package document says (never {@code {url}/{path}}). */
    private final class RemoteMember implements MemberContent {
        private final Context ctx;
        private final Route.Request request;
        private final NpmRequest n;

        RemoteMember(Context ctx, Route.Request request, NpmRequest n) {
            this.ctx = ctx;
            this.request = request;
            this.n = n;
        }

        @Override
        public Optional<FileRecord> find(Repository member, ArtifactPath path) {
            return answer(member, path, null).map(Found::file);
        }

        @Override
        public Optional<Found> answer(Repository member, ArtifactPath path, Delivery delivery) {
            RemoteRepositories.Read.Cached c = remote.cachedTarball(ctx, request, member, n);
            return Optional.of(new Found(c.file(), c.fetched(), c.stale(), false));
        }

        @Override
        public BlobHandle open(FileRecord file) {
            return artifacts.open(file);
        }

        @Override
        public Optional<List<ArtifactService.Child>> children(
                Repository member, ArtifactPath folder, Predicate<ArtifactPath> readable) {
            return resolver.contentOf(member).children(member, folder, readable);
        }

        @Override
        public boolean holdsAnythingAt(Repository member, ArtifactPath path) {
            return resolver.contentOf(member).holdsAnythingAt(member, path);
        }
    }
}
