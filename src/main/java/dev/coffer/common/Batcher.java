package dev.coffer.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Items queued by request threads and handed in batches to a sink by one background thread (the
 * access log, audited reads). Producers never wake the consumer: it looks every few milliseconds.
 * A blocking queue signals its waiting consumer on every item that finds it empty, and at tens of
 * thousands of requests a second that wake-up (a system call and a context switch) cost more than
 * writing the item. Having written a batch that did not fill up, it sleeps again before the next,
 * so that batches grow with the load instead of the writer spinning on a handful of items each.
 */
public final class Batcher<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final long idleNanos;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    private final int maxBatch;
    private final Consumer<List<T>> sink;
    private final Thread thread;
    private volatile boolean closing;

    /** @param sink called on the background thread with at most {@code maxBatch} items; its exceptions are logged */
    public Batcher(String threadName, int capacity, int maxBatch, Consumer<List<T>> sink) {
        this(threadName, capacity, maxBatch, IDLE_NANOS, sink);
    }

    /** @param idleNanos how long the thread sleeps when it has written what was queued (5 ms by default) */
    public Batcher(String threadName, int capacity, int maxBatch, long idleNanos, Consumer<List<T>> sink) {
        if (capacity < 1 || maxBatch < 1 || idleNanos < 1) {
            throw new IllegalArgumentException("capacity, batch and idle time must be positive");
        }
        this.idleNanos = idleNanos;
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.sink = Objects.requireNonNull(sink);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the item; false (and nothing queued) when the queue is full or closed. */
    public boolean offer(T item) {
        Objects.requireNonNull(item);
        if (closing) {
            return false;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        queue.add(item);
        return true;
    }

    /** Queues the item, waiting while the queue is full; false only when closed. */
    public boolean put(T item) {
        while (!offer(item)) {
            if (closing) {
                return false;
            }
            LockSupport.parkNanos(IDLE_NANOS);
        }
        return true;
    }

    public int size() {
        return size.get();
    }

    private void run() {
        List<T> batch = new ArrayList<>(Math.min(maxBatch, 1024));
        while (true) {
            T item;
            while (batch.size() < maxBatch && (item = queue.poll()) != null) {
                batch.add(item);
            }
            if (!batch.isEmpty()) {
                boolean full = batch.size() == maxBatch;
                deliver(batch);
                if (full || closing) {
                    continue;
                }
            } else if (closing) {
                return;
            }
            LockSupport.parkNanos(idleNanos);
        }
    }

    private void deliver(List<T> batch) {
        try {
            sink.accept(batch);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not write {} items: {}", thread.getName(), batch.size(), e.toString());
        } finally {
            size.addAndGet(-batch.size());
            batch.clear();
        }
    }

    /** Stops taking items, and waits up to {@code waitMillis} for the queued ones to be delivered. */
    public void close(long waitMillis) {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            // an item that slipped in as the thread ended
            List<T> rest = new ArrayList<>();
            for (T item; (item = queue.poll()) != null; ) {
                rest.add(item);
            }
            if (!rest.isEmpty()) {
                deliver(rest);
            }
        }
    }

    @Override
    public void close() {
        close(10_000);
    }
}
