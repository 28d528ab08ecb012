package dev.coffer.virtual;

import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.Checksums;
import dev.coffer.common.ArtifactPath;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A document a virtual repository makes for one request (merged metadata, its checksum), served
 * like a stored file: {@link #file()} carries its size, checksums (so its ETag) and times.
 */
public record Generated(FileRecord file, byte[] bytes) {
    public Generated {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(bytes, "bytes");
    }

    static Generated of(String repo, ArtifactPath path, byte[] bytes, long createdAt, long updatedAt) {
        Checksums sums = new Checksums(hex("SHA-256", bytes), hex("SHA-1", bytes), hex("MD5", bytes));
        return new Generated(
                new FileRecord(repo, path, bytes.length, sums, createdAt, updatedAt, null, null), bytes.clone());
    }

    /** The lower-case hex digest of {@code bytes} ({@code algorithm} as {@link MessageDigest} names it). */
    static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    /** The bytes as a blob, for the same sender as stored files. */
    public BlobHandle handle() {
        return new BlobHandle() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream openStream(long offset, long length) {
                if (offset < 0 || length < 0 || offset > bytes.length || length > bytes.length - offset) {
                    throw new IllegalArgumentException("range outside the document");
                }
                return new ByteArrayInputStream(bytes, (int) offset, (int) length);
            }

            @Override
            public Optional<java.nio.file.Path> localFile() {
                return Optional.empty();
            }
        };
    }
}
