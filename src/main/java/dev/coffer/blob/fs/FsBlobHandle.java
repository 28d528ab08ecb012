package dev.coffer.blob.fs;

import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.BoundedInputStream;
import dev.coffer.blob.StorageFailures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** A committed blob; opens a fresh channel per stream so the handle itself holds nothing open. */
record FsBlobHandle(String sha256, Path file, long size) implements BlobHandle {
    @Override
    public InputStream openStream(long offset, long length) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IllegalArgumentException(
                    "range [" + offset + ", +" + length + ") is outside the blob of " + size + " bytes");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (IOException e) {
            closeQuietly(channel, e);
            if (e instanceof NoSuchFileException) {
                // deleted after open() found it (a cleanup of an unreferenced blob)
                throw StorageFailures.missing(sha256);
            }
            throw StorageFailures.unavailable("reading a blob", e);
        }
    }

    @Override
    public Optional<Path> localFile() {
        return Optional.of(file);
    }

    private static void closeQuietly(FileChannel channel, IOException failure) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
