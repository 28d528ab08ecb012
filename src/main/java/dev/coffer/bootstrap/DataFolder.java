package dev.coffer.bootstrap;

import dev.coffer.config.Backends;
import dev.coffer.config.Settings;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data folder holds password hashes (coffer.db), the first admin password, access logs and
 * every stored file: only the account Coffer runs as may read it. Before anything opens it, the
 * folder and what Coffer creates in it are made (or tightened to) 0700 for folders and 0600 for
 * files, whatever the umask: the database file is created 0600 before SQLite opens it (SQLite
 * gives its -wal and -shm files the mode of the main file), the access log before logback does.
 * The blob store's fan-out folders and blobs below store/blobs are not walked (that could be
 * millions of files): a 0700 folder already keeps everyone else out of everything below it.
 * POSIX file systems only.
 */
final class DataFolder {
    private static final Logger LOG = LoggerFactory.getLogger(DataFolder.class);
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final List<String> DATABASE_FILES =
            List.of("coffer.db", "coffer.db-wal", "coffer.db-shm", "coffer.db-journal");

    private DataFolder() {}

    /** Creates or tightens the data folder of {@code settings} and what Coffer keeps in it. */
    static void prepare(Settings settings) {
        Path data = settings.data().toAbsolutePath().normalize();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (!posix) {
                Files.createDirectories(data);
                return;
            }
            folder(data);
            if (settings.backends().storage().kind() == Backends.StorageKind.S3) {
                folder(data.resolve("staging"));
            } else {
                for (String f : List.of("store", "store/blobs", "store/tmp")) { // FsBlobStore's own folders
                    folder(data.resolve(f));
                }
            }
            if (settings.backends().database().embedded()) {
                file(data.resolve(DATABASE_FILES.get(0)), true);
            }
            for (String f : DATABASE_FILES) {
                file(data.resolve(f), false);
            }
            file(data.resolve("admin.password"), false);
            Path log = settings.accessLogFile();
            if (log != null && log.toAbsolutePath().normalize().startsWith(data)) {
                Path abs = log.toAbsolutePath().normalize();
                List<Path> folders = new ArrayList<>();
                for (Path p = abs.getParent(); p != null && !p.equals(data); p = p.getParent()) {
                    folders.add(0, p);
                }
                for (Path p : folders) {
                    folder(p);
                }
                file(abs, true);
                for (int i = 1; i <= 5; i++) { // the rotated ones (AccessLogWriter keeps five)
                    file(abs.resolveSibling(abs.getFileName() + "." + i), false);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the data folder " + data + ": " + e.getMessage(), e);
        }
    }

    /** Sets an existing file to 0600 where the file system has POSIX modes (a warning when it cannot). */
    static void restrictFile(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            file(file, false);
        }
    }

    /** Creates {@code dir} 0700 (its missing parents with the usual mode) or sets an existing one to 0700. */
    private static void folder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(FOLDER));
            } catch (FileAlreadyExistsException e) {
                // created meanwhile (or a file of that name, which the next step reports)
            }
        }
        restrict(dir, FOLDER);
    }

    /** Sets an existing file to 0600; creates it (empty, 0600) when {@code create}. */
    private static void file(Path file, boolean create) throws IOException {
        if (create && !Files.exists(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } catch (FileAlreadyExistsException e) {
                // created meanwhile: tightened below
            }
        }
        if (Files.isRegularFile(file)) {
            restrict(file, FILE);
        }
    }

    /** The umask may have taken bits off at creation, never added any; existing ones may be looser. */
    private static void restrict(Path p, Set<PosixFilePermission> mode) throws IOException {
        if (Files.getPosixFilePermissions(p).equals(mode)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(p, mode);
        } catch (IOException | SecurityException e) {
            // e.g. owned by another account: say so, but a folder we can use is not a reason to stop
            LOG.warn("could not restrict {} to {}: {}", p, PosixFilePermissions.toString(mode), e.getMessage());
        }
    }
}
