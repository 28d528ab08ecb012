package dev.coffer.blob.s3;

import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.BlobIds;
import dev.coffer.blob.BlobStore;
import dev.coffer.blob.Checksums;
import dev.coffer.blob.StagedBlob;
import dev.coffer.blob.StagingCopy;
import dev.coffer.blob.StorageFailures;
import dev.coffer.blob.TempFileStagedBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects {@code blobs/<sha256>} in one bucket of an S3-compatible store.
 *
 * <p>All or nothing, as on the filesystem: an upload is streamed to a local temporary file while
 * it is hashed (memory stays bounded whatever the size; the hash names the object, so nothing can
 * be sent before the last byte is read), and {@link StagedBlob#commit()} then uploads that file:
 * one PUT up to the part size, a multipart upload above it ({@link ObjectUpload}). S3 makes an
 * object visible only when its PUT or its multipart completion succeeds, so a blob either does not
 * exist or is complete. A multipart upload that fails is aborted; one left over by a crash is
 * aborted by {@link #cleanTemporary()} once it is a day old.
 *
 * <p>Errors are classified, never disguised: a missing object is NotFound, every other SDK or
 * network failure Unavailable (503).
 */
public final class S3BlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
    /** Objects at or below this size are one PUT; above it, parts of this size (S3 allows 5 MiB to 5 GiB). */
    public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

    private static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final String PREFIX = "blobs/";
    private static final int BUFFER_SIZE = 128 * 1024;
    private static final Duration STALE_UPLOAD = Duration.ofDays(1);

    private final S3Client s3;
    private final String bucket;
    private final Path tmp;
    private final ObjectUpload uploads;
    private final Executor largeDeletes;

    /**
     * @param s3 the client (closed by {@link #close()})
     * @param staging local folder for uploads being hashed (needs room for the largest upload)
     */
    public S3BlobStore(S3Client s3, String bucket, Path staging, long partSize) {
        this(s3, bucket, staging, partSize, TempFileStagedBlob.DELETE_AT_ONCE);
    }

    /** @param largeDeletes runs the deletion of a large committed upload's staged copy (see TempFileStagedBlob) */
    public S3BlobStore(S3Client s3, String bucket, Path staging, long partSize, Executor largeDeletes) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.tmp = Objects.requireNonNull(staging, "staging");
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size must be at least 5 MiB: " + partSize);
        }
        this.uploads = new ObjectUpload(s3, bucket, partSize);
        this.largeDeletes = Objects.requireNonNull(largeDeletes, "largeDeletes");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw StorageFailures.unavailable("creating the staging directory", e);
        }
    }

    /** Start-up check: the bucket exists and the credentials may use it; else IllegalStateException. */
    public void checkBucket(String where) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw new IllegalStateException(
                    "cannot use the S3 bucket '" + bucket + "' at " + where + ": " + e.getMessage(), e);
        }
    }

    // ---- staging

    @Override
    public StagedBlob stage(InputStream in, long maxBytes) {
        Objects.requireNonNull(in, "in");
        Path temp = tmp.resolve("upload-" + UUID.randomUUID() + ".tmp");
        OutputStream out = null;
        try {
            try {
                out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw StorageFailures.ofWrite("creating a temporary file", e);
            }
            OutputStream sink = out;
            StagingCopy.Result copied = StagingCopy.copy(in, maxBytes, BUFFER_SIZE, (buf, n) -> sink.write(buf, 0, n));
            try {
                out.close();
            } catch (IOException e) {
                throw StorageFailures.ofWrite("closing a temporary file", e);
            }
            return new S3StagedBlob(temp, copied.checksums(), copied.size());
        } catch (RuntimeException | Error e) {
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            deleteQuietly(temp);
            throw e;
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // cleanTemporary() removes it at the next start
        }
    }

    private final class S3StagedBlob extends TempFileStagedBlob {
        S3StagedBlob(Path temp, Checksums checksums, long size) {
            super(temp, checksums, size, largeDeletes);
        }

        @Override
        protected void publish() {
            // same hash, same bytes: an existing object is kept (no second upload of a large file)
            if (!exists(checksums().sha256())) {
                uploads.upload(key(checksums().sha256()), temp(), size());
            }
        }
    }

    // ---- reading and the rest

    @Override
    public BlobHandle open(String sha256) {
        String key = key(sha256);
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return new S3BlobHandle(s3, bucket, sha256, key, head.contentLength());
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                throw StorageFailures.missing(sha256);
            }
            throw StorageFailures.unavailable("opening a blob", e);
        }
    }

    @Override
    public boolean exists(String sha256) {
        String key = key(sha256);
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return false;
            }
            throw StorageFailures.unavailable("checking for a blob", e);
        }
    }

    @Override
    public void delete(String sha256) {
        String key = key(sha256);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw StorageFailures.unavailable("deleting a blob", e);
            }
        }
    }

    @Override
    public Stream<String> list() {
        Iterator<S3Object> objects;
        try {
            objects = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX))
                    .contents()
                    .iterator();
        } catch (SdkException e) {
            throw StorageFailures.unavailable("listing blobs", e);
        }
        Iterator<S3Object> classified = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return objects.hasNext();
                } catch (SdkException e) {
                    throw StorageFailures.unavailable("listing blobs", e);
                }
            }

            @Override
            public S3Object next() {
                try {
                    return objects.next();
                } catch (SdkException e) {
                    throw StorageFailures.unavailable("listing blobs", e);
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(classified, 0), false)
                .map(o -> o.key().substring(PREFIX.length()))
                .filter(BlobIds::isValid);
    }

    /**
     * Removes local staging leftovers, and aborts multipart uploads under {@code blobs/} started
     * more than a day ago (another node may be uploading right now: younger ones are left alone).
     */
    @Override
    public void cleanTemporary() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path p : entries) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw StorageFailures.unavailable("removing temporary files", e);
        }
        try {
            Instant cutoff = Instant.now().minus(STALE_UPLOAD);
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(
                            b -> b.bucket(bucket).prefix(PREFIX))
                    .uploads()) {
                if (u.initiated() != null && u.initiated().isBefore(cutoff)) {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
                }
            }
        } catch (SdkException e) {
            // Not every S3-compatible server lists uploads; a bucket lifecycle rule can do this instead.
            LOG.warn("could not abort stale multipart uploads in bucket {}: {}", bucket, e.getMessage());
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private static String key(String sha256) {
        return PREFIX + BlobIds.requireValid(sha256);
    }
}
