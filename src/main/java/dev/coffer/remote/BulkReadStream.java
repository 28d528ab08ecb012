package dev.coffer.remote;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that does its work in the bulk read only: the one-byte read goes through it, so what
 * the bulk read checks, times or copies sees every byte. (InputStream's own skip reads through it
 * too; FilterInputStream's would go around it.)
 */
abstract class BulkReadStream extends InputStream {
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
