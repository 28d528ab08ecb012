package dev.coffer.bootstrap;

import dev.coffer.config.Settings;
import dev.coffer.repository.RepositoryService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer repo create}: repositories over a data folder, without HTTP (see {@link SetupCommands}). */
final class RepoCommands {
    private RepoCommands() {}

    @Command(
            name = "repo",
            description = "Create repositories over a data folder.",
            mixinStandardHelpOptions = true,
            subcommands = {RepoCreate.class})
    static final class Repo extends CommandGroup {}

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a repository, or update the given fields of an existing one.")
    static final class RepoCreate extends DataCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "repository name")
        String name;

        @Option(names = "--description", description = "description")
        String description;

        @Option(names = "--anonymous-read", description = "anyone, even without credentials, may read it")
        boolean anonymousRead;

        @Override
        boolean createsData() {
            return true;
        }

        @Override
        int run(Settings settings, Coffer.Services s) {
            RepositoryService.Saved saved = s.repositories()
                    .put(name, new RepositoryService.Change(description, anonymousRead ? Boolean.TRUE : null));
            err().println("coffer: " + (saved.created() ? "created" : "updated") + " repository '" + name + "'"
                    + (saved.repository().anonymousRead() ? " (anonymous read)" : ""));
            if (!saved.created()) {
                err().println("coffer: note: a server running on this data folder sees changes to an existing "
                        + "repository only after it restarts; change repositories over HTTP while it runs");
            }
            return SetupCommands.OK;
        }
    }
}
