package dev.coffer.audit;

import dev.coffer.common.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail. Changes, denials, logins and credential events are written before the request
 * answers ({@link #record}) and are never dropped. Artifact reads go through a bounded queue that
 * one background thread writes in batches ({@link #recordRead}): a download never waits for the
 * database, and when the queue is full the read event is dropped and counted ({@link #dropped}),
 * with a warning in the log at most once a minute. {@link #close} writes what is still queued.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int BATCH = 1000;
    /**
     * How long the writer lets reads gather: each write is a transaction, and a few large ones cost
     * far less per read than many small ones. A crash loses at most this much of the read trail.
     */
    private static final long GATHER_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);

    private static final long WARN_EVERY_MILLIS = 60_000;

    private final AuditStore store;
    private final Clock clock;
    private final Duration retention;
    private final dev.coffer.common.Batcher<AuditEvent> reads;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);
    private final ScheduledExecutorService purger;
    private volatile boolean closed;

    public AuditLog(AuditStore store, Clock clock, Duration retention, int queueCapacity) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.retention = Objects.requireNonNull(retention);
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        this.reads =
                new dev.coffer.common.Batcher<>("coffer-audit-writer", queueCapacity, BATCH, GATHER_NANOS, this::write);
        this.purger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coffer-audit-purge");
            t.setDaemon(true);
            return t;
        });
    }

    /** Purges now (in the background) and then once a day. */
    public void startPurging() {
        purger.scheduleWithFixedDelay(
                () -> {
                    try {
                        int n = purge();
                        if (n > 0) {
                            LOG.info("audit: removed {} events older than {}", n, retention);
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("audit: purge failed: {}", e.getMessage());
                    }
                },
                0,
                1,
                TimeUnit.DAYS);
    }

    public long now() {
        return clock.millis();
    }

    /** Writes the event before returning (changes, denials, logins, credentials: never dropped). */
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        try {
            store.insert(List.of(event));
        } catch (dev.coffer.common.MemoryOnly.WouldWait w) {
            throw w; // not a failure: the caller does it again where it may wait
        } catch (RuntimeException e) {
            // the request's own outcome must not be replaced by an audit failure; the database is
            // the one the request used, so its failure shows up there as well
            LOG.error("audit: could not record '{}' by {}: {}", event.action(), event.username(), e.getMessage());
        }
    }

    /** Queues a read event; never blocks. When the queue is full the event is dropped and counted. */
    public void recordRead(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        if (closed || event.change() != null) {
            // a change of settings is no plain read: it is written at once, like every change
            record(event);
            return;
        }
        if (!reads.offer(event)) {
            long n = dropped.incrementAndGet();
            long now = System.currentTimeMillis();
            long last = lastWarning.get();
            if ((last == Long.MIN_VALUE || now - last >= WARN_EVERY_MILLIS) && lastWarning.compareAndSet(last, now)) {
                LOG.warn(
                        "audit: the read-event queue is full ({} events); {} read events dropped so far",
                        reads.size(),
                        n);
            }
        }
    }

    /** Read events dropped because the queue was full, since start. */
    public long dropped() {
        return dropped.get();
    }

    /** Read events waiting to be written. */
    public int queueDepth() {
        return reads.size();
    }

    public List<StoredEvent> search(AuditQuery query) {
        return store.search(Objects.requireNonNull(query));
    }

    /** Deletes the events older than the retention; returns how many. */
    public int purge() {
        return store.deleteBefore(clock.millis() - retention.toMillis());
    }

    public Duration retention() {
        return retention;
    }

    private void write(List<AuditEvent> batch) {
        try {
            store.insertReads(batch);
        } catch (RuntimeException e) {
            dropped.addAndGet(batch.size());
            LOG.warn("audit: could not write {} read events: {}", batch.size(), e.getMessage());
        }
    }

    /** Stops the purge and writes every queued read event. */
    @Override
    public void close() {
        closed = true;
        purger.shutdown();
        reads.close(10_000);
    }
}
