package dev.coffer.token;

import java.time.Duration;
import java.util.Objects;

/**
 * Who asks for a key or token; {@link IssuingRules} decides what each may have. A user of the HTTP
 * API is bounded by their own authority and by what the credential of their request carries; the
 * command line speaks as an administrator; an OIDC identity mapping (API.md §11) was set up by an
 * administrator and bounds the lifetime of what it issues itself.
 */
public sealed interface Issuer permits Issuer.Account, Issuer.CommandLine, Issuer.Mapping {
    /** Whoever can read the data folder runs the command line: an administrator. */
    Issuer COMMAND_LINE = new CommandLine();

    /** Acts with an administrator's authority: any subject, any group, applied-permissions/admin. */
    boolean admin();

    /** What the token records as its issuer ({@code issuedBy}). */
    String label();

    /**
     * A user of the HTTP API, as the request's credential presents them.
     *
     * @param admin an administrator whose credential carries administrator rights (a narrowly
     *     scoped token of an administrator is not one)
     * @param fullRights the credential carries all of the user's rights: a password, key, session,
     *     or a token scoped to applied-permissions/user or /admin; a narrowed token mints nothing
     */
    record Account(long userId, String username, boolean admin, boolean fullRights) implements Issuer {
        public Account {
            Objects.requireNonNull(username, "username");
        }

        @Override
        public String label() {
            return username;
        }
    }

    /** {@code coffer token create}: see {@link #COMMAND_LINE}. */
    record CommandLine() implements Issuer {
        @Override
        public boolean admin() {
            return true;
        }

        @Override
        public String label() {
            return "cli";
        }
    }

    /**
     * An OIDC identity mapping: an administrator chose its subject and scope when setting it up,
     * so it has an administrator's authority over those; what it issues lasts at most
     * {@code lifetime} (the mapping's {@code expires_in}) and never forever.
     */
    record Mapping(String provider, String name, Duration lifetime) implements Issuer {
        public Mapping {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(lifetime, "lifetime");
            if (lifetime.toSeconds() <= 0 || lifetime.compareTo(IssuingRules.MAX_LIFETIME) > 0) {
                throw new IllegalArgumentException(
                        "a mapping's lifetime lies between 1 second and 100 years: " + lifetime);
            }
        }

        @Override
        public boolean admin() {
            return true;
        }

        @Override
        public String label() {
            return "oidc:" + provider + "/" + name;
        }
    }
}
