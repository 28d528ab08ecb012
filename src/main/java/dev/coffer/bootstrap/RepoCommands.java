package dev.coffer.bootstrap;

import dev.coffer.config.Settings;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import java.util.List;
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
            description = {
                "Create a repository, or update the given fields of an existing one (the rules of",
                "PUT /api/repositories/{repo} apply; package type and class are fixed at creation).",
                "Example: coffer repo create central --package-type maven --class remote "
                        + "--url https://repo1.maven.org/maven2",
                "Example: coffer repo create maven --package-type maven --class virtual --member libs "
                        + "--member central --default-deploy-repo libs"
            })
    static final class RepoCreate extends DataCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "repository name")
        String name;

        @Option(names = "--description", description = "description")
        String description;

        @Option(names = "--anonymous-read", description = "anyone, even without credentials, may read it")
        boolean anonymousRead;

        @Option(
                names = "--package-type",
                paramLabel = "TYPE",
                description = "generic (the default) or maven; fixed at creation")
        String packageType;

        @Option(
                names = "--class",
                paramLabel = "CLASS",
                description = "local (the default), remote (a caching proxy of --url) or virtual (one address over "
                        + "the --member repositories); fixed at creation")
        String rclass;

        @Option(
                names = "--url",
                paramLabel = "URL",
                description = "remote: the upstream's base URL (http or https, without user, query or fragment)")
        String url;

        @Option(names = "--username", paramLabel = "USER", description = "remote: the upstream's user name")
        String username;

        @Option(
                names = "--password-env",
                paramLabel = "VAR",
                description = "remote: read the upstream's password from the environment variable VAR (it is stored "
                        + "encrypted and never shown); a password is never taken on the command line")
        String passwordEnv;

        /** Refused: a command line is visible to other users and stays in the shell's history. */
        @Option(names = "--password", hidden = true)
        String passwordOnCommandLine;

        @Option(
                names = "--cache-seconds",
                paramLabel = "N",
                description = "remote: seconds before cached metadata is revalidated (default 600)")
        Long cacheSeconds;

        @Option(
                names = "--offline",
                negatable = true,
                description = "remote: serve only what is cached, never ask the upstream (--no-offline: ask again)")
        Boolean offline;

        @Option(
                names = "--member",
                paramLabel = "REPO",
                description = "virtual: a member repository, asked in the order given (repeat it); replaces the "
                        + "member list")
        List<String> members;

        @Option(
                names = "--default-deploy-repo",
                paramLabel = "REPO",
                description = "virtual: the local member that receives deploys")
        String defaultDeployRepo;

        @Option(
                names = "--include",
                paramLabel = "PATTERN",
                description = "paths a virtual repository asks this one for, or a remote fetches (repeat it; "
                        + "default **); replaces the list")
        List<String> includes;

        @Option(
                names = "--exclude",
                paramLabel = "PATTERN",
                description = "paths excluded from those (repeat it); replaces the list")
        List<String> excludes;

        @Override
        boolean createsData() {
            return true;
        }

        @Override
        void check() {
            if (passwordOnCommandLine != null) {
                // the value is not repeated: it is a password
                throw new BadInput("the upstream password is not taken on the command line, where other users see "
                        + "it in the process list and it stays in the shell's history; put it into an environment "
                        + "variable and give that variable's name with --password-env VAR");
            }
        }

        private String password() {
            if (passwordEnv == null) {
                return null;
            }
            String v = System.getenv(passwordEnv);
            if (v == null || v.isEmpty()) {
                throw new BadInput("the environment variable '" + passwordEnv + "' (--password-env) is "
                        + (v == null ? "not set" : "empty"));
            }
            return v;
        }

        @Override
        int run(Settings settings, Coffer.Services s) {
            RepositoryService.Change change = RepositoryService.Change.builder()
                    .description(description)
                    .anonymousRead(anonymousRead ? Boolean.TRUE : null)
                    .packageType(packageType)
                    .rclass(rclass)
                    .url(url)
                    .username(username)
                    .password(password())
                    .cacheSeconds(cacheSeconds)
                    .offline(offline)
                    .members(members)
                    .defaultDeployRepo(defaultDeployRepo)
                    .includePatterns(includes)
                    .excludePatterns(excludes)
                    .build();
            RepositoryService.Saved saved = s.repositories().put(name, change);
            Repository r = saved.repository();
            err().println("coffer: " + (saved.created() ? "created" : "updated") + " "
                    + r.rclass().json() + " "
                    + r.packageType().json() + " repository '" + name + "'"
                    + (r.anonymousRead() ? " (anonymous read)" : ""));
            if (!saved.created()) {
                err().println("coffer: note: a server running on this data folder sees changes to an existing "
                        + "repository only after it restarts; change repositories over HTTP while it runs");
            }
            return SetupCommands.OK;
        }
    }
}
