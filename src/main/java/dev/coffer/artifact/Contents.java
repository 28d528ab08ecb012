package dev.coffer.artifact;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.BlobStore;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.common.MemoryOnly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bytes of stored files. Contents of small files are kept by SHA-256: immutable, so never
 * stale, on any node. They are held off the heap (read-only): the socket takes them without the
 * copy into a temporary direct buffer that a heap array costs on every write.
 */
final class Contents {
    // under the service's name, as before the split: log settings and alerts name it
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactService.class);

    private final BlobStore blobs;
    private final Cache<String, ByteBuffer> small;

    Contents(BlobStore blobs) {
        this.blobs = Objects.requireNonNull(blobs);
        // at most 64 MiB, and no more than an eighth of -Xmx (direct memory is capped at -Xmx by default)
        this.small = Caffeine.newBuilder()
                .maximumWeight(Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 8))
                .weigher((String k, ByteBuffer v) -> v.capacity() + 64)
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    /** See {@link ArtifactService#smallContent}. */
    ByteBuffer smallContent(FileRecord file) {
        if (file.size() > ArtifactService.SMALL_FILE) {
            return null;
        }
        return stored(file, () -> small.get(file.checksums().sha256(), this::readSmall))
                .duplicate();
    }

    /** See {@link ArtifactService#open}. */
    BlobHandle open(FileRecord file) {
        if (file.size() <= ArtifactService.SMALL_FILE) {
            return new BytesHandle(smallContent(file));
        }
        return stored(file, () -> blobs.open(file.checksums().sha256()));
    }

    /** Runs a read of {@code file}'s content, reporting a missing blob as the storage fault it is. */
    private <T> T stored(FileRecord file, Supplier<T> read) {
        try {
            return read.get();
        } catch (CofferException e) {
            if (e.failure() instanceof Failure.NotFound) {
                LOG.error(
                        "blob {} of {}/{} is missing from the store",
                        file.checksums().sha256(),
                        file.repo(),
                        file.path());
                throw new CofferException(
                        new Failure.Unavailable(
                                "storage_inconsistent", "the content of this file cannot be read from storage"),
                        e);
            }
            throw e;
        }
    }

    private ByteBuffer readSmall(String sha) {
        MemoryOnly.check();
        BlobHandle h = blobs.open(sha);
        try (InputStream in = h.openStream(0, h.size())) {
            byte[] bytes = in.readAllBytes();
            return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
        } catch (IOException e) {
            throw CofferException.unavailable("the content of this file cannot be read from storage", e);
        }
    }
}
