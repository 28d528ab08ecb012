package dev.coffer.virtual;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.artifact.FileRecord;
import dev.coffer.authz.PathSet;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.Caller;
import dev.coffer.remote.Delivery;
import dev.coffer.repository.PathFilter;
import dev.coffer.repository.Repository;
import dev.coffer.virtual.Resolution.Hit;
import dev.coffer.virtual.Resolution.Outcome;
import dev.coffer.virtual.Resolution.Step;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a virtual repository's members for a path, in order (API.md §9). For each member: skipped
 * when the path is outside its include/exclude patterns; a remote member skipped when the path's
 * namespace is held by a local member ({@link Namespaces}); skipped, as if absent, when the caller
 * seen through the virtual repository may not read the path there (the rights admission uses,
 * {@link MemberRights}); else asked. Whether the caller may read the virtual repository itself was
 * decided by admission before any of this.
 */
public final class VirtualResolver {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualResolver.class);

    private final Function<String, Optional<Repository>> repositories;
    private final MemberContent local;
    private final MemberContent remote;
    private final MemberRights rights;
    private final Cache<PathFilter, PathSet> filters =
            Caffeine.newBuilder().maximumSize(1024).executor(Runnable::run).build();

    /**
     * @param local the content of local members (and of remote ones' caches, until {@code remote} fetches)
     * @param remote the content of remote members
     */
    public VirtualResolver(
            Function<String, Optional<Repository>> repositories,
            MemberContent local,
            MemberContent remote,
            MemberRights rights) {
        this.repositories = Objects.requireNonNull(repositories);
        this.local = Objects.requireNonNull(local);
        this.remote = Objects.requireNonNull(remote);
        this.rights = Objects.requireNonNull(rights);
    }

    MemberRights rights() {
        return rights;
    }

    public MemberContent contentOf(Repository member) {
        return member.isRemote() ? remote : local;
    }

    /** The repository named {@code name}, if it exists. */
    Optional<Repository> find(String name) {
        return repositories.apply(name);
    }

    /** The members that exist, in order. */
    List<Repository> members(Repository virtual) {
        List<Repository> out = new ArrayList<>();
        for (String name : settingsOf(virtual).members()) {
            repositories.apply(name).ifPresent(out::add);
        }
        return out;
    }

    static dev.coffer.repository.VirtualSettings settingsOf(Repository virtual) {
        if (!virtual.isVirtual()) {
            throw new IllegalArgumentException("repository '" + virtual.name() + "' is not virtual");
        }
        return virtual.virtual();
    }

    Namespaces namespaces(Repository virtual, List<Repository> members) {
        return new Namespaces(virtual, members, local);
    }

    /** The member's include/exclude patterns; a pattern that does not compile leaves everything out. */
    PathSet filterOf(Repository member) {
        return filters.get(member.filter(), f -> {
            try {
                return PathSet.of(f.includePatterns(), f.excludePatterns());
            } catch (IllegalArgumentException e) {
                LOG.error(
                        "repository '{}' has patterns that are not valid, so virtual repositories ask it for nothing: {}",
                        member.name(),
                        e.getMessage());
                return PathSet.of(List.of(), List.of());
            }
        });
    }

    /** The first member that answers (downloads): the members after it are not asked. */
    public Resolution first(Repository virtual, Caller caller, ArtifactPath path) {
        return first(virtual, caller, path, null);
    }

    /**
     * The same, for a plain download: a remote member that fetches a large file sends it through
     * {@code delivery} while it is cached, as a direct read of it would (its {@link Hit#streamed}
     * says so). Once that response has begun, a failure is thrown at once (no later member is
     * asked: the response can only be cut off).
     *
     * @param delivery the client's response, or null: a fetched file is stored before it is served
     */
    public Resolution first(Repository virtual, Caller caller, ArtifactPath path, Delivery delivery) {
        Watched watched = delivery == null ? null : new Watched(delivery);
        return walk(virtual, caller, path, true, this::contentOf, watched);
    }

    /**
     * As {@link #first(Repository, Caller, ArtifactPath)}, with each member's content as a format
     * reads it ({@code contentOf}): an npm remote member's tarball comes from where its package
     * document says, not from {@code {url}/{path}}.
     */
    public Resolution firstThrough(
            Repository virtual, Caller caller, ArtifactPath path, Function<Repository, MemberContent> contentOf) {
        return walk(virtual, caller, path, true, contentOf, null);
    }

    /**
     * The members that would be asked for {@code path}, in order (patterns, namespace protection and
     * the caller's rights decided as for {@link #all}), none of them asked yet: for a format that
     * merges documents it reads itself (npm package documents).
     */
    public List<Repository> askable(Repository virtual, Caller caller, ArtifactPath path) {
        List<Repository> members = members(virtual);
        Namespaces namespaces = namespaces(virtual, members);
        return members.stream()
                .filter(m -> skip(virtual, m, caller, path, namespaces) == null)
                .toList();
    }

    /**
     * May the caller read {@code path} in {@code member} through {@code virtual}: the right on the
     * virtual repository and on the member (seen through it), and the member's patterns. For the
     * parts of a merged document (an npm version is its tarball's path).
     */
    public boolean readable(Repository virtual, Repository member, Caller caller, ArtifactPath path) {
        return rights.allows(caller, Action.READ, virtual.name(), path)
                && filterOf(member).contains(path)
                && mayRead(virtual, member, caller, path);
    }

    /** Every member that answers (merged metadata). */
    public Resolution all(Repository virtual, Caller caller, ArtifactPath path) {
        return walk(virtual, caller, path, false);
    }

    /**
     * The member's file that {@link #first} would answer with, decided without ever asking an
     * upstream (the fast download path asks, on a thread that may not wait for one): a remote
     * member is read only from its cache, and only for a path that {@code servableAsCached} lets
     * be served as cached (never metadata, which must be revalidated). Empty when no member
     * answers, and wherever {@link #first} could answer otherwise than from memory and the
     * artifact store (a remote member reached without such a cached file): ask {@link #first}.
     * Patterns, namespace protection and the caller's rights on each member are decided exactly
     * as {@link #first} decides them, by the same code.
     */
    public Optional<Hit> firstCached(
            Repository virtual,
            Caller caller,
            ArtifactPath path,
            BiPredicate<Repository, ArtifactPath> servableAsCached) {
        MemberContent cachedOnly = new CachedOnly(local, servableAsCached);
        try {
            return walk(virtual, caller, path, true, m -> m.isRemote() ? cachedOnly : local, null)
                    .first();
        } catch (Undecided e) {
            return Optional.empty();
        }
    }

    private Resolution walk(Repository virtual, Caller caller, ArtifactPath path, boolean stopAtFirst) {
        return walk(virtual, caller, path, stopAtFirst, this::contentOf, null);
    }

    private Resolution walk(
            Repository virtual,
            Caller caller,
            ArtifactPath path,
            boolean stopAtFirst,
            Function<Repository, MemberContent> contentOf,
            Watched delivery) {
        List<Repository> members = members(virtual);
        Namespaces namespaces = namespaces(virtual, members);
        List<Step> steps = new ArrayList<>();
        List<Hit> hits = new ArrayList<>();
        CofferException outage = null;
        for (String name : settingsOf(virtual).members()) {
            Optional<Repository> found =
                    members.stream().filter(m -> m.name().equals(name)).findFirst();
            if (stopAtFirst && !hits.isEmpty()) {
                steps.add(new Step(name, Outcome.NOT_ASKED));
                continue;
            }
            if (found.isEmpty()) {
                steps.add(new Step(name, Outcome.MISSING));
                continue;
            }
            Repository member = found.get();
            Outcome skip = skip(virtual, member, caller, path, namespaces);
            if (skip != null) {
                steps.add(new Step(name, skip));
                continue;
            }
            try {
                Optional<MemberContent.Found> file = contentOf.apply(member).answer(member, path, delivery);
                if (file.isPresent()) {
                    hits.add(new Hit(member, file.get()));
                    steps.add(new Step(name, Outcome.ANSWERS));
                } else {
                    steps.add(new Step(name, Outcome.ABSENT));
                }
            } catch (CofferException e) {
                if (delivery != null && delivery.begun) {
                    throw e; // the response with this member's file is underway: it can only be cut off
                }
                if (e.failure() instanceof Failure.NotFound) {
                    steps.add(new Step(name, Outcome.ABSENT));
                } else {
                    LOG.warn(
                            "member '{}' of virtual repository '{}' could not answer for {}: {}",
                            name,
                            virtual.name(),
                            path,
                            e.getMessage());
                    steps.add(new Step(name, Outcome.UNAVAILABLE));
                    outage = outage == null ? e : outage;
                }
            }
        }
        return new Resolution(steps, hits, Optional.ofNullable(outage));
    }

    /** Why the member is not asked for {@code path}, in the order the checks run; null: ask it. */
    Outcome skip(Repository virtual, Repository member, Caller caller, ArtifactPath path, Namespaces namespaces) {
        if (!filterOf(member).contains(path)) {
            return Outcome.OUTSIDE_PATTERNS;
        }
        if (member.isRemote() && namespaces.protects(path)) {
            return Outcome.NAMESPACE_PROTECTED;
        }
        if (!mayRead(virtual, member, caller, path)) {
            return Outcome.NOT_READABLE;
        }
        return null;
    }

    /** May the caller, seen through {@code virtual}, read {@code path} in {@code member}? */
    boolean mayRead(Repository virtual, Repository member, Caller caller, ArtifactPath path) {
        return rights.allows(caller.throughVirtual(virtual.name(), member.name()), Action.READ, member.name(), path);
    }

    /** A client's response, watched for whether a member has begun it. */
    private static final class Watched implements Delivery {
        private final Delivery response;
        private volatile boolean begun;

        Watched(Delivery response) {
            this.response = response;
        }

        @Override
        public OutputStream begin(long size, String sha1) throws IOException {
            begun = true;
            return response.begin(size, sha1);
        }

        @Override
        public void cached(FileRecord file) {
            response.cached(file);
        }

        @Override
        public void abort(Throwable cause) {
            begun = true;
            response.abort(cause);
        }
    }
}
