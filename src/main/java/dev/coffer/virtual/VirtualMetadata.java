package dev.coffer.virtual;

import dev.coffer.blob.BlobHandle;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.credential.Caller;
import dev.coffer.format.maven.MavenLayout;
import dev.coffer.format.maven.MetadataMerge;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.Repository;
import dev.coffer.virtual.Resolution.Hit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code maven-metadata.xml} of a Maven virtual repository, merged for the caller from every
 * member that has it and that the caller may read through the virtual repository (remote members
 * only where namespace protection lets them): members the caller may not read contribute nothing,
 * so their versions stay invisible. Its checksum files ({@code .md5}, {@code .sha1},
 * {@code .sha256}, {@code .sha512}) are computed from the very document the same caller gets,
 * never taken from a member.
 */
public final class VirtualMetadata {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualMetadata.class);
    /** Larger documents are left out of the merge (Maven Central's largest are a few hundred KiB). */
    static final long MAX_DOCUMENT_BYTES = 8L * 1024 * 1024;

    private final VirtualResolver resolver;

    public VirtualMetadata(VirtualResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver);
    }

    /** Is {@code path} of {@code virtual} served by this class (merged, not taken from one member)? */
    public static boolean applies(Repository virtual, ArtifactPath path) {
        return virtual.isVirtual()
                && virtual.packageType() == PackageType.MAVEN
                && MavenLayout.metadataDocument(path).isPresent();
    }

    /**
     * The merged document, or its checksum, at {@code path}; empty when no member the caller may
     * read has a readable document there (a 404). Admission has decided that the caller may read
     * {@code path} in the virtual repository; a checksum also needs the document itself readable
     * there, since it tells of its content.
     *
     * @throws CofferException a member's outage, when no member could contribute and some member failed
     */
    public Optional<Generated> serve(Repository virtual, Caller caller, ArtifactPath path) {
        return merge(virtual, caller, path).document();
    }

    /**
     * What {@link #serve} answers, and how its members answered: {@code stale} when a member's
     * document is stale metadata of a remote member whose upstream could not confirm it (the
     * merged document is then stale too), {@code fetched} the members' documents that this
     * request brought from their upstreams.
     */
    public record Served(Optional<Generated> document, boolean stale, List<Hit> fetched) {
        public Served {
            java.util.Objects.requireNonNull(document, "document");
            fetched = List.copyOf(fetched);
        }
    }

    /** {@link #serve}, with how the members answered. */
    public Served merge(Repository virtual, Caller caller, ArtifactPath path) {
        ArtifactPath document = MavenLayout.metadataDocument(path)
                .orElseThrow(() -> new IllegalArgumentException(path + " is no maven-metadata.xml"));
        if (!document.equals(path) && !resolver.rights().allows(caller, Action.READ, virtual.name(), document)) {
            return new Served(Optional.empty(), false, List.of());
        }
        Resolution found = resolver.all(virtual, caller, document);
        List<Hit> fetched = found.hits().stream().filter(Hit::fetched).toList();
        boolean stale = false;
        List<MetadataMerge.Source> sources = new ArrayList<>();
        long created = Long.MAX_VALUE;
        long updated = 0;
        for (Hit hit : found.hits()) {
            Optional<byte[]> bytes = read(virtual, hit);
            if (bytes.isPresent()) {
                stale |= hit.stale();
                sources.add(new MetadataMerge.Source(hit.member().name(), bytes.get()));
                created = Math.min(created, hit.file().createdAt());
                updated = Math.max(updated, hit.file().updatedAt());
            }
        }
        if (sources.isEmpty() && found.outage().isPresent()) {
            throw found.outage().get();
        }
        Optional<MetadataMerge.Merged> merged = MetadataMerge.merge(sources);
        if (merged.isEmpty()) {
            return new Served(Optional.empty(), false, fetched);
        }
        byte[] doc = merged.get().bytes();
        Optional<MavenLayout.ChecksumKind> checksum = MavenLayout.metadataChecksum(path);
        byte[] served = checksum.isEmpty()
                ? doc
                : Generated.hex(checksum.get().algorithm(), doc).getBytes(StandardCharsets.US_ASCII);
        return new Served(Optional.of(Generated.of(virtual.name(), path, served, created, updated)), stale, fetched);
    }

    private Optional<byte[]> read(Repository virtual, Hit hit) {
        String where = hit.member().name() + "/" + hit.file().path();
        if (hit.file().size() > MAX_DOCUMENT_BYTES) {
            LOG.warn(
                    "{} has {} bytes, more than the {} a merged maven-metadata.xml of '{}' takes: left out",
                    where,
                    hit.file().size(),
                    MAX_DOCUMENT_BYTES,
                    virtual.name());
            return Optional.empty();
        }
        try {
            BlobHandle h = resolver.contentOf(hit.member()).open(hit.file());
            try (InputStream in = h.openStream(0, h.size())) {
                return Optional.of(in.readAllBytes());
            }
        } catch (IOException | CofferException e) {
            LOG.warn(
                    "{} cannot be read for the merged maven-metadata.xml of '{}': {}",
                    where,
                    virtual.name(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
