package dev.coffer.bootstrap;

import dev.coffer.common.CofferException;
import dev.coffer.common.Redaction;
import dev.coffer.config.Backends;
import dev.coffer.config.Settings;
import dev.coffer.persistence.MetadataCopy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code coffer migrate}: see {@link Migration}. Exit codes: 0 copied and verified, 1 the check failed, 2 refused. */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = {
            "Copy an embedded instance (the database and every stored file of a data folder) into",
            "PostgreSQL and S3 (or a file store), as set in a config file, then verify the copy.",
            "Ids, password hashes, keys and tokens are kept, so every credential keeps working.",
            "The target database must be new and empty; the source is only read. Stop the server on",
            "the source first: what it writes after the start of the copy is not migrated.",
            "The config file is read as 'coffer serve --config FILE' reads it (COFFER_* environment",
            "variables override it).",
            "Example: coffer migrate --from ./data --to /etc/coffer/coffer.properties"
        })
final class MigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "DIR",
            description = "the data folder of the embedded instance")
    Path from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "FILE",
            description = "config file of the target (database.url, storage=s3, s3.* ...)")
    Path to;

    @Option(
            names = "--from-key-file",
            paramLabel = "FILE",
            description = "the source's secrets key file (default: DIR/secrets.key); copied to the target's "
                    + "secrets.key-file when that does not exist yet")
    Path fromKeyFile;

    @Option(
            names = "--verify-content",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "re-read and re-hash every blob from the target after the copy (default: on; "
                    + "--no-verify-content only checks that each blob is there with the right size)")
    boolean verifyContent;

    /** Anything that must never reach the terminal, once the target settings are known. */
    private final List<String> secrets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (!Files.isRegularFile(to)) {
                return fail(err, "there is no config file " + to.toAbsolutePath(), SetupCommands.BAD_INPUT);
            }
            Map<String, String> env = System.getenv();
            Settings settings = Settings.load(Map.of(), env, to);
            secrets.add(settings.backends().database().password());
            secrets.add(settings.backends().storage().secretKey());
            Migration.Summary sum = new Migration(
                            from,
                            fromKeyFile,
                            tmp -> Settings.load(tmp == null ? Map.of() : Map.of("data", tmp.toString()), env, to),
                            verifyContent,
                            err)
                    .run();
            report(settings, sum, out, err);
            return sum.problems().isEmpty() ? SetupCommands.OK : VerifyCommand.MISMATCH;
        } catch (Migration.Refused | IllegalArgumentException e) {
            return fail(err, e.getMessage(), SetupCommands.BAD_INPUT);
        } catch (CofferException e) {
            return fail(err, e.failure().message() + causeOf(e), 1);
        } catch (IllegalStateException | java.sql.SQLException | java.io.IOException e) {
            // PostgreSQL or S3 unreachable, a row the target refuses: one line, no stack trace
            return fail(err, e.getMessage(), 1);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private void report(Settings settings, Migration.Summary sum, PrintWriter out, PrintWriter err) {
        Backends.StorageSettings st = settings.backends().storage();
        String storage = st.kind() == Backends.StorageKind.S3
                ? "S3 bucket '" + st.bucket() + "'" + (st.endpoint().isEmpty() ? "" : " at " + st.endpoint())
                : "the file store in " + settings.data().toAbsolutePath().resolve("store");
        err.println("coffer: migrated " + from.toAbsolutePath() + " into PostgreSQL "
                + settings.backends().database().safeUrl() + " and " + storage);
        for (MetadataCopy.TableState t : sum.tables()) {
            err.println(String.format("coffer:   %-20s %10d rows", t.table(), t.rows()));
        }
        err.println("coffer: blobs: " + sum.blobsCopied() + " copied (" + sum.bytesCopied() + " bytes), "
                + sum.blobsSkipped() + " already there; " + sum.blobsVerified() + " checked in the target"
                + (sum.contentVerified() ? " (content re-hashed)" : " (presence and size only)"));
        for (String p : sum.problems()) {
            out.println(Listing.row("MISMATCH", clean(p)));
        }
        if (sum.problems().isEmpty()) {
            err.println("coffer: verified: every table has the same rows as the source and every file's blob is in "
                    + "the target; start the server with --config " + to);
        } else {
            err.println("coffer: verification FAILED with " + sum.problems().size() + " problem"
                    + (sum.problems().size() == 1 ? "" : "s") + " (listed on standard output); do not use the "
                    + "target: drop and re-create its database, then run migrate again");
        }
    }

    private static String causeOf(CofferException e) {
        return e.getCause() == null || e.getCause().getMessage() == null
                ? ""
                : ": " + e.getCause().getMessage();
    }

    private int fail(PrintWriter err, String message, int code) {
        err.println("coffer: "
                + Listing.text(clean(String.valueOf(message).lines().findFirst().orElse(""))));
        return code;
    }

    /** Masks the target's secrets and anything shaped like a Coffer secret. */
    private String clean(String message) {
        String m = message;
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                m = m.replace(s, "***");
            }
        }
        return Redaction.secrets(m);
    }
}
