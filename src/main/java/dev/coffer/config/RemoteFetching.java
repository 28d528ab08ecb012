package dev.coffer.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How remote repositories talk to their upstreams (API.md §9): the waits that bound a fetch, and
 * how long an upstream's "not found" is remembered.
 *
 * @param connectTimeout longest wait for a connection to the upstream
 * @param responseTimeout longest wait for the upstream's response headers
 * @param idleTimeout longest pause inside the upstream's body
 * @param notFoundTtl how long a path the upstream did not have answers 404 without asking it again
 */
public record RemoteFetching(
        Duration connectTimeout, Duration responseTimeout, Duration idleTimeout, Duration notFoundTtl) {
    public RemoteFetching {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(notFoundTtl, "notFoundTtl");
    }
}
