package dev.coffer.blob.fs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts an fsync in the background every {@link #FLUSH_EVERY} bytes of a staged upload, one at a
 * time, so the disk writes while the next chunks are read and hashed and the final fsync only has
 * the tail left. A channel that is not a file (a test's) is never flushed.
 */
final class BackgroundFlush {
    private static final long FLUSH_EVERY = 16L * 1024 * 1024;
    private static final ExecutorService FLUSHERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "coffer-flush");
        t.setDaemon(true);
        return t;
    });

    private final FileChannel file;
    private long unflushed;
    private Future<?> flushing;

    BackgroundFlush(WritableByteChannel channel) {
        this.file = channel instanceof FileChannel f ? f : null;
    }

    void wrote(int n) {
        unflushed += n;
        if (file != null && unflushed >= FLUSH_EVERY && (flushing == null || flushing.isDone())) {
            flushing = FLUSHERS.submit(() -> {
                file.force(false);
                return null;
            });
            unflushed = 0;
        }
    }

    /** Waits for the flush in progress; its failure is the write's failure. */
    void await() throws IOException {
        if (flushing == null) {
            return;
        }
        try {
            flushing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while syncing");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
