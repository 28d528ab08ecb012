package dev.coffer.credential;

import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where password checks run: a few threads of their own and a short queue. An Argon2id check
 * takes 19 MiB and tens of milliseconds of a core; without a bound, a storm of wrong passwords
 * took the heap (OutOfMemoryError for everyone) and every core, and requests with keys and tokens
 * waited seconds behind it. With it, at most {@code threads} hashes run at once (by default one
 * core fewer than the machine has, so other requests always find one), {@code queue} more wait,
 * and anything past that is refused at once ({@link #submit} is empty: 503 with Retry-After).
 *
 * <p>Hashes never run on the request's own thread: request handlers run on virtual threads on
 * JDK 21+, and a hash would pin its carrier thread for its whole run. The request waits for the
 * result (a parked virtual thread, or one Jetty thread on JDK 17: bounded by the queue) holding no
 * database connection.
 */
public final class PasswordWorkers implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ThreadPoolExecutor pool;

    public PasswordWorkers(int threads, int queue) {
        if (threads < 1 || queue < 0) {
            throw new IllegalArgumentException("threads >= 1 and queue >= 0");
        }
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        String prefix = "coffer-password-" + POOLS.incrementAndGet() + "-";
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ThreadPoolExecutor(
                threads, threads, 30, TimeUnit.SECONDS, waiting, factory, new ThreadPoolExecutor.AbortPolicy());
        // idle threads end: nothing is held between storms (nor by an instance nobody closed)
        pool.allowCoreThreadTimeOut(true);
    }

    /** A check that was queued or running: its result, completed by a worker (or by {@link #close}). */
    private static final class Job<T> implements Runnable {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Supplier<T> work;

        Job(Supplier<T> work) {
            this.work = work;
        }

        @Override
        public void run() {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }
    }

    /** Queues {@code work}; empty, at once, when every thread is busy and the queue is full. */
    public <T> Optional<CompletableFuture<T>> submit(Supplier<T> work) {
        Job<T> job = new Job<>(work);
        try {
            pool.execute(job);
        } catch (RejectedExecutionException e) {
            return Optional.empty();
        }
        return Optional.of(job.result);
    }

    /** Waits for a result (no timeout: the work is bounded), rethrowing what the work threw. */
    public static <T> T await(CompletableFuture<T> result) {
        try {
            return result.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Stops the threads; a check still queued is answered 503 instead of never. */
    @Override
    public void close() {
        for (Runnable r : pool.shutdownNow()) {
            if (r instanceof Job<?> job) {
                job.result.completeExceptionally(
                        new CofferException(new Failure.Unavailable("shutting_down", "the server is stopping")));
            }
        }
    }
}
