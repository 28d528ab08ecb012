package dev.coffer.blob.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.blob.BlobStore;
import dev.coffer.blob.BlobStoreContract;
import dev.coffer.blob.StagedBlob;
import dev.coffer.blob.TempFileStagedBlob;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.testing.S3ProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The blob store contract on S3 (s3proxy with its filesystem backend, a fresh bucket per test). */
final class S3BlobStoreTest extends BlobStoreContract {
    /** The smallest part S3 allows, so that the contract's 20 MiB upload goes up in five parts. */
    private static final long PART_SIZE = 5L * 1024 * 1024;

    private final List<S3BlobStore> opened = new ArrayList<>();
    private String bucket;

    @Override
    protected BlobStore newStore(Path tempDir, Executor largeDeletes) {
        S3ProxyServer s3 = S3ProxyServer.assumeAvailable();
        bucket = s3.createBucket("blobs");
        return open(s3.endpoint(), bucket, tempDir, largeDeletes);
    }

    private S3BlobStore open(String endpoint, String bucket, Path tempDir, Executor largeDeletes) {
        S3BlobStore store = new S3BlobStore(
                new S3Connection(
                                endpoint,
                                S3ProxyServer.REGION,
                                bucket,
                                true,
                                S3ProxyServer.ACCESS_KEY,
                                S3ProxyServer.SECRET_KEY)
                        .client(),
                bucket,
                tempDir.resolve("tmp"),
                PART_SIZE,
                largeDeletes);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(S3BlobStore::close);
    }

    @Test
    void blobsAreObjectsNamedByTheirHashAndNothingLocalIsKept() {
        stageAndCommit("abc".getBytes(UTF_8));

        try (S3Client c = S3ProxyServer.shared().client()) {
            assertThat(c.getObjectAsBytes(b -> b.bucket(bucket).key("blobs/" + SHA256_ABC))
                            .asUtf8String())
                    .isEqualTo("abc");
        }
        assertThat(store.open(SHA256_ABC).localFile()).isEmpty();
        assertThat(temporaryFiles(tempDir)).isEmpty();
    }

    @Test
    void aLargeUploadGoesUpInPartsAndLeavesNoUnfinishedUpload() throws Exception {
        long size = 3 * PART_SIZE + 17;
        String sha;
        try (StagedBlob staged = store.stage(new Generated(3, size), -1)) {
            staged.commit();
            sha = staged.checksums().sha256();
        }

        assertThat(sha).isEqualTo(hex("SHA-256", new Generated(3, size)));
        assertThat(store.open(sha).size()).isEqualTo(size);
        try (S3Client c = S3ProxyServer.shared().client()) {
            assertThat(c.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        }
    }

    @Test
    void listSkipsObjectsThatAreNotBlobs() {
        stageAndCommit("abc".getBytes(UTF_8));
        try (S3Client c = S3ProxyServer.shared().client()) {
            c.putObject(b -> b.bucket(bucket).key("blobs/notes.txt"), RequestBody.fromString("x"));
            c.putObject(b -> b.bucket(bucket).key("elsewhere/" + SHA256_EMPTY), RequestBody.fromString(""));
        }

        assertThat(sorted(store.list())).containsExactly(SHA256_ABC);
    }

    @Test
    void blobsOutliveTheStoreThatWroteThem() {
        stageAndCommit("abc".getBytes(UTF_8));

        BlobStore other = open(
                S3ProxyServer.shared().endpoint(), bucket, tempDir.resolve("other"), TempFileStagedBlob.DELETE_AT_ONCE);

        assertThat(other.exists(SHA256_ABC)).isTrue();
        assertThat(read(other.open(SHA256_ABC), 1, 2)).isEqualTo("bc".getBytes(UTF_8));
    }

    @Test
    void cleanTemporaryRemovesLocalLeftoversAndKeepsBlobs() throws IOException {
        stageAndCommit("abc".getBytes(UTF_8));
        Files.writeString(tempDir.resolve("tmp/upload-crashed.tmp"), "half an upload");

        store.cleanTemporary();

        assertThat(temporaryFiles(tempDir)).isEmpty();
        assertThat(store.exists(SHA256_ABC)).isTrue();
    }

    @Test
    void anUnreachableServerIsUnavailableNeverNotFound() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        BlobStore down = open(
                "http://127.0.0.1:" + closedPort, bucket, tempDir.resolve("down"), TempFileStagedBlob.DELETE_AT_ONCE);

        assertUnavailable(() -> down.exists(SHA256_ABC));
        assertUnavailable(() -> down.open(SHA256_ABC));
        assertUnavailable(() -> down.delete(SHA256_ABC));
        assertUnavailable(() -> down.list().toList());
        StagedBlob staged = down.stage(bytes("abc"), -1);
        assertUnavailable(staged::commit);
        staged.close();
        try (Stream<Path> left = Files.list(tempDir.resolve("down/tmp"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aMissingBucketIsUnavailable() {
        BlobStore wrong = open(
                S3ProxyServer.shared().endpoint(),
                "no-such-bucket-here",
                tempDir.resolve("wrong"),
                TempFileStagedBlob.DELETE_AT_ONCE);

        assertUnavailable(() -> wrong.list().toList());
        StagedBlob staged = wrong.stage(bytes("abc"), -1);
        assertUnavailable(staged::commit);
        staged.close();
    }

    @Test
    void tooSmallPartsAreRefused() {
        assertThatThrownBy(() -> new S3BlobStore(S3ProxyServer.shared().client(), bucket, tempDir, 1024))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertUnavailable(Runnable r) {
        CofferException e = catchThrowableOfType(CofferException.class, r::run);
        assertThat(e).isNotNull();
        assertThat(e.failure()).isInstanceOf(Failure.Unavailable.class);
        assertThat(e.failure().code()).isEqualTo("storage_unavailable");
    }
}
