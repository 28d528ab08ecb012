package dev.coffer.bootstrap;

import dev.coffer.authz.Scope;
import dev.coffer.config.Settings;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import dev.coffer.token.CredentialService;
import dev.coffer.token.Issuer;
import dev.coffer.token.SecretKind;
import dev.coffer.token.StoredCredential;
import dev.coffer.token.TokenRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Scripted set-up over a data folder, without HTTP: {@code coffer token create|list|revoke} and
 * {@code coffer user add} here, {@code coffer repo create} in {@link RepoCommands}, what every such
 * command does around its work in {@link DataCommand}. They open the same database as the server
 * and may run while a server uses the folder (SQLite in WAL mode); things they create are seen by
 * the running server at once, because its caches look unknown names and secrets up in the
 * database.
 *
 * <p>Standard output carries only what a script captures (a secret, a listing); messages go to
 * standard error. Exit codes: 0 done, 2 bad input, 1 anything unexpected.
 */
final class SetupCommands {
    static final int OK = 0;
    static final int BAD_INPUT = 2;

    private SetupCommands() {}

    // ---- coffer token

    @Command(
            name = "token",
            description = "Create, list or revoke access tokens over a data folder.",
            mixinStandardHelpOptions = true,
            subcommands = {TokenCreate.class, TokenList.class, TokenRevoke.class})
    static final class Token extends CommandGroup {}

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Issue an access token and print it (only it) on standard output;",
                "with --refreshable the refresh token follows on a second line.",
                "Example: TOKEN=$(coffer token create --user admin --scope applied-permissions/admin --data DIR)"
            })
    static final class TokenCreate extends DataCommand {
        @Option(names = "--user", required = true, description = "the subject (an existing user)")
        String user;

        @Option(
                names = "--scope",
                defaultValue = "applied-permissions/user",
                description = "scope, default ${DEFAULT-VALUE}; several scopes separated by spaces")
        String scope;

        @Option(
                names = "--expires-in",
                paramLabel = "SECONDS",
                description = "lifetime in seconds; 0 = never; default the token.ttl setting (COFFER_TOKEN_TTL)")
        Long expiresIn;

        @Option(names = "--description", description = "shown in token listings")
        String description;

        @Option(names = "--refreshable", description = "also issue a refresh token")
        boolean refreshable;

        @Override
        int run(Settings settings, Coffer.Services s) {
            // The CLI speaks for whoever can read the data folder, i.e. an administrator, and is held
            // to the rules an administrator is held to over HTTP (the same CredentialIssuer decides);
            // the token still never grants more than the subject has (rule 4 of §4).
            CredentialService.Issued issued = s.issuing()
                    .token(new TokenRequest(Issuer.COMMAND_LINE, user, scope, expiresIn, refreshable, description));
            String issuedScope = issued.stored().scope();
            if (Scope.parse(issuedScope).requestsAdmin()
                    && !existingUser(s, user).admin()) {
                err().println("coffer: note: '" + user + "' is not an administrator, so applied-permissions/admin "
                        + "grants nothing beyond the user's own rights");
            }
            Long expiresAt = issued.stored().expiresAt();
            out().println(issued.secret());
            if (issued.refreshSecret() != null) {
                out().println(issued.refreshSecret());
            }
            err().println("coffer: created access token " + issued.stored().id() + " for '" + user + "' (scope "
                    + issuedScope + ", "
                    + (expiresAt == null ? "never expires" : "expires " + Instant.ofEpochMilli(expiresAt))
                    + "); it is shown only this once");
            return OK;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List access tokens, tab-separated: id, subject, scope, expiry, description (never secrets).")
    static final class TokenList extends DataCommand {
        @Option(names = "--user", description = "only this user's tokens")
        String user;

        @Override
        int run(Settings settings, Coffer.Services s) {
            Long userId = user == null ? null : existingUser(s, user).id();
            List<StoredCredential> tokens = s.credentials().list(SecretKind.ACCESS_TOKEN, userId);
            for (StoredCredential t : tokens) {
                String subject =
                        s.users().findById(t.userId()).map(User::username).orElse("#" + t.userId());
                String expiry = t.expiresAt() == null
                        ? "never"
                        : Instant.ofEpochMilli(t.expiresAt()).toString();
                out().println(Listing.row(t.id(), subject, t.scope(), expiry, t.description()));
            }
            return OK;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = {
                "Revoke an access token by id (see 'coffer token list').",
                "A server running on the same data folder may keep accepting a token it has already",
                "seen until it restarts; to revoke while it runs, use DELETE /access/api/v1/tokens/{id}."
            })
    static final class TokenRevoke extends DataCommand {
        @Option(names = "--id", required = true, description = "the token id")
        String id;

        @Override
        int run(Settings settings, Coffer.Services s) {
            if (!s.credentials().revoke(SecretKind.ACCESS_TOKEN, id)) {
                return fail("there is no access token with id '" + id + "'");
            }
            err().println("coffer: revoked access token " + id + " (a server running on this data folder may honour "
                    + "it until it restarts; revoke over HTTP to end it there at once)");
            return OK;
        }
    }

    // ---- coffer user

    @Command(
            name = "user",
            description = "Add or update users over a data folder.",
            mixinStandardHelpOptions = true,
            subcommands = {UserAdd.class})
    static final class Users extends CommandGroup {}

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Create a user, or update the given fields of an existing one.",
                "A new user without --password or --password-stdin gets a generated password,",
                "printed once (alone) on standard output."
            })
    static final class UserAdd extends DataCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "user name")
        String name;

        @Option(names = "--password", description = "password (visible in the process list; prefer --password-stdin)")
        String password;

        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean passwordStdin;

        @Option(names = "--admin", description = "make the user an administrator")
        boolean admin;

        @Option(names = "--email", description = "e-mail address")
        String email;

        @Option(
                names = "--group",
                paramLabel = "GROUP",
                description = "member of this (existing) group; repeatable; " + "replaces the user's groups")
        List<String> groups;

        @Override
        boolean createsData() {
            return true;
        }

        @Override
        void check() {
            if (password != null && passwordStdin) {
                throw new BadInput("give --password or --password-stdin, not both");
            }
        }

        @Override
        int run(Settings settings, Coffer.Services s) throws IOException {
            String pw = password;
            if (passwordStdin) {
                pw = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (pw == null || pw.isEmpty()) {
                    return fail("--password-stdin: no password on standard input");
                }
            }
            Optional<User> current = s.users().find(name);
            boolean generated = false;
            if (pw == null && current.isEmpty()) {
                pw = Coffer.randomPassword(settings.passwordMinLength());
                generated = true;
            }
            UserService.Saved saved = s.users()
                    .put(name, new UserService.UserChange(pw, email, admin ? Boolean.TRUE : null, groups, null));
            if (generated) {
                out().println(pw);
            }
            err().println("coffer: " + (saved.created() ? "created" : "updated") + " user '" + name + "'"
                    + (saved.user().admin() ? " (administrator)" : "")
                    + (generated ? " with a generated password, printed on standard output only this once" : ""));
            if (!saved.created()) {
                err().println("coffer: note: a server running on this data folder sees changes to an existing user "
                        + "only after it restarts; change users over HTTP while it runs");
            }
            return OK;
        }
    }
}
