package dev.coffer.remote;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.Clock;
import java.time.Duration;

/**
 * Paths the upstream recently said it does not have, so that a build asking again and again (Maven
 * asks every repository for every artifact) does not ask the upstream each time. Short-lived and
 * bounded in count; per node.
 */
final class NotFoundMemory {
    static final long MAX_ENTRIES = 100_000;

    private record Key(String repo, ArtifactPath path) {}

    private final Cache<Key, Boolean> absent;

    NotFoundMemory(Duration ttl, Clock clock) {
        this.absent = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(MAX_ENTRIES)
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    boolean remembered(String repo, ArtifactPath path) {
        return absent.getIfPresent(new Key(repo, path)) != null;
    }

    void remember(String repo, ArtifactPath path) {
        absent.put(new Key(repo, path), Boolean.TRUE);
    }

    /** Forgets the path and everything below it (a delete or purge of the cache there). */
    void forget(String repo, ArtifactPath path) {
        absent.asMap().keySet().removeIf(k -> k.repo().equals(repo) && path.isSameOrAncestorOf(k.path()));
    }
}
