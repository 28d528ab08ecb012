package dev.coffer.cluster;

import dev.coffer.common.Invalidation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net under the change events: every {@code interval} the caches drop what they hold
 * and read it again. A missed event (another node's notification lost while this node was cut off
 * from the database, or a change made with the command-line tools on a running embedded instance)
 * can therefore live at most one interval.
 */
public final class Resync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Resync.class);

    private final ScheduledExecutorService timer;

    public Resync(Invalidation invalidation, Duration interval) {
        Objects.requireNonNull(invalidation);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coffer-resync");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        invalidation.receive(new Invalidation.Everything());
                    } catch (RuntimeException e) {
                        // the database may be down; the next round tries again
                        LOG.warn("cache resync failed: {}", e.getMessage());
                    }
                },
                ms,
                ms,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
