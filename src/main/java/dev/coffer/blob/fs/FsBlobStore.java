package dev.coffer.blob.fs;

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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * Blobs as files under {@code root/blobs/ab/cd/<sha256>}; uploads are staged in {@code root/tmp/}
 * on the same filesystem, so that committing is one atomic rename: a blob file either does not
 * exist or holds complete, fsynced bytes.
 *
 * <p>Garbage collection must give staged-but-uncommitted uploads a grace period: a commit that
 * finds its blob already present drops its own copy, so a concurrent delete of that blob would
 * lose it. Ordering that (e.g. collecting only blobs unreferenced for some time) is the caller's.
 */
public final class FsBlobStore implements BlobStore {
    private static final int BUFFER_SIZE = 128 * 1024;
    private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");
    // Directories cannot be opened (and so not fsynced) on Windows; elsewhere they must be.
    private static final boolean SYNC_DIRECTORIES =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    /**
     * Opens a new temporary file for writing. A seam only because real full disks cannot be made
     * in a unit test: tests pass an opener whose channel fails like a full disk. The store forces
     * (fsyncs) the channel when it is a {@link FileChannel}, which the real one always is.
     */
    @FunctionalInterface
    interface TempFileOpener {
        WritableByteChannel open(Path path) throws IOException;
    }

    static final TempFileOpener FILE_CHANNEL =
            path -> FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private final Path blobs;
    private final Path tmp;
    private final TempFileOpener opener;
    private final Executor largeDeletes;

    /** A store that deletes a committed upload's leftover copy at once (for tools that exit when done). */
    public FsBlobStore(Path root) {
        this(root, FILE_CHANNEL, TempFileStagedBlob.DELETE_AT_ONCE);
    }

    /** @param largeDeletes runs the deletion of a large committed upload's leftover copy (see TempFileStagedBlob) */
    public FsBlobStore(Path root, Executor largeDeletes) {
        this(root, FILE_CHANNEL, largeDeletes);
    }

    FsBlobStore(Path root, TempFileOpener opener) {
        this(root, opener, TempFileStagedBlob.DELETE_AT_ONCE);
    }

    FsBlobStore(Path root, TempFileOpener opener, Executor largeDeletes) {
        Objects.requireNonNull(root, "root");
        this.blobs = root.resolve("blobs");
        this.tmp = root.resolve("tmp");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.largeDeletes = Objects.requireNonNull(largeDeletes, "largeDeletes");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw StorageFailures.unavailable("creating the blob store directories", e);
        }
    }

    @Override
    public StagedBlob stage(InputStream in, long maxBytes) {
        Objects.requireNonNull(in, "in");
        Path temp = tmp.resolve("upload-" + UUID.randomUUID() + ".tmp");
        WritableByteChannel channel = null;
        try {
            try {
                channel = opener.open(temp);
            } catch (IOException e) {
                throw StorageFailures.ofWrite("creating a temporary file", e);
            }
            BackgroundFlush flush = new BackgroundFlush(channel);
            WritableByteChannel out = channel;
            StagingCopy.Result copied = StagingCopy.copy(in, maxBytes, BUFFER_SIZE, (buf, n) -> {
                ByteBuffer view = ByteBuffer.wrap(buf, 0, n);
                while (view.hasRemaining()) {
                    out.write(view);
                }
                flush.wrote(n);
            });
            try {
                flush.await();
                if (channel instanceof FileChannel file) {
                    file.force(true);
                }
                channel.close();
            } catch (IOException e) {
                throw StorageFailures.ofWrite("syncing a temporary file", e);
            }
            makeReadOnly(temp);
            return new FsStagedBlob(temp, copied.checksums(), copied.size());
        } catch (RuntimeException | Error e) {
            discard(channel, temp, e);
            throw e;
        }
    }

    // Best effort: the failure that got us here is what the caller must see.
    private static void discard(WritableByteChannel channel, Path temp, Throwable failure) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e); // cleanTemporary() removes it at the next start
        }
    }

    // Guards committed blobs against accidental in-place edits; cosmetic, so failures are ignored.
    private static void makeReadOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, READ_ONLY);
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX filesystem, or not ours to chmod: the blob is still correct
        }
    }

    @Override
    public BlobHandle open(String sha256) {
        Path file = blobPath(sha256);
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                throw StorageFailures.missing(sha256);
            }
            return new FsBlobHandle(sha256, file, attrs.size());
        } catch (NoSuchFileException e) {
            throw StorageFailures.missing(sha256);
        } catch (IOException e) {
            throw StorageFailures.unavailable("opening a blob", e);
        }
    }

    @Override
    public boolean exists(String sha256) {
        Path file = blobPath(sha256);
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).isRegularFile();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            // Not Files.exists(): it answers false on I/O errors, disguising an outage as absence.
            throw StorageFailures.unavailable("checking for a blob", e);
        }
    }

    @Override
    public void delete(String sha256) {
        Path file = blobPath(sha256);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw StorageFailures.unavailable("deleting a blob", e);
        }
    }

    @Override
    public Stream<String> list() {
        // Three levels of plain directory listings rather than Files.walk, which stats every entry
        // and fails the whole walk when a blob is deleted concurrently (as GC does).
        return children(blobs)
                .flatMap(FsBlobStore::children)
                .flatMap(FsBlobStore::children)
                .filter(FsBlobStore::isBlobInPlace)
                .map(p -> p.getFileName().toString());
    }

    private static Stream<Path> children(Path dir) {
        try {
            return Files.list(dir);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Stream.empty();
        } catch (IOException e) {
            throw StorageFailures.unavailable("listing blobs", e);
        }
    }

    private static boolean isBlobInPlace(Path p) {
        String name = p.getFileName().toString();
        Path parent = p.getParent();
        Path grandparent = parent.getParent();
        return BlobIds.isValid(name)
                && parent.getFileName().toString().equals(name.substring(2, 4))
                && grandparent.getFileName().toString().equals(name.substring(0, 2));
    }

    @Override
    public void cleanTemporary() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path p : entries) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw StorageFailures.unavailable("removing temporary files", e);
        }
    }

    /** Nothing to release: every handle and channel is opened and closed per call. */
    @Override
    public void close() {}

    private Path blobPath(String sha256) {
        BlobIds.requireValid(sha256);
        return blobs.resolve(sha256.substring(0, 2))
                .resolve(sha256.substring(2, 4))
                .resolve(sha256);
    }

    private static void syncDirectory(Path dir) throws IOException {
        if (SYNC_DIRECTORIES) {
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }

    /** Creates the fan-out directories of a blob, syncing each parent whose entries changed. */
    private void createFanOut(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        syncDirectory(dir.getParent());
        syncDirectory(blobs);
    }

    private final class FsStagedBlob extends TempFileStagedBlob {
        FsStagedBlob(Path temp, Checksums checksums, long size) {
            super(temp, checksums, size, largeDeletes);
        }

        @Override
        protected void publish() {
            Path target = blobPath(checksums().sha256());
            try {
                createFanOut(target.getParent());
                if (Files.exists(target)) {
                    return; // same hash, same bytes: keep the blob readers may already have open
                }
                // On POSIX, rename(2) replaces a target created meanwhile by a concurrent commit of
                // the same content, which is harmless: the bytes are identical.
                Files.move(temp(), target, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(target.getParent());
            } catch (IOException e) {
                throw StorageFailures.ofWrite("committing a blob", e);
            }
        }
    }
}
