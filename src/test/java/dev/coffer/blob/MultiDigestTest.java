package dev.coffer.blob;

import static dev.coffer.testing.Digests.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Bytes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The three digests are right however the bytes arrive, inline or on the parallel lanes. */
class MultiDigestTest {
    private static Checksums feed(byte[] data, int chunk) {
        MultiDigest d = new MultiDigest();
        // the caller reuses its buffer at once, as the stores do
        byte[] buf = new byte[chunk];
        for (int off = 0; off < data.length; off += chunk) {
            int n = Math.min(chunk, data.length - off);
            System.arraycopy(data, off, buf, 0, n);
            d.update(buf, 0, n);
            java.util.Arrays.fill(buf, (byte) 0x5a);
        }
        return d.finish();
    }

    @Property(tries = 40)
    void matchesOneShotDigests(
            @ForAll @IntRange(min = 0, max = 5 * 1024 * 1024) int size,
            @ForAll @IntRange(min = 1, max = 300_000) int chunk,
            @ForAll long seed)
            throws Exception {
        byte[] data = Bytes.random(seed, size);
        Checksums c = feed(data, chunk);
        assertThat(c.sha256()).isEqualTo(hex("SHA-256", data));
        assertThat(c.sha1()).isEqualTo(hex("SHA-1", data));
        assertThat(c.md5()).isEqualTo(hex("MD5", data));
    }

    @Test
    void manyUploadsAtOnceDoNotMixTheirBytes() throws Exception {
        int n = 8;
        byte[][] data = new byte[n][];
        Checksums[] got = new Checksums[n];
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            data[i] = Bytes.random(i, 3 * 1024 * 1024 + i * 1001);
            int k = i;
            threads[i] = new Thread(() -> got[k] = feed(data[k], 64 * 1024));
            threads[i].start();
        }
        for (int i = 0; i < n; i++) {
            threads[i].join();
            assertThat(got[i].sha256()).isEqualTo(hex("SHA-256", data[i]));
            assertThat(got[i].md5()).isEqualTo(hex("MD5", data[i]));
            assertThat(got[i].sha1()).isEqualTo(hex("SHA-1", data[i]));
        }
    }
}
