package dev.coffer.remote;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.common.Invalidation;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.Repository;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads of remote repositories (API.md §9): a caching proxy of an upstream. The cache lives in the
 * repository's own namespace in the artifact store, so listings, storage info, deletes and the fast
 * download path see it like any repository's files; {@link CacheStateStore} remembers when each
 * path was fetched and last checked. Whether the caller may read the path is decided before any of
 * this runs (admission); nothing here is asked for a path the caller may not read.
 */
public final class RemoteRepositories implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteRepositories.class);

    /** How a read is answered. Failures (404, 502) are thrown as {@link CofferException}s. */
    public sealed interface Read {
        /**
         * Serve this cached file. {@code stale}: metadata past its cacheSeconds that the upstream
         * could not confirm (served with a warning); {@code fetched}: this request brought it from
         * the upstream.
         */
        record Cached(FileRecord file, boolean stale, boolean fetched) implements Read {}

        /** Fetched and already sent through the {@link Delivery} while it was cached. */
        record Streamed(FileRecord file) implements Read {}

        /** Nothing cached at the path itself, but cached files below it: a folder, listed as one. */
        record Folder() implements Read {}
    }

    /** What a flight settled on, shared with the requests that waited for it. */
    private record Settled(FileRecord file, boolean stale, boolean fetched, boolean streamed) {}

    private record Key(String repo, ArtifactPath path) {}

    private final ArtifactService artifacts;
    private final CacheStateStore states;
    private final UpstreamClient upstream;
    private final Clock clock;
    private final RemotePaths paths = new RemotePaths();
    private final RemoteMeters meters = new RemoteMeters();
    private final NotFoundMemory notFound;
    private final Fetcher fetcher;
    private final SingleFlight<Key, Settled> flights = new SingleFlight<>();

    /**
     * @param notFoundTtl how long an upstream's 404 is remembered
     * @param invalidation where changes of repositories are heard of (they drop remembered 404s)
     */
    public RemoteRepositories(
            ArtifactService artifacts,
            CacheStateStore states,
            UpstreamClient upstream,
            Clock clock,
            Duration notFoundTtl,
            Invalidation invalidation) {
        this.artifacts = Objects.requireNonNull(artifacts);
        this.states = Objects.requireNonNull(states);
        this.upstream = Objects.requireNonNull(upstream);
        this.clock = Objects.requireNonNull(clock);
        this.notFound = new NotFoundMemory(notFoundTtl, clock);
        this.fetcher = new Fetcher(upstream, artifacts, states, paths, clock);
        // a repository changed (its upstream, its patterns) or deleted and made again starts afresh;
        // not on the periodic resync (Everything), which would cut every memory short
        invalidation.subscribe(e -> {
            if (e instanceof Invalidation.RepositoryChanged r) {
                notFound.forget(r.name(), ArtifactPath.ROOT);
            }
        });
    }

    /**
     * A GET or HEAD of a file path of a remote repository, by a caller already admitted to read it.
     *
     * @param delivery the client's response, for a large file streamed while it is cached; null
     *     (HEAD, ranges, conditional requests): stored first, then served from the cache
     * @param username who asked (recorded as the cached file's creator), or null
     */
    public Read read(Repository repo, ArtifactPath path, Delivery delivery, String username) {
        if (repo.packageType() == PackageType.NPM) {
            // npm files come from URLs their package documents give: fetched through the npm registry
            Supplier<Origin> none = () -> {
                throw notFound(
                        repo,
                        path,
                        "is not cached; an npm remote repository fetches through its npm " + "registry URL /api/npm/"
                                + repo.name() + "/");
            };
            if (RemotePaths.isMetadata(PackageType.NPM, path)) {
                none.get();
            }
            return read(repo, path, path, none, username);
        }
        return read(repo, path, path, null, delivery, username);
    }

    /**
     * A GET of a remote repository's file that is not at {@code {url}/{path}} on its upstream (npm),
     * by a caller already admitted to read {@code asked}; stored before it is served.
     *
     * @param asked the path the request names, which the repository's patterns must admit
     * @param cached where the file is cached
     * @param origin where to fetch it from, asked only when the upstream must be asked (it may
     *     throw: a tarball whose version the package document does not have)
     */
    public Read read(
            Repository repo, ArtifactPath asked, ArtifactPath cached, Supplier<Origin> origin, String username) {
        return read(repo, asked, cached, Objects.requireNonNull(origin), null, username);
    }

    private Read read(
            Repository repo,
            ArtifactPath asked,
            ArtifactPath path,
            Supplier<Origin> origin,
            Delivery delivery,
            String username) {
        if (!repo.isRemote()) {
            throw new IllegalArgumentException("'" + repo.name() + "' is not a remote repository");
        }
        String name = repo.name();
        if (!paths.within(repo, asked)) {
            throw notFound(repo, path, "is outside the repository's include and exclude patterns");
        }
        Optional<FileRecord> cached = artifacts.find(name, path);
        if (cached.isPresent()) {
            if (!RemotePaths.isMetadata(repo.packageType(), path)) {
                meters.hit(name);
                return new Read.Cached(cached.get(), false, false);
            }
            return revalidate(repo, path, cached.get(), origin, delivery, username);
        }
        if (artifacts.hasFilesBelow(name, path)) {
            return new Read.Folder();
        }
        if (notFound.remembered(name, path)) {
            throw notFound(repo, path, "was not found upstream a moment ago");
        }
        if (repo.remote().offline()) {
            throw notFound(repo, path, "is not cached, and the repository is offline (it does not ask its upstream)");
        }
        SingleFlight.Flight<Settled> f =
                flights.run(new Key(name, path), () -> firstFetch(repo, path, origin, delivery, username));
        return answer(f, name);
    }

    private Settled firstFetch(
            Repository repo, ArtifactPath path, Supplier<Origin> origin, Delivery delivery, String username) {
        Optional<FileRecord> again = artifacts.find(repo.name(), path);
        if (again.isPresent()) {
            // a flight for it ended between the look above and this one
            return new Settled(again.get(), false, false, false);
        }
        Fetcher.Result r = fetch(repo, path, origin, Validators.NONE, delivery, username);
        if (r instanceof Fetcher.Result.Stored s) {
            meters.miss(repo.name());
            return new Settled(s.file(), false, true, s.streamed());
        }
        if (r instanceof Fetcher.Result.Absent) {
            notFound.remember(repo.name(), path);
            throw notFound(repo, path, "was not found upstream");
        }
        String reason = r instanceof Fetcher.Result.Unavailable u ? u.reason() : "the upstream answered 304";
        meters.error(repo.name());
        LOG.info("remote repository {}: fetching {} failed: {}", repo.name(), path, reason);
        throw new CofferException(new Failure.BadGateway(
                "upstream_unavailable",
                "the upstream of remote repository '" + repo.name() + "' is unavailable (" + reason + "), and '" + path
                        + "' is not cached"));
    }

    /** Metadata: from the cache while it is younger than cacheSeconds, else asked again (conditionally). */
    private Read revalidate(
            Repository repo,
            ArtifactPath path,
            FileRecord file,
            Supplier<Origin> origin,
            Delivery delivery,
            String username) {
        String name = repo.name();
        Optional<CacheState> state = states.find(name, path);
        long checked = state.map(CacheState::checkedAt).orElse(file.updatedAt());
        if (clock.millis() - checked < repo.remote().cacheSeconds() * 1000L) {
            meters.hit(name);
            return new Read.Cached(file, false, false);
        }
        if (repo.remote().offline()) {
            meters.hit(name);
            return new Read.Cached(file, true, false);
        }
        SingleFlight.Flight<Settled> f = flights.run(new Key(name, path), () -> {
            Validators v = state.map(CacheState::validators).orElse(Validators.NONE);
            Fetcher.Result r = fetch(repo, path, origin, v, delivery, username);
            long now = clock.millis();
            if (r instanceof Fetcher.Result.Unchanged) {
                if (!states.checked(name, path, now)) {
                    states.save(new CacheState(name, path, file.updatedAt(), now, v));
                }
                meters.hit(name);
                return new Settled(file, false, false, false);
            }
            if (r instanceof Fetcher.Result.Stored s) {
                meters.miss(name);
                return new Settled(s.file(), false, true, s.streamed());
            }
            if (r instanceof Fetcher.Result.Absent) {
                // the upstream no longer has it: neither does its cache
                artifacts.delete(name, path, p -> true);
                notFound.remember(name, path);
                throw notFound(repo, path, "was not found upstream");
            }
            meters.error(name);
            LOG.info(
                    "remote repository {}: revalidating {} failed, serving the cached copy: {}",
                    name,
                    path,
                    ((Fetcher.Result.Unavailable) r).reason());
            return new Settled(file, true, false, false);
        });
        return answer(f, name);
    }

    private Fetcher.Result fetch(
            Repository repo,
            ArtifactPath path,
            Supplier<Origin> origin,
            Validators ifChanged,
            Delivery delivery,
            String username) {
        try {
            return origin == null
                    ? fetcher.fetch(repo, path, ifChanged, delivery, username)
                    : fetcher.fetchFrom(repo, path, origin.get(), ifChanged, username);
        } catch (CofferException e) {
            if (e.failure() instanceof Failure.BadGateway) {
                meters.error(repo.name());
                LOG.warn("remote repository {}: {}", repo.name(), e.getMessage());
            }
            throw e;
        }
    }

    private Read answer(SingleFlight.Flight<Settled> f, String repo) {
        Settled s = f.value();
        if (!f.led()) {
            meters.hit(repo); // waited for another request's fetch, then served from the cache
            return new Read.Cached(s.file(), s.stale(), false);
        }
        return s.streamed() ? new Read.Streamed(s.file()) : new Read.Cached(s.file(), s.stale(), s.fetched());
    }

    private static CofferException notFound(Repository repo, ArtifactPath path, String why) {
        return new CofferException(
                new Failure.NotFound("not_found", "'" + path + "' in remote repository '" + repo.name() + "' " + why));
    }

    /**
     * May a cached copy be served without asking the upstream (the fast download path asks): see
     * {@link RemotePaths#servableAsCached}.
     */
    public boolean servableAsCached(Repository repo, ArtifactPath path) {
        return paths.servableAsCached(repo, path);
    }

    /** A cached file of a remote repository was served without coming here (the fast path). */
    public void servedFromCache(Repository repo) {
        if (repo.isRemote()) {
            meters.hit(repo.name());
        }
    }

    /** Cached files at and below {@code path} were deleted: forget what the upstream said of them. */
    public void forget(String repo, ArtifactPath path) {
        notFound.forget(repo, path);
    }

    /** Files and bytes in a repository's cache. */
    public CacheStateStore.Usage usage(String repo) {
        return states.usage(repo);
    }

    public RemoteMeters meters() {
        return meters;
    }

    /** Told each time a request starts waiting for another's fetch of the same file (for tests). */
    public void onWait(Runnable listener) {
        flights.onWait(listener);
    }

    @Override
    public void close() {
        upstream.close();
    }
}
