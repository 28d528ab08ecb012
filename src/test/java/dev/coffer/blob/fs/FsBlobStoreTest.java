package dev.coffer.blob.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.blob.BlobStore;
import dev.coffer.blob.BlobStoreContract;
import dev.coffer.blob.StagedBlob;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

final class FsBlobStoreTest extends BlobStoreContract {

    @Override
    protected BlobStore newStore(Path tempDir, Executor largeDeletes) {
        return new FsBlobStore(tempDir, largeDeletes);
    }

    @Test
    void blobsAreLaidOutByTheirFirstTwoBytePairs() {
        stageAndCommit("abc".getBytes(UTF_8));

        Path expected = tempDir.resolve("blobs/ba/78/" + SHA256_ABC);
        assertThat(expected).isRegularFile().hasContent("abc");
        assertThat(store.open(SHA256_ABC).localFile()).contains(expected);
    }

    @Test
    void committedBlobsAreReadOnly() throws IOException {
        stageAndCommit("abc".getBytes(UTF_8));

        Path file = tempDir.resolve("blobs/ba/78/" + SHA256_ABC);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("r--r--r--");
        }
    }

    @Test
    void blobsSurviveARestart() {
        stageAndCommit("abc".getBytes(UTF_8));

        BlobStore reopened = new FsBlobStore(tempDir);

        assertThat(reopened.exists(SHA256_ABC)).isTrue();
        assertThat(sorted(reopened.list())).containsExactly(SHA256_ABC);
    }

    @Test
    void cleanTemporaryRemovesLeftoversAndKeepsBlobs() throws IOException {
        stageAndCommit("abc".getBytes(UTF_8));
        Files.writeString(tempDir.resolve("tmp/upload-crashed.tmp"), "half an upload");
        Files.writeString(tempDir.resolve("tmp/other"), "x");

        store.cleanTemporary();

        assertThat(temporaryFiles(tempDir)).isEmpty();
        assertThat(store.exists(SHA256_ABC)).isTrue();
    }

    @Test
    void listIgnoresFilesThatAreNotBlobsInTheirPlace() throws IOException {
        stageAndCommit("abc".getBytes(UTF_8));
        Files.createDirectories(tempDir.resolve("blobs/00/00"));
        Files.writeString(tempDir.resolve("blobs/00/00/" + SHA256_EMPTY), ""); // wrong fan-out dir
        Files.writeString(tempDir.resolve("blobs/00/00/notes.txt"), "");
        Files.writeString(tempDir.resolve("blobs/stray"), "");

        assertThat(sorted(store.list())).containsExactly(SHA256_ABC);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "../x",
                "",
                "abc",
                "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015add",
                "../../../../../../../../../../../../../../../../../../etc/passwd0",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a/",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ag",
            })
    void invalidHashesAreRejected(String sha256) {
        assertThatThrownBy(() -> store.open(sha256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.exists(sha256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(sha256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fullDiskWhileWritingIsInsufficientStorageAndLeavesNoTemporaryFile() {
        BlobStore full = new FsBlobStore(
                tempDir,
                failingAfter(
                        100_000, path -> new FileSystemException(path.toString(), null, "No space left on device")));

        CofferException e = catchThrowableOfType(
                CofferException.class, () -> full.stage(new ByteArrayInputStream(new byte[1_000_000]), -1));

        assertThat(e).isNotNull();
        assertThat(e.failure()).isInstanceOf(Failure.InsufficientStorage.class);
        assertThat(e.failure().code()).isEqualTo("insufficient_storage");
        assertThat(temporaryFiles(tempDir)).isEmpty();
        assertThat(full.list()).isEmpty();
    }

    @Test
    void fullDiskReportedAsPlainIOExceptionIsInsufficientStorageToo() {
        BlobStore full = new FsBlobStore(tempDir, failingAfter(0, path -> new IOException("No space left on device")));

        CofferException e = catchThrowableOfType(
                CofferException.class, () -> full.stage(new ByteArrayInputStream(new byte[10]), -1));

        assertThat(e.failure()).isInstanceOf(Failure.InsufficientStorage.class);
        assertThat(temporaryFiles(tempDir)).isEmpty();
    }

    @Test
    void fullDiskWhenCreatingTheTemporaryFileIsInsufficientStorage() {
        BlobStore full = new FsBlobStore(tempDir, (FsBlobStore.TempFileOpener) path -> {
            throw new FileSystemException(path.toString(), null, "No space left on device");
        });

        CofferException e = catchThrowableOfType(
                CofferException.class, () -> full.stage(new ByteArrayInputStream(new byte[10]), -1));

        assertThat(e.failure()).isInstanceOf(Failure.InsufficientStorage.class);
        assertThat(temporaryFiles(tempDir)).isEmpty();
    }

    @Test
    void otherWriteFailuresAreUnavailable() {
        BlobStore broken =
                new FsBlobStore(tempDir, failingAfter(50_000, path -> new IOException("Input/output error")));

        CofferException e = catchThrowableOfType(
                CofferException.class, () -> broken.stage(new ByteArrayInputStream(new byte[200_000]), -1));

        assertThat(e.failure()).isInstanceOf(Failure.Unavailable.class);
        assertThat(e.failure().code()).isEqualTo("storage_unavailable");
        assertThat(temporaryFiles(tempDir)).isEmpty();
    }

    @Test
    void aStoreThatFailsLaterStillStagesSmallUploads() {
        BlobStore almostFull = new FsBlobStore(
                tempDir,
                failingAfter(100, path -> new FileSystemException(path.toString(), null, "No space left on device")));

        try (StagedBlob staged = almostFull.stage(new ByteArrayInputStream("abc".getBytes(UTF_8)), -1)) {
            staged.commit();
        }

        assertThat(almostFull.exists(SHA256_ABC)).isTrue();
    }

    /** An opener whose real temp file accepts {@code limit} bytes and then fails with the given error. */
    private static FsBlobStore.TempFileOpener failingAfter(long limit, Function<Path, IOException> failure) {
        return path -> {
            WritableByteChannel real = FsBlobStore.FILE_CHANNEL.open(path);
            return new WritableByteChannel() {
                private long written;

                @Override
                public int write(ByteBuffer src) throws IOException {
                    if (written + src.remaining() > limit) {
                        throw failure.apply(path);
                    }
                    int n = real.write(src);
                    written += n;
                    return n;
                }

                @Override
                public boolean isOpen() {
                    return real.isOpen();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        };
    }
}
