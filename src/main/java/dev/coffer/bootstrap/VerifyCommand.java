package dev.coffer.bootstrap;

import dev.coffer.config.Settings;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code coffer verify}: every stored file re-hashed against its metadata (exit 1 on any mismatch). */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Re-hash every stored file and compare it with its metadata; exit 1 when any differs.")
final class VerifyCommand extends DataCommand {
    static final int MISMATCH = 1;

    @Override
    int run(Settings settings, Coffer.Services s) {
        List<String> repos = s.repositories().list().stream().map(r -> r.name()).toList();
        int[] problems = {0};
        long checked = s.artifacts().verify(repos, p -> {
            problems[0]++;
            out().println(Listing.row("MISMATCH", p.repo() + "/" + p.path(), p.what()));
        });
        err().println("coffer: checked " + checked + " files in " + repos.size() + " repositories, " + problems[0]
                + " problem" + (problems[0] == 1 ? "" : "s"));
        return problems[0] == 0 ? SetupCommands.OK : MISMATCH;
    }
}
