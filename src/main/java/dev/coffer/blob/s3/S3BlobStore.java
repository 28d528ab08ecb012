package dev.coffer.blob.s3;

import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.BlobIds;
import dev.coffer.blob.BlobStore;
import dev.coffer.blob.Checksums;
import dev.coffer.blob.StagingCopy;
import dev.coffer.blob.StagedBlob;
import dev.coffer.blob.StorageFailures;
import dev.coffer.blob.TempFileStagedBlob;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects {@code blobs/<sha256>} in one bucket of an S3-compatible store.
 *
 * <p>All or nothing, as on the filesystem: an upload is streamed to a local temporary file while
 * it is hashed (memory stays bounded whatever the size; the hash names the object, so nothing can
 * be sent before the last byte is read), and {@link StagedBlob#commit()} then uploads that file:
 * one PUT up to the part size, a multipart upload above it, each part streamed from the file.
 * S3 makes an object visible only when its PUT or its multipart completion succeeds, so a blob
 * either does not exist or is complete. A multipart upload that fails is aborted; one left over by
 * a crash is aborted by {@link #cleanTemporary()} once it is a day old.
 *
 * <p>Errors are classified, never disguised: a missing object is NotFound, every other SDK or
 * network failure Unavailable (503).
 */
public final class S3BlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
    /** Objects at or below this size are one PUT; above it, parts of this size (S3 allows 5 MiB to 5 GiB). */
    public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;
    private static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;
    private static final String PREFIX = "blobs/";
    private static final int BUFFER_SIZE = 128 * 1024;
    private static final Duration STALE_UPLOAD = Duration.ofDays(1);

    private final S3Client s3;
    private final String bucket;
    private final Path tmp;
    private final long partSize;
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
        this.partSize = partSize;
        this.largeDeletes = Objects.requireNonNull(largeDeletes, "largeDeletes");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw StorageFailures.unavailable("creating the staging directory", e);
        }
    }

    /** Connection settings of an S3-compatible store. Empty keys: the SDK's default credential chain. */
    public record Connection(String endpoint, String region, String bucket, boolean pathStyle, String accessKey,
            String secretKey) {
        public Connection {
            Objects.requireNonNull(bucket, "bucket");
        }

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", pathStyle=" + pathStyle
                    + "]";
        }
    }

    /**
     * A synchronous client over Apache HttpClient. Checksums are sent and checked only where the
     * API requires them: S3-compatible servers (MinIO, Ceph, s3proxy) differ in support of the
     * newer default checksums, and every blob is verified by its SHA-256 anyway.
     */
    public static S3Client client(Connection c) {
        AwsCredentialsProvider credentials = isBlank(c.accessKey()) && isBlank(c.secretKey())
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKey(), c.secretKey()));
        S3ClientBuilder b = S3Client.builder()
                .credentialsProvider(credentials)
                .forcePathStyle(c.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .maxConnections(64));
        if (!isBlank(c.region())) {
            b.region(Region.of(c.region()));
        }
        if (!isBlank(c.endpoint())) {
            b.endpointOverride(URI.create(c.endpoint()));
        }
        return b.build();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Start-up check: the bucket exists and the credentials may use it; else IllegalStateException. */
    public void checkBucket(String where) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw new IllegalStateException("cannot use the S3 bucket '" + bucket + "' at " + where + ": "
                    + e.getMessage(), e);
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
                upload(key(checksums().sha256()), temp(), size());
            }
        }
    }

    private void upload(String key, Path file, long size) {
        if (size <= partSize) {
            try {
                s3.putObject(b -> b.bucket(bucket).key(key).contentLength(size),
                        RequestBody.fromContentProvider(new FileSlice(file, 0, size), size, "application/octet-stream"));
            } catch (SdkException e) {
                throw StorageFailures.unavailable("uploading a blob", e);
            }
            return;
        }
        long part = Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        } catch (SdkException e) {
            throw StorageFailures.unavailable("starting a multipart upload", e);
        }
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += part, number++) {
                long length = Math.min(part, size - offset);
                int n = number;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(n)
                        .contentLength(length), RequestBody.fromContentProvider(new FileSlice(file, offset, length),
                                length, "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException | UncheckedIOException e) {
            CofferException failure = StorageFailures.unavailable("uploading a blob in parts", e);
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abort) {
                failure.addSuppressed(abort); // cleanTemporary() aborts it once it is stale
            }
            throw failure;
        }
    }

    /**
     * One slice of the staged file, re-readable from its start (the SDK re-reads a body to sign it
     * and on retries); each stream reads the file afresh, so nothing is held in memory.
     */
    private static final class FileSlice implements ContentStreamProvider {
        private final Path file;
        private final long offset;
        private final long length;
        private InputStream current;

        FileSlice(Path file, long offset, long length) {
            this.file = file;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public synchronized InputStream newStream() {
            closeCurrent();
            try {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                ch.position(offset);
                current = new Bounded(Channels.newInputStream(ch), length);
                return current;
            } catch (IOException e) {
                throw new UncheckedIOException("reading the staged upload", e);
            }
        }

        private void closeCurrent() {
            if (current != null) {
                try {
                    current.close();
                } catch (IOException ignored) {
                    // a read-only file stream
                }
            }
        }
    }

    /** At most {@code remaining} bytes of the underlying stream. */
    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, remaining));
            remaining -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    // ---- reading and the rest

    @Override
    public BlobHandle open(String sha256) {
        String key = key(sha256);
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return new S3BlobHandle(sha256, key, head.contentLength());
        } catch (SdkException e) {
            if (isNotFound(e)) {
                throw missing(sha256);
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
            if (isNotFound(e)) {
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
            if (!isNotFound(e)) {
                throw StorageFailures.unavailable("deleting a blob", e);
            }
        }
    }

    @Override
    public Stream<String> list() {
        Iterator<S3Object> objects;
        try {
            objects = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX)).contents().iterator();
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
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(PREFIX)).uploads()) {
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

    private static boolean isNotFound(SdkException e) {
        return e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404);
    }

    private static CofferException missing(String sha256) {
        return new CofferException(new Failure.NotFound("blob_missing", "blob " + sha256 + " is missing from storage"));
    }

    /** A committed object; each stream is one (ranged) GET. */
    private final class S3BlobHandle implements BlobHandle {
        private final String sha256;
        private final String key;
        private final long size;

        S3BlobHandle(String sha256, String key, long size) {
            this.sha256 = sha256;
            this.key = key;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public InputStream openStream(long offset, long length) {
            if (offset < 0 || length < 0 || offset > size || length > size - offset) {
                throw new IllegalArgumentException(
                        "range [" + offset + ", +" + length + ") is outside the blob of " + size + " bytes");
            }
            if (length == 0) {
                return InputStream.nullInputStream();
            }
            String range = "bytes=" + offset + "-" + (offset + length - 1);
            try {
                return new Bounded(s3.getObject(b -> b.bucket(bucket).key(key).range(range)), length);
            } catch (SdkException e) {
                if (isNotFound(e)) {
                    throw missing(sha256);
                }
                throw StorageFailures.unavailable("reading a blob", e);
            }
        }

        @Override
        public Optional<Path> localFile() {
            return Optional.empty();
        }
    }
}
