package dev.coffer.remote;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An upstream body that may not stall: a read that waits longer than the idle limit for the
 * upstream's next bytes is ended (the stream is closed under it, which the JDK client answers
 * with an IOException). Only time spent inside {@code read} counts, so a slow client of the
 * streamed download does not make the upstream look stalled.
 */
final class IdleGuard extends BulkReadStream {
    private final InputStream in;
    private final long idleNanos;
    private final Duration idle;
    private final ScheduledFuture<?> check;
    private volatile long readingSince; // 0: not inside read
    private volatile boolean timedOut;

    IdleGuard(InputStream in, Duration idle, ScheduledExecutorService timer) {
        this.in = in;
        this.idle = idle;
        this.idleNanos = idle.toNanos();
        long period = Math.max(10, idle.toMillis() / 4);
        this.check = timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private void check() {
        long since = readingSince;
        if (since != 0 && System.nanoTime() - since > idleNanos) {
            timedOut = true;
            check.cancel(false);
            try {
                in.close();
            } catch (IOException e) {
                // the reader fails either way
            }
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        readingSince = System.nanoTime() | 1; // never 0
        try {
            int n = in.read(b, off, len);
            if (timedOut) {
                throw stalled();
            }
            return n;
        } catch (IOException e) {
            throw timedOut ? stalled() : e;
        } finally {
            readingSince = 0;
        }
    }

    private IOException stalled() {
        return new IOException("the upstream sent nothing for " + idle.toSeconds() + " s");
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        in.close();
    }
}
