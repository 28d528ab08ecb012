package dev.coffer.blob;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.testing.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link BlobStore} must do, whatever holds the bytes. Subclasses supply the store
 * (filesystem now, S3 later) and may report leftover temporary data.
 */
public abstract class BlobStoreContract {
    protected static final String SHA256_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    protected static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String MISSING = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    protected Path tempDir;

    protected BlobStore store;

    /** A store under {@code tempDir} whose large committed uploads' leftovers {@code largeDeletes} deletes. */
    protected abstract BlobStore newStore(Path tempDir, Executor largeDeletes);

    /** Names of the temporary files the store left behind in tempDir/tmp, where both stores stage uploads. */
    protected List<String> temporaryFiles(Path tempDir) {
        try (Stream<Path> files = Files.list(tempDir.resolve("tmp"))) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeEach
    void createStore() {
        store = newStore(tempDir, TempFileStagedBlob.DELETE_AT_ONCE);
    }

    @Test
    void aLargeUploadsLeftoverCopyIsDeletedByTheDeleterAndASmallOnesAtOnce() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        BlobStore deferring = newStore(tempDir, queued::add);
        long size = TempFileStagedBlob.DELETE_ELSEWHERE_FROM;
        String sha = hex("SHA-256", new Generated(11, size));
        for (int i = 0; i < 2; i++) { // the second has the same content, so its copy is not kept
            try (StagedBlob staged = deferring.stage(new Generated(11, size), -1)) {
                staged.commit();
            }
        }

        assertThat(queued).hasSize(2);
        assertThat(temporaryFiles(tempDir)).as("left for the deleter").isNotEmpty();
        queued.forEach(Runnable::run);
        assertThat(temporaryFiles(tempDir)).isEmpty();
        assertThat(sorted(deferring.list())).containsExactly(sha);
        try (InputStream in = deferring.open(sha).openStream(0, size)) {
            assertThat(hex("SHA-256", in)).isEqualTo(sha);
        }

        try (StagedBlob staged = deferring.stage(new Generated(11, size - 1), -1)) {
            staged.commit();
        }
        assertThat(queued).as("one byte smaller: deleted at once").hasSize(2);
        assertThat(temporaryFiles(tempDir)).isEmpty();
    }

    @Test
    void stagedAndCommittedBlobReadsBackIdenticallyWithCorrectChecksums() throws Exception {
        byte[] data =
                "The quick brown fox jumps over the lazy dog\n".repeat(1000).getBytes(UTF_8);

        Checksums sums = stageAndCommit(data);

        assertThat(sums)
                .isEqualTo(new Checksums(
                        Digests.hex("SHA-256", data), Digests.hex("SHA-1", data), Digests.hex("MD5", data)));
        BlobHandle handle = store.open(sums.sha256());
        assertThat(handle.size()).isEqualTo(data.length);
        assertThat(read(handle, 0, data.length)).isEqualTo(data);
        assertThat(store.exists(sums.sha256())).isTrue();
    }

    @Test
    void knownDigestsOfEmptyAndAbc() {
        assertThat(stageAndCommit(new byte[0]))
                .isEqualTo(new Checksums(
                        SHA256_EMPTY, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "d41d8cd98f00b204e9800998ecf8427e"));
        assertThat(stageAndCommit("abc".getBytes(UTF_8)))
                .isEqualTo(new Checksums(
                        SHA256_ABC, "a9993e364706816aba3e25717850c26c9cd0d89d", "900150983cd24fb0d6963f7d28e17f72"));
        assertThat(store.open(SHA256_EMPTY).size()).isZero();
        assertThat(read(store.open(SHA256_ABC), 0, 3)).isEqualTo("abc".getBytes(UTF_8));
        assertThat(sorted(store.list())).containsExactlyInAnyOrder(SHA256_EMPTY, SHA256_ABC);
    }

    @Test
    void stagedBlobReportsSizeAndStaysInvisibleUntilCommit() {
        try (StagedBlob staged = store.stage(bytes("abc"), -1)) {
            assertThat(staged.size()).isEqualTo(3);
            assertThat(staged.checksums().sha256()).isEqualTo(SHA256_ABC);
            assertThat(store.exists(SHA256_ABC)).isFalse();
            assertThat(store.list()).isEmpty();
            staged.commit();
            assertThat(store.exists(SHA256_ABC)).isTrue();
        }
    }

    @Test
    void rangesReadTheRequestedSlice() {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        BlobHandle handle = store.open(stageAndCommit(data).sha256());

        assertThat(read(handle, 0, 1000)).isEqualTo(data);
        assertThat(read(handle, 10, 20)).isEqualTo(slice(data, 10, 20));
        assertThat(read(handle, 999, 1)).isEqualTo(slice(data, 999, 1));
        assertThat(read(handle, 500, 500)).isEqualTo(slice(data, 500, 500));
        assertThat(read(handle, 1000, 0)).isEmpty();
        assertThat(read(handle, 0, 0)).isEmpty();
    }

    @Test
    void rangesOutsideTheBlobAreRejected() {
        BlobHandle handle = store.open(stageAndCommit("abc".getBytes(UTF_8)).sha256());

        assertThatThrownBy(() -> handle.openStream(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> handle.openStream(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> handle.openStream(2, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> handle.openStream(4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> handle.openStream(1, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identicalContentIsStoredOnce() {
        byte[] data = "same bytes".getBytes(UTF_8);

        String first = stageAndCommit(data).sha256();
        String second = stageAndCommit(data).sha256();

        assertThat(second).isEqualTo(first);
        assertThat(sorted(store.list())).containsExactly(first);
        assertThat(read(store.open(first), 0, data.length)).isEqualTo(data);
        assertThat(temporaryFiles(tempDir)).isEmpty();
    }

    @Test
    void closeWithoutCommitLeavesNothing() {
        try (StagedBlob staged = store.stage(bytes("abandoned"), -1)) {
            assertThat(staged.size()).isEqualTo(9);
        }

        assertThat(store.list()).isEmpty();
        assertThat(temporaryFiles(tempDir)).isEmpty();
    }

    @Test
    void commitIsIdempotentAndCloseAfterCommitKeepsTheBlob() {
        StagedBlob staged = store.stage(bytes("abc"), -1);
        staged.commit();
        staged.commit();
        staged.close();
        staged.close();

        assertThat(store.exists(SHA256_ABC)).isTrue();
        assertThat(sorted(store.list())).containsExactly(SHA256_ABC);
        assertThat(temporaryFiles(tempDir)).isEmpty();
    }

    @Test
    void commitAfterCloseIsRefused() {
        StagedBlob staged = store.stage(bytes("abc"), -1);
        staged.close();

        assertThatThrownBy(staged::commit).isInstanceOf(IllegalStateException.class);
        assertThat(store.exists(SHA256_ABC)).isFalse();
    }

    @Test
    void readingFailureMidStreamIsAnInterruptedUploadAndStoresNothing() {
        InputStream broken = new FailingAfter(new ByteArrayInputStream(new byte[300_000]), 200_000);

        UploadInterruptedException e =
                catchThrowableOfType(UploadInterruptedException.class, () -> store.stage(broken, -1));

        assertThat(e).isNotNull().hasCauseInstanceOf(IOException.class);
        assertThat(store.list()).isEmpty();
        assertThat(temporaryFiles(tempDir)).isEmpty();
    }

    @Test
    void exceedingMaxBytesIsTooLargeAndStoresNothing() {
        CofferException e = catchThrowableOfType(
                CofferException.class, () -> store.stage(new ByteArrayInputStream(new byte[300_001]), 300_000));

        assertThat(e).isNotNull();
        assertThat(e.failure()).isInstanceOf(Failure.TooLarge.class);
        assertThat(e.failure().code()).isEqualTo("too_large");
        assertThat(store.list()).isEmpty();
        assertThat(temporaryFiles(tempDir)).isEmpty();
    }

    @Test
    void exactlyMaxBytesIsAccepted() {
        try (StagedBlob staged = store.stage(bytes("abc"), 3)) {
            staged.commit();
        }
        try (StagedBlob staged = store.stage(new ByteArrayInputStream(new byte[0]), 0)) {
            staged.commit();
        }
        assertThat(sorted(store.list())).containsExactlyInAnyOrder(SHA256_ABC, SHA256_EMPTY);
    }

    @Test
    void deletedBlobNoLongerExists() {
        String sha = stageAndCommit("to be deleted".getBytes(UTF_8)).sha256();

        store.delete(sha);

        assertThat(store.exists(sha)).isFalse();
        assertThat(store.list()).isEmpty();
        assertThatNotFound(() -> store.open(sha));
        store.delete(sha); // absent: no error
    }

    @Test
    void openingAMissingBlobIsNotFound() {
        assertThat(store.exists(MISSING)).isFalse();
        assertThatNotFound(() -> store.open(MISSING));
    }

    @Test
    void multiMegabyteStreamHashesCorrectly() throws Exception {
        long size = 20L * 1024 * 1024 + 12_345; // not a multiple of any buffer size
        Checksums expected = new Checksums(
                hex("SHA-256", new Generated(42, size)),
                hex("SHA-1", new Generated(42, size)),
                hex("MD5", new Generated(42, size)));

        Checksums actual;
        try (StagedBlob staged = store.stage(new Generated(42, size), -1)) {
            assertThat(staged.size()).isEqualTo(size);
            actual = staged.checksums();
            staged.commit();
        }

        assertThat(actual).isEqualTo(expected);
        BlobHandle handle = store.open(actual.sha256());
        assertThat(handle.size()).isEqualTo(size);
        try (InputStream in = handle.openStream(0, size)) {
            assertThat(hex("SHA-256", in)).isEqualTo(expected.sha256());
        }
        long offset = 7L * 1024 * 1024 + 3;
        try (InputStream in = handle.openStream(offset, 100_000);
                Generated g = new Generated(42, size)) {
            g.skipNBytes(offset);
            assertThat(in.readAllBytes()).isEqualTo(g.readNBytes(100_000));
        }
    }

    @Test
    void concurrentStagesOfTheSameContentAllCommitToOneBlob() throws Exception {
        int threads = 8;
        long size = 1024 * 1024 + 1;
        String expected = hex("SHA-256", new Generated(7, size));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<String> upload = () -> {
                    start.await();
                    try (StagedBlob staged = store.stage(new Generated(7, size), -1)) {
                        staged.commit();
                        return staged.checksums().sha256();
                    }
                };
                results.add(pool.submit(upload));
            }
            start.countDown();
            for (Future<String> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(sorted(store.list())).containsExactly(expected);
        try (InputStream in = store.open(expected).openStream(0, size)) {
            assertThat(hex("SHA-256", in)).isEqualTo(expected);
        }
        assertThat(temporaryFiles(tempDir)).isEmpty();
    }

    // ---- helpers

    protected final Checksums stageAndCommit(byte[] data) {
        try (StagedBlob staged = store.stage(new ByteArrayInputStream(data), -1)) {
            staged.commit();
            assertThat(staged.size()).isEqualTo(data.length);
            return staged.checksums();
        }
    }

    protected static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(UTF_8));
    }

    protected static byte[] read(BlobHandle handle, long offset, long length) {
        try (InputStream in = handle.openStream(offset, length)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static List<String> sorted(Stream<String> hashes) {
        try (hashes) {
            return hashes.sorted().toList();
        }
    }

    private static void assertThatNotFound(Runnable r) {
        CofferException e = catchThrowableOfType(CofferException.class, r::run);
        assertThat(e).isNotNull();
        assertThat(e.failure()).isInstanceOf(Failure.NotFound.class);
        assertThat(e.failure().code()).isEqualTo("blob_missing");
    }

    private static byte[] slice(byte[] data, int offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(data, offset, out, 0, length);
        return out;
    }

    protected static String hex(String algorithm, InputStream in) throws NoSuchAlgorithmException, IOException {
        MessageDigest md = MessageDigest.getInstance(algorithm);
        byte[] buf = new byte[50_000]; // deliberately unlike the store's buffer size
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Deterministic pseudo-random bytes generated on the fly: byte i depends only on (seed, i),
     * so any chunking of reads sees the same content and nothing is held in memory.
     */
    protected static final class Generated extends InputStream {
        private final long seed;
        private final long size;
        private long position;

        public Generated(long seed, long size) {
            this.seed = seed;
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            return byteAt(position++) & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = byteAt(position++);
            }
            return n;
        }

        private byte byteAt(long i) {
            long z = seed * 0x9E3779B97F4A7C15L + (i >>> 3); // splitmix64 of the 8-byte block
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            return (byte) (z >>> ((i & 7) * 8));
        }
    }

    /** Passes {@code limit} bytes through, then fails like a dropped connection. */
    protected static final class FailingAfter extends InputStream {
        private final InputStream in;
        private long remaining;

        public FailingAfter(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                throw new IOException("connection reset by peer (simulated)");
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
