package dev.coffer.blob.s3;

import dev.coffer.blob.BoundedInputStream;
import dev.coffer.blob.StorageFailures;
import dev.coffer.common.CofferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Sends a staged file to one object: one PUT up to the part size, a multipart upload above it,
 * each part streamed from the file. Either the object appears whole or not at all: a multipart
 * upload that fails is aborted (one left by a crash is aborted by the store's cleanTemporary).
 */
final class ObjectUpload {
    /** S3 allows at most this many parts; a larger file gets larger parts. */
    private static final int MAX_PARTS = 10_000;

    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;
    private final long partSize;

    ObjectUpload(S3Client s3, String bucket, long partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    void upload(String key, Path file, long size) {
        if (size <= partSize) {
            try {
                s3.putObject(
                        b -> b.bucket(bucket).key(key).contentLength(size),
                        RequestBody.fromContentProvider(new FileSlice(file, 0, size), size, CONTENT_TYPE));
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
                String etag = s3.uploadPart(
                                b -> b.bucket(bucket)
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(n)
                                        .contentLength(length),
                                RequestBody.fromContentProvider(
                                        new FileSlice(file, offset, length), length, CONTENT_TYPE))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }
            s3.completeMultipartUpload(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
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
                current = new BoundedInputStream(Channels.newInputStream(ch), length);
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
}
