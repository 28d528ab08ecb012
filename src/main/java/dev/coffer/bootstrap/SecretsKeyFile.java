package dev.coffer.bootstrap;

import dev.coffer.repository.RepositoryService;
import dev.coffer.repository.SecretBox;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key file of {@code secrets.key-file}: exactly {@link SecretBox#KEY_BYTES} bytes, read at
 * start, created with random bytes (0600 where the file system has POSIX modes) when there is none.
 * A new key is written to a temporary file first and linked into place, so two processes starting
 * at once on one folder both end up with the one that won, never with half a key.
 */
final class SecretsKeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(SecretsKeyFile.class);

    private SecretsKeyFile() {}

    /** The key in {@code file}, created first if there is none. */
    static SecretBox open(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return new SecretBox(read(file));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read or create the secrets key file " + file.toAbsolutePath() + " (secrets.key-file): "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Logs the remote repositories whose stored password does not open with this key. Not a reason
     * to stop: the fix (the right key file, or the password set again) needs a running server.
     */
    static void warnIfUnreadable(RepositoryService repositories, Path file) {
        List<String> unreadable = repositories.unreadablePasswords();
        if (!unreadable.isEmpty()) {
            LOG.warn(
                    "the upstream passwords of the remote repositories {} cannot be decrypted with {} "
                            + "(secrets.key-file): fetching from their upstreams fails until the key file they "
                            + "were sealed with is back, or their passwords are set again",
                    unreadable,
                    file.toAbsolutePath());
        }
    }

    /** The key in {@code file}; IllegalStateException when it is not a key. */
    static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the secrets key file " + file.toAbsolutePath() + " is not a file");
        }
        long size = Files.size(file);
        if (size != SecretBox.KEY_BYTES) {
            throw new IllegalStateException("the secrets key file " + file.toAbsolutePath() + " holds " + size
                    + " bytes; a key is exactly " + SecretBox.KEY_BYTES
                    + " random bytes (head -c 32 /dev/urandom > FILE). Is secrets.key-file the right file?");
        }
        DataFolder.restrictFile(file);
        return Files.readAllBytes(file);
    }

    private static void create(Path file) throws IOException {
        byte[] key = new byte[SecretBox.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        try {
            if (install(file, key)) {
                LOG.info(
                        "created the secrets key file {} (it encrypts remote repositories' upstream passwords: keep "
                                + "it with the backups; every node on one PostgreSQL database needs the same file)",
                        file.toAbsolutePath());
            }
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Writes {@code key} to {@code file} (0600) unless a file is there already.
     *
     * @return false when another process created the file first (theirs is kept)
     */
    static boolean install(Path file, byte[] key) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(
                        abs.getParent(),
                        ".secrets-",
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(abs.getParent(), ".secrets-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                out.write(key);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.createLink(abs, tmp); // fails if another process created it meanwhile: theirs is kept
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, abs); // no hard links here: not atomic against a second start, but never replaces
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // another process on this folder created it first: use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
