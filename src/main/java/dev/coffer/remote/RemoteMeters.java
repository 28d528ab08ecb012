package dev.coffer.remote;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per remote repository: requests served from the cache (hits), files fetched from the upstream
 * (misses), and upstream failures (unreachable, timeouts, 5xx, refusals, checksum mismatches). The
 * composition root publishes them in /metrics.
 */
public final class RemoteMeters {
    /** The counts of one repository since the start. */
    public static final class Counts {
        final LongAdder hits = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder errors = new LongAdder();

        public long hits() {
            return hits.sum();
        }

        public long misses() {
            return misses.sum();
        }

        public long errors() {
            return errors.sum();
        }
    }

    private final Map<String, Counts> byRepo = new ConcurrentHashMap<>();

    public Counts of(String repo) {
        return byRepo.computeIfAbsent(repo, r -> new Counts());
    }

    void hit(String repo) {
        of(repo).hits.increment();
    }

    void miss(String repo) {
        of(repo).misses.increment();
    }

    void error(String repo) {
        of(repo).errors.increment();
    }
}
