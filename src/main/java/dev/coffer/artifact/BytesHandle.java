package dev.coffer.artifact;

import dev.coffer.blob.BlobHandle;
import java.util.Optional;

/** A small file's bytes held in memory. */
record BytesHandle(java.nio.ByteBuffer bytes) implements BlobHandle {
    @Override
    public long size() {
        return bytes.capacity();
    }

    @Override
    public java.io.InputStream openStream(long offset, long length) {
        int size = bytes.capacity();
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IllegalArgumentException("range outside the blob");
        }
        java.nio.ByteBuffer view = bytes.duplicate().position((int) offset).limit((int) (offset + length));
        return new java.io.InputStream() {
            @Override
            public int read() {
                return view.hasRemaining() ? view.get() & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                if (!view.hasRemaining()) {
                    return -1;
                }
                int n = Math.min(len, view.remaining());
                view.get(b, off, n);
                return n;
            }

            @Override
            public int available() {
                return view.remaining();
            }
        };
    }

    @Override
    public Optional<java.nio.file.Path> localFile() {
        return Optional.empty();
    }
}
