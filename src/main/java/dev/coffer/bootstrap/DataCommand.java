package dev.coffer.bootstrap;

import dev.coffer.common.CofferException;
import dev.coffer.config.Settings;
import dev.coffer.identity.User;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command over a data folder, without HTTP: opens the services of the folder around
 * {@link #run}, closes them after, and maps failures to exit codes (see {@link SetupCommands}).
 */
abstract class DataCommand implements Callable<Integer> {
    @Mixin
    Main.Common common = new Main.Common();

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    abstract int run(Settings settings, Coffer.Services s) throws Exception;

    /** Checks the arguments before the database is opened (throw {@link BadInput}). */
    void check() {}

    /** Whether this command may start a new data folder (otherwise it must hold a database already). */
    boolean createsData() {
        return false;
    }

    @Override
    public Integer call() throws Exception {
        try {
            check();
            Settings settings = common.settings(Map.of());
            if (!createsData() && !Files.isRegularFile(settings.data().resolve("coffer.db"))) {
                throw new BadInput("no Coffer data in " + settings.data().toAbsolutePath()
                        + " (start the server there once, or run 'coffer user add' first)");
            }
            Coffer.Services s = Coffer.services(settings);
            try {
                return run(settings, s);
            } finally {
                s.credentials().close();
                s.database().close();
                s.blobs().close();
            }
        } catch (BadInput | IllegalArgumentException e) {
            return fail(e.getMessage());
        } catch (CofferException e) {
            return fail(e.failure().message());
        } finally {
            out().flush();
            err().flush();
        }
    }

    int fail(String message) {
        err().println("coffer: " + Listing.text(message)); // messages quote input (a user name, a description)
        return SetupCommands.BAD_INPUT;
    }

    static User existingUser(Coffer.Services s, String username) {
        return s.users().find(username).orElseThrow(() -> new BadInput("there is no user named '" + username + "'"));
    }
}
