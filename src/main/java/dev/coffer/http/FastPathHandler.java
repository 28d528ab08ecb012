package dev.coffer.http;

import dev.coffer.common.MemoryOnly;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;

/**
 * Tries {@link FastDownloads} first, then the router; counts what it serves as in flight too.
 *
 * <p>It tells Jetty that it never blocks, so Jetty runs it on the selector thread that read the
 * request, with no hand-off to another thread and no change of the connection's interest in the
 * selector (two system calls per request). That holds because the fast path runs
 * {@link MemoryOnly}: when it would wait (a cold cache, a password to hash), and for every request
 * it does not serve, the request goes to a virtual thread (on JDK 17, a thread of the server's
 * pool), where the fast path tries again and the router takes what it declines. With the fast
 * path on, a small download costs about as much server CPU as nginx spends on it (README,
 * performance).
 */
final class FastPathHandler extends Handler.Wrapper {
    private final FastDownloads fast;
    private final AtomicInteger inFlight;

    FastPathHandler(FastDownloads fast, AtomicInteger inFlight) {
        this.fast = fast;
        this.inFlight = inFlight;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        inFlight.incrementAndGet();
        Callback done = Callback.from(callback, inFlight::decrementAndGet);
        Exchange exchange = Exchange.of(request);
        if (exchange == null) {
            handOff(null, request, response, done);
            return true;
        }
        try {
            ByteBuffer content = MemoryOnly.call(() -> fast.prepare(exchange, response));
            if (content == null) {
                handOff(null, request, response, done);
            } else {
                fast.send(response, content, done);
            }
        } catch (MemoryOnly.WouldWait w) {
            fast.countHandOff();
            handOff(exchange, request, response, done);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
        return true;
    }

    /**
     * To a virtual thread (on JDK 17, a thread of the server's pool), where waiting is allowed: the
     * fast path again for the {@code retry} exchange, if any, then the router.
     */
    private void handOff(Exchange retry, Request request, Response response, Callback done) {
        try {
            VirtualThreads.execute(getServer().getThreadPool(), () -> {
                try {
                    if ((retry != null && fast.serve(retry, response, done)) || super.handle(request, response, done)) {
                        return;
                    }
                    Response.writeError(request, response, done, 404);
                } catch (Throwable t) {
                    Response.writeError(request, response, done, t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // a full pool (platform threads on JDK 17): refuse this request rather than block the selector
            Response.writeError(request, response, done, 503);
        }
    }
}
