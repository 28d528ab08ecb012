package dev.coffer.bootstrap;

import dev.coffer.ops.Metrics;
import dev.coffer.remote.CacheStateStore;
import dev.coffer.remote.RemoteMeters;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * /metrics for remote repositories, one series per remote repository (label {@code repo}): cache
 * hits, misses (files fetched from the upstream) and upstream errors, and the cache's size in
 * files and bytes. Remote repositories come and go, so the set of meters and the sizes (one query
 * per remote repository) are brought up to date before each scrape.
 */
final class RemoteRepositoryMeters {
    private static final CacheStateStore.Usage NONE = new CacheStateStore.Usage(0, 0);

    private final RepositoryService repositories;
    private final RemoteRepositories remote;
    private final MeterRegistry registry;
    private final Map<String, List<Meter>> registered = new HashMap<>();
    private final Map<String, CacheStateStore.Usage> usage = new ConcurrentHashMap<>();

    private RemoteRepositoryMeters(RepositoryService repositories, RemoteRepositories remote, MeterRegistry registry) {
        this.repositories = repositories;
        this.remote = remote;
        this.registry = registry;
    }

    static void register(Metrics metrics, RepositoryService repositories, RemoteRepositories remote) {
        RemoteRepositoryMeters m = new RemoteRepositoryMeters(repositories, remote, metrics.registry());
        metrics.beforeScrape(m::update);
    }

    private synchronized void update() {
        Set<String> remotes = repositories.list().stream()
                .filter(Repository::isRemote)
                .map(Repository::name)
                .collect(Collectors.toSet());
        for (String name : remotes) {
            try {
                usage.put(name, remote.usage(name));
            } catch (RuntimeException e) {
                // the database is away: the last size stays, the scrape still answers
            }
            registered.computeIfAbsent(name, this::meters);
        }
        registered.entrySet().removeIf(e -> {
            if (remotes.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            usage.remove(e.getKey());
            return true;
        });
    }

    private List<Meter> meters(String repo) {
        RemoteMeters.Counts c = remote.meters().of(repo);
        return List.of(
                FunctionCounter.builder("coffer_remote_cache_hits", c, RemoteMeters.Counts::hits)
                        .tag("repo", repo)
                        .description("requests of a remote repository answered from its cache")
                        .register(registry),
                FunctionCounter.builder("coffer_remote_cache_misses", c, RemoteMeters.Counts::misses)
                        .tag("repo", repo)
                        .description("files a remote repository fetched from its upstream")
                        .register(registry),
                FunctionCounter.builder("coffer_remote_upstream_errors", c, RemoteMeters.Counts::errors)
                        .tag("repo", repo)
                        .description("fetches that failed: upstream unreachable, too slow, 5xx, refused, or a "
                                + "checksum mismatch")
                        .register(registry),
                Gauge.builder(
                                "coffer_remote_cache_files",
                                usage,
                                u -> u.getOrDefault(repo, NONE).files())
                        .tag("repo", repo)
                        .description("files in a remote repository's cache")
                        .register(registry),
                Gauge.builder(
                                "coffer_remote_cache_bytes",
                                usage,
                                u -> u.getOrDefault(repo, NONE).bytes())
                        .tag("repo", repo)
                        .description("bytes in a remote repository's cache")
                        .register(registry));
    }
}
