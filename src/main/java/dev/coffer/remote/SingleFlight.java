package dev.coffer.remote;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One piece of work per key at a time on this node: the first caller does it, callers that come
 * while it runs wait for it and share its result (or its failure). Concurrent first requests for
 * one file fetch it from the upstream once.
 */
final class SingleFlight<K, V> {
    /** The shared result, and whether this caller did the work. */
    record Flight<V>(V value, boolean led) {}

    private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();
    private volatile Runnable onWait = () -> {};

    Flight<V> run(K key, Supplier<V> work) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> other = running.putIfAbsent(key, mine);
        if (other != null) {
            onWait.run();
            return new Flight<>(await(other), false);
        }
        try {
            V v = work.get();
            mine.complete(v);
            return new Flight<>(v, true);
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    /** Told each time a caller starts waiting for another's work (tests synchronise on it). */
    void onWait(Runnable listener) {
        this.onWait = Objects.requireNonNull(listener);
    }

    private static <V> V await(CompletableFuture<V> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
