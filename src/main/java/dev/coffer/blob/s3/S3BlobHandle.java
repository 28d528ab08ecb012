package dev.coffer.blob.s3;

import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.BoundedInputStream;
import dev.coffer.blob.StorageFailures;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/** A committed object; each stream is one (ranged) GET, so the handle itself holds no connection. */
final class S3BlobHandle implements BlobHandle {
    private final S3Client s3;
    private final String bucket;
    private final String sha256;
    private final String key;
    private final long size;

    S3BlobHandle(S3Client s3, String bucket, String sha256, String key, long size) {
        this.s3 = s3;
        this.bucket = bucket;
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
            return new BoundedInputStream(
                    s3.getObject(b -> b.bucket(bucket).key(key).range(range)), length);
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                throw StorageFailures.missing(sha256);
            }
            throw StorageFailures.unavailable("reading a blob", e);
        }
    }

    @Override
    public Optional<Path> localFile() {
        return Optional.empty();
    }
}
