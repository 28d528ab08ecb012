package dev.coffer.remote;

import dev.coffer.artifact.FileRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The upstream's body on its way into the cache, copied to the client as it is read, except the
 * last chunk read: that one is held back until the cached copy is verified and stored ({@link
 * #finish}), so a client never receives all the bytes of a download that turns out wrong. A client
 * that goes away does not stop the caching.
 */
final class HeldBackTee extends BulkReadStream {
    private final InputStream in;
    private final Delivery delivery;
    private final long size;
    private final String sha1;
    private OutputStream out;
    private boolean clientGone;
    private byte[] held = new byte[0];
    private int heldLength;

    HeldBackTee(InputStream in, Delivery delivery, long size, String sha1) {
        this.in = in;
        this.delivery = delivery;
        this.size = size;
        this.sha1 = sha1;
    }

    /** True once the response has started: a failure must then abort it, not answer an error. */
    boolean started() {
        return out != null || clientGone;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            pass(b, off, n);
        }
        return n;
    }

    private void pass(byte[] b, int off, int n) {
        if (out == null && !clientGone) {
            try {
                out = delivery.begin(size, sha1);
            } catch (IOException e) {
                clientGone = true;
            }
        }
        send(held, heldLength);
        if (held.length < n) {
            held = new byte[n];
        }
        System.arraycopy(b, off, held, 0, n);
        heldLength = n;
    }

    private void send(byte[] b, int n) {
        if (n == 0 || clientGone) {
            return;
        }
        try {
            out.write(b, 0, n);
        } catch (IOException e) {
            clientGone = true; // the cache is still filled, for whoever asks next
        }
    }

    /** The cached copy is good: says so, then sends the held-back bytes and ends the response. */
    void finish(FileRecord file) {
        delivery.cached(file);
        if (out == null && !clientGone) {
            try {
                out = delivery.begin(size, sha1); // an empty file
            } catch (IOException e) {
                clientGone = true;
            }
        }
        send(held, heldLength);
        if (!clientGone) {
            try {
                out.flush();
            } catch (IOException e) {
                clientGone = true;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
