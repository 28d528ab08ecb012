package dev.coffer.bootstrap;

import dev.coffer.blob.fs.FsBlobStore;
import dev.coffer.config.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code coffer backup} and {@code coffer restore} (see {@link Backup} for the format). */
final class BackupCommands {
    private static final int ATTEMPTS = 5;

    private BackupCommands() {}

    @Command(
            name = "backup",
            mixinStandardHelpOptions = true,
            description = {
                "Copy the database and every stored file of a data folder into one zip file.",
                "Safe while a server runs on the folder: the database is copied with an online snapshot.",
                "The secrets key file (secrets.key-file) is not in the backup: keep a copy of it with the backups.",
                "Example: coffer backup --data ./data --to /backups/coffer-$(date +%%F).zip"
            })
    static final class BackupCommand extends DataCommand {
        @Option(
                names = "--to",
                required = true,
                paramLabel = "FILE",
                description = "the backup file to write (replaced if present)")
        Path to;

        @Override
        int run(Settings settings, Coffer.Services s) throws Exception {
            for (int attempt = 1; ; attempt++) {
                try {
                    Backup.Summary sum = Backup.backup(
                            s.database().dataSource(),
                            s.blobs(),
                            settings.data().resolve("store").resolve("blobs"),
                            to);
                    err().println("coffer: backed up " + sum.files() + " files (" + sum.blobs() + " blobs, "
                            + sum.bytes() + " bytes) and the database to " + to.toAbsolutePath());
                    err().println("coffer: note: the backup does not contain the secrets key file "
                            + settings.secretsKeyFile().toAbsolutePath() + " (secrets.key-file), which decrypts the "
                            + "upstream passwords of remote repositories: keep a copy of it with the backup, apart "
                            + "from it");
                    return SetupCommands.OK;
                } catch (Backup.BlobGone e) {
                    if (attempt == ATTEMPTS) {
                        return fail(e.getMessage() + ", " + ATTEMPTS + " times: files are being deleted faster "
                                + "than they can be copied; try again later");
                    }
                    err().println("coffer: " + e.getMessage() + "; starting over");
                }
            }
        }
    }

    @Command(
            name = "restore",
            mixinStandardHelpOptions = true,
            description = {
                "Bring a backup made by 'coffer backup' back into an empty data folder, then verify",
                "every restored file against its metadata (exit 1 on any mismatch, like 'coffer verify').",
                "The secrets key file kept with the backup (secrets.key-file) may be put there first.",
                "Example: coffer restore --from /backups/coffer-2025-01-31.zip --data ./data"
            })
    static final class RestoreCommand implements Callable<Integer> {
        @Mixin
        Main.Common common = new Main.Common();

        @Spec
        CommandSpec spec;

        @Option(names = "--from", required = true, paramLabel = "FILE", description = "the backup file")
        Path from;

        @Option(
                names = "--force",
                description = "restore even into a data folder that is not empty: its "
                        + "database is replaced (stop any server on it first)")
        boolean force;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter out = spec.commandLine().getOut();
            try {
                Settings settings = common.settings(Map.of());
                Path data = settings.data();
                if (!Files.isRegularFile(from)) {
                    return fail(err, "there is no backup file " + from.toAbsolutePath());
                }
                if (!isEmpty(data, settings.secretsKeyFile())) {
                    if (!force) {
                        return fail(
                                err,
                                "the data folder " + data.toAbsolutePath() + " is not empty; restore into "
                                        + "an empty folder, or give --force to replace its database");
                    }
                    for (String f : List.of("coffer.db", "coffer.db-wal", "coffer.db-shm")) {
                        Files.deleteIfExists(data.resolve(f));
                    }
                }
                Files.createDirectories(data);
                boolean hadKey = Files.exists(settings.secretsKeyFile());
                Backup.Summary sum =
                        Backup.restore(from, data.resolve("coffer.db"), new FsBlobStore(data.resolve("store")));
                err.println("coffer: restored the database and " + sum.blobs() + " blobs (" + sum.bytes()
                        + " bytes) into " + data.toAbsolutePath() + "; verifying");
                Coffer.Services s = Coffer.services(settings);
                try {
                    // blobs left over from a forced restore are unreferenced: the server's start sweeps them
                    List<String> repos =
                            s.repositories().list().stream().map(r -> r.name()).toList();
                    int[] problems = {0};
                    long checked = s.artifacts().verify(repos, p -> {
                        problems[0]++;
                        out.println(Listing.row("MISMATCH", p.repo() + "/" + p.path(), p.what()));
                    });
                    err.println("coffer: checked " + checked + " files in " + repos.size() + " repositories, "
                            + problems[0] + " problem" + (problems[0] == 1 ? "" : "s"));
                    keyNote(err, settings, hadKey, s.repositories().unreadablePasswords());
                    return problems[0] == 0 ? SetupCommands.OK : VerifyCommand.MISMATCH;
                } finally {
                    s.credentials().close();
                    s.database().close();
                    s.blobs().close();
                }
            } catch (IllegalArgumentException e) {
                return fail(err, e.getMessage());
            } finally {
                out.flush();
                err.flush();
            }
        }

        private static int fail(PrintWriter err, String message) {
            err.println("coffer: " + Listing.text(message));
            return SetupCommands.BAD_INPUT;
        }

        /** The key file is not in a backup: say where the one kept with it must go, when it matters. */
        private static void keyNote(PrintWriter err, Settings settings, boolean hadKey, List<String> unreadable) {
            String key = settings.secretsKeyFile().toAbsolutePath().toString();
            if (!unreadable.isEmpty()) {
                err.println("coffer: note: the upstream passwords of the remote repositories " + unreadable
                        + " cannot be decrypted with the secrets key file " + key + ": copy the key file that was "
                        + "kept with the backup there (secrets.key-file) before starting the server, or set "
                        + "those passwords again");
            } else if (!hadKey) {
                err.println("coffer: note: a new secrets key file was created at " + key + " (a backup does not "
                        + "contain one)");
            }
        }

        /** Nothing in {@code dir} but, perhaps, the secrets key file kept with the backup, put there first. */
        private static boolean isEmpty(Path dir, Path keyFile) throws IOException {
            if (!Files.exists(dir)) {
                return true;
            }
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir.toAbsolutePath() + " is not a folder");
            }
            Path key = keyFile.toAbsolutePath().normalize();
            try (Stream<Path> s = Files.list(dir)) {
                return s.allMatch(p -> p.toAbsolutePath().normalize().equals(key));
            }
        }
    }
}
