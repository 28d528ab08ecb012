package dev.coffer.bootstrap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a check or copy for every item on a few threads and gathers the problems it reports, sorted
 * (a migration's blobs: S3 round trips dominate, so a handful at once pays). A step that throws
 * stops the run with that failure.
 */
final class Parallel {
    private static final int THREADS = 4;

    @FunctionalInterface
    interface Step<T> {
        /** @return a problem, or null */
        String run(T item) throws IOException;
    }

    private Parallel() {}

    static <T> List<String> problems(List<T> items, Step<T> step) throws InterruptedException {
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    String p = step.run(item);
                    if (p != null) {
                        problems.add(p);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(String.valueOf(cause.getMessage()), cause);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Collections.sort(problems);
        return problems;
    }
}
