package dev.coffer.http;

import dev.coffer.common.ArtifactPath;
import dev.coffer.credential.Caller;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.Repository;
import dev.coffer.virtual.Resolution;
import dev.coffer.virtual.VirtualMetadata;
import dev.coffer.virtual.VirtualResolver;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of {@link FastDownloads} for virtual repositories: which member's file a plain download
 * through a virtual repository answers with, when that is decided without the router. The members
 * are asked by the very {@link VirtualResolver} the router's virtual read ({@link VirtualContent})
 * asks, with the caller seen through the virtual repository (patterns, namespace protection and
 * rights on each member are its decisions); remote members only from their cache, for content
 * files ({@link RemoteRepositories#servableAsCached}), never fetched. Everything else is the
 * router's: merged {@code maven-metadata.xml} and its checksums (they differ per caller), a path
 * no member answers (a listing, a 404 or an outage), a remote member that would have to be asked.
 */
final class FastVirtualReads {
    private final VirtualResolver resolver;
    private final RemoteRepositories remote;

    FastVirtualReads(VirtualResolver resolver, RemoteRepositories remote) {
        this.resolver = Objects.requireNonNull(resolver);
        this.remote = Objects.requireNonNull(remote);
    }

    /**
     * The member and its file that the router would serve for a file path of {@code virtual} that
     * admission let the caller read; empty: the router answers. Throws {@link
     * dev.coffer.common.MemoryOnly.WouldWait} inside {@code MemoryOnly} where deciding would wait,
     * before anything changed.
     */
    Optional<Resolution.Hit> answer(Repository virtual, Caller caller, ArtifactPath path) {
        if (VirtualMetadata.applies(virtual, path)) {
            return Optional.empty(); // merged for each caller
        }
        return resolver.firstCached(virtual, caller, path, remote::servableAsCached);
    }
}
