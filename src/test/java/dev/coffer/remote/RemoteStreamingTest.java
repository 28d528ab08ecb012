package dev.coffer.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.repository.Repository;
import dev.coffer.testing.Bytes;
import dev.coffer.testing.Digests;
import dev.coffer.testing.UpstreamServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Large files go to the client while they are cached, never whole in memory, and a client never
 * receives every byte of a file that turns out wrong; concurrent first requests fetch once.
 */
class RemoteStreamingTest {
    private static final String BIG = "com/acme/big/1.0/big-1.0.zip";

    private final RemoteHarness h = new RemoteHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aLargeFileIsStreamedWhileItIsCachedBytesExact() {
        byte[] big = Bytes.random(7, 20 * 1024 * 1024);
        h.upstream.putWithSha1(BIG, big);
        Repository repo = h.maven("central");
        RemoteHarness.Capture client = new RemoteHarness.Capture();

        RemoteRepositories.Read read = h.remote.read(repo, ArtifactPath.of(BIG), client, "alice");
        assertThat(read).isInstanceOf(RemoteRepositories.Read.Streamed.class);
        assertThat(client.announcedSize).isEqualTo(big.length);
        assertThat(client.announcedSha1).isEqualTo(Digests.hex("SHA-1", big));
        assertThat(client.bytes.toByteArray()).isEqualTo(big);
        assertThat(client.aborted).isNull();
        assertThat(h.cached(repo, BIG)).isEqualTo(big);
        // told of the cached file (the fetch is audited then) while its last bytes were still held back
        assertThat(client.cachedFile.checksums().sha256()).isEqualTo(Digests.sha256(big));
        assertThat(client.sentWhenCached).isGreaterThan(0).isLessThan(big.length);
    }

    @Test
    void aLargeFileThatDoesNotMatchItsSha1IsAbortedBeforeItsLastBytesAndNotCached() {
        byte[] big = Bytes.random(8, 20 * 1024 * 1024);
        h.upstream.put(BIG, big).put(BIG + ".sha1", Digests.hex("SHA-1", new byte[] {1}));
        Repository repo = h.maven("central");
        RemoteHarness.Capture client = new RemoteHarness.Capture();

        CofferException e = catchThrowableOfType(
                CofferException.class, () -> h.remote.read(repo, ArtifactPath.of(BIG), client, "alice"));
        assertThat(e.failure().code()).isEqualTo("upstream_checksum_mismatch");
        assertThat(client.aborted).isNotNull();
        assertThat(client.cachedFile).isNull();
        assertThat(client.bytes.size()).isGreaterThan(0).isLessThan(big.length);
        assertThat(h.isCached(repo, BIG)).isFalse();
    }

    @Test
    void aFileOfUnknownSizeIsStreamedEvenWhenSmall() {
        byte[] small = Bytes.random(9, 10_000);
        h.upstream.putChunked("x/y.bin", small);
        Repository repo = h.maven("central");
        RemoteHarness.Capture client = new RemoteHarness.Capture();
        assertThat(h.remote.read(repo, ArtifactPath.of("x/y.bin"), client, null))
                .isInstanceOf(RemoteRepositories.Read.Streamed.class);
        assertThat(client.announcedSize).isEqualTo(-1);
        assertThat(client.bytes.toByteArray()).isEqualTo(small);
    }

    @Test
    void aSmallFileOfKnownSizeIsStoredFirstThenServedFromTheCache() {
        h.upstream.putWithSha1("x/small.jar", Bytes.random(10, 4 * 1024 * 1024));
        Repository repo = h.maven("central");
        RemoteHarness.Capture client = new RemoteHarness.Capture();
        assertThat(h.remote.read(repo, ArtifactPath.of("x/small.jar"), client, null))
                .isInstanceOf(RemoteRepositories.Read.Cached.class);
        assertThat(client.bytes.size()).isZero();
    }

    @Test
    void concurrentFirstRequestsForOneFileFetchItOnce() throws Exception {
        int n = 6;
        byte[] jar = Bytes.random(11, 300_000);
        h.upstream.putWithSha1(BIG, jar);
        UpstreamServer.Gate gate = h.upstream.gate(BIG, 1);
        CountDownLatch waiting = new CountDownLatch(n - 1);
        h.remote.onWait(waiting::countDown);
        Repository repo = h.maven("central");
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<RemoteRepositories.Read>> reads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                reads.add(pool.submit(() -> h.read(repo, BIG)));
            }
            assertThat(gate.arrived().await(30, TimeUnit.SECONDS))
                    .as("the first GET")
                    .isTrue();
            assertThat(waiting.await(30, TimeUnit.SECONDS))
                    .as("the others wait for it")
                    .isTrue();
            gate.open().countDown();
            for (Future<RemoteRepositories.Read> f : reads) {
                var read = (RemoteRepositories.Read.Cached) f.get(30, TimeUnit.SECONDS);
                assertThat(read.file().checksums().sha256()).isEqualTo(Digests.sha256(jar));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(h.upstream.gets(BIG)).isEqualTo(1);
        assertThat(h.remote.meters().of("central").misses()).isEqualTo(1);
        assertThat(h.remote.meters().of("central").hits()).isEqualTo(n - 1);
    }
}
