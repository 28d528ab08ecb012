package dev.coffer.bootstrap;

import dev.coffer.common.Clock;
import dev.coffer.config.RemoteFetching;
import dev.coffer.config.Settings;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcRemoteCacheStore;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.remote.UpstreamClient;

/** Remote repositories, wired: the one upstream client, the cache states, their meters. */
final class Remotes {
    private Remotes() {}

    /** @param clock the time the cache is judged by (metadata age, remembered 404s) */
    static RemoteRepositories create(Settings settings, Coffer.Services s, Clock clock) {
        RemoteFetching f = settings.remoteFetching();
        UpstreamClient upstream = new UpstreamClient(
                f.connectTimeout(),
                f.responseTimeout(),
                f.idleTimeout(),
                // opened from its sealed form for each request that sends it, never kept
                s.repositories()::upstreamPassword);
        return new RemoteRepositories(
                s.artifacts(),
                new JdbcRemoteCacheStore(new Jdbc(s.database().dataSource())),
                upstream,
                clock,
                f.notFoundTtl(),
                s.invalidation());
    }

    /** Per remote repository: hits, misses, upstream errors, cache size (see {@link RemoteRepositoryMeters}). */
    static void meter(Coffer.Services s, RemoteRepositories remote) {
        RemoteRepositoryMeters.register(s.metrics(), s.repositories(), remote);
    }
}
