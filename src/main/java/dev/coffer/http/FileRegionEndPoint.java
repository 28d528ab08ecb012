package dev.coffer.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A plain connection that can send a region of a file with {@code sendfile} (zero-copy: from the
 * page cache to the socket, through no user-space buffer), which Jetty itself never does.
 *
 * <p>The region travels through Jetty as an ordinary buffer: a read-only memory mapping of exactly
 * those bytes, announced with {@link #announce} before it is written. Jetty counts it against the
 * Content-Length, writes the headers before it and waits for the socket as it does for any
 * buffer; when this endpoint is asked to flush that very buffer (by identity), it moves the bytes
 * with {@link FileChannel#transferTo} instead of reading the mapping, and advances the buffer by
 * what was sent. Whatever does not reach this endpoint as that buffer is still correct: it is the
 * mapping of the same bytes, copied like any other. The socket is non-blocking: a partial
 * transfer returns false and Jetty flushes again once the socket is writable.
 */
final class FileRegionEndPoint extends SocketChannelEndPoint {
    /** Bytes sent by {@code sendfile}, over all connections: tests and {@code /metrics} see the path at work. */
    static final LongAdder SENT = new LongAdder();

    /** A mapped buffer and where its index 0 is in the file. */
    private record Region(ByteBuffer mapping, FileChannel file, long base) {}

    /**
     * Most bytes one sendfile call moves (nginx has sendfile_max_chunk for the same reason). One call
     * for a whole region kept the thread in the kernel for tens of milliseconds per call: measured
     * on loopback, 512 KiB calls sent a 100 MiB file at a median of about 3.0 GB/s for 0.39 s of CPU
     * per GiB (user and system), unbounded calls at 2.1 GB/s for 0.52 s, 2 MiB calls at 2.5 GB/s for
     * 0.47 s.
     */
    private static final long CHUNK = 512 * 1024;

    private volatile Region region;

    FileRegionEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
        super(channel, selector, key, scheduler);
    }

    /**
     * The next write of {@code mapping} (a mapping of {@code file} from {@code base}) goes out with
     * {@code sendfile}. One response at a time uses a connection, so one region is enough.
     */
    void announce(ByteBuffer mapping, FileChannel file, long base) {
        region = new Region(mapping, file, base);
    }

    /** Forgets the region (written, or the response failed), so neither buffer nor file is held. */
    void forget() {
        region = null;
    }

    @Override
    public boolean flush(ByteBuffer... buffers) throws IOException {
        Region r = region;
        int at = r == null ? -1 : indexOf(buffers, r.mapping());
        if (at < 0) {
            return super.flush(buffers);
        }
        if (at > 0 && !super.flush(Arrays.copyOfRange(buffers, 0, at))) {
            return false;
        }
        if (!transfer(r)) {
            return false;
        }
        return at + 1 == buffers.length || super.flush(Arrays.copyOfRange(buffers, at + 1, buffers.length));
    }

    /** True when the whole region is sent; false when the socket takes no more for now. */
    private boolean transfer(Region r) throws IOException {
        ByteBuffer m = r.mapping();
        while (m.hasRemaining()) {
            long from = r.base() + m.position();
            long n;
            try {
                n = r.file().transferTo(from, Math.min(m.remaining(), CHUNK), getChannel());
            } catch (IOException e) {
                throw new EofException(e);
            }
            if (n <= 0) {
                // the socket is full, or the file is shorter than its record says: waiting for the
                // socket would then never end (it is writable at once, and nothing more is sent)
                if (r.file().size() < from + m.remaining()) {
                    throw new EofException("the file is shorter than the region being sent");
                }
                return false;
            }
            m.position(m.position() + (int) n);
            SENT.add(n);
            notIdle();
        }
        return true;
    }

    /** A plain HTTP connector whose connections are {@link FileRegionEndPoint}s. */
    static ServerConnector connector(Server server, int selectors, ConnectionFactory factory) {
        return new ServerConnector(server, -1, selectors, factory) {
            @Override
            protected SocketChannelEndPoint newEndPoint(
                    SocketChannel channel, ManagedSelector selector, SelectionKey key) {
                FileRegionEndPoint endPoint = new FileRegionEndPoint(channel, selector, key, getScheduler());
                endPoint.setIdleTimeout(getIdleTimeout());
                return endPoint;
            }
        };
    }

    private static int indexOf(ByteBuffer[] buffers, ByteBuffer wanted) {
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
