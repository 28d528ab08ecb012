package dev.coffer.token;

import dev.coffer.authz.Scope;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.identity.User;
import java.time.Duration;
import java.util.Objects;

/**
 * Who may issue which access token, for whom and for how long, and how far away an access key's
 * expiry may be: one rule, called by the HTTP routes and by {@code coffer token create} alike (the
 * command line speaks as an administrator), so that neither can issue what the other refuses.
 *
 * <p>Tokens (API.md §5): a user issues only for themself, {@code applied-permissions/admin} only
 * by administrators, groups only the subject's own unless an administrator issues it, never for a
 * disabled user; {@code expires_in} defaults to {@code token.ttl}, {@code 0} (never) is for
 * administrators, others are capped at {@code token.max-lifetime}, and nobody goes beyond
 * {@link #MAX_LIFETIME}.
 */
public final class IssuingRules {
    /** The longest lifetime of any token or key (100 years): past it, "expires" means nothing. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(100L * 365);

    /** Who asks for a token: a user of the HTTP API, or an administrator ({@link #COMMAND_LINE}). */
    public record Issuer(String username, boolean admin) {
        /** Whoever can read the data folder runs the command line: an administrator. */
        public static final Issuer COMMAND_LINE = new Issuer("cli", true);

        public Issuer {
            Objects.requireNonNull(username, "username");
        }
    }

    private final Duration defaultLifetime;
    private final Duration userMaxLifetime;

    /**
     * @param defaultLifetime {@code token.ttl}: the lifetime when none is asked for
     * @param userMaxLifetime {@code token.max-lifetime}: the longest a non-administrator may ask for
     */
    public IssuingRules(Duration defaultLifetime, Duration userMaxLifetime) {
        this.defaultLifetime = min(Objects.requireNonNull(defaultLifetime, "defaultLifetime"), MAX_LIFETIME);
        this.userMaxLifetime = min(Objects.requireNonNull(userMaxLifetime, "userMaxLifetime"), MAX_LIFETIME);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Checks an access token request and answers its expiry.
     *
     * @param expiresInSeconds as asked ({@code expires_in}); null for the default, 0 for never
     * @return the expiry in epoch milliseconds, or null for a token that never expires
     * @throws CofferException 403 for what the issuer may not do, 400 naming the field for a bad value
     */
    public Long tokenExpiry(Issuer issuer, User subject, Scope scope, Long expiresInSeconds, long nowMillis) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(scope, "scope");
        if (!issuer.admin() && !subject.username().equals(issuer.username())) {
            throw denied("only administrators may issue tokens for other users");
        }
        if (subject.disabled()) {
            throw new CofferException(new Failure.Invalid("user_disabled",
                    "user '" + subject.username() + "' is disabled; no token is issued for a disabled user"));
        }
        if (scope.requestsAdmin() && !issuer.admin()) {
            throw denied("only administrators may issue applied-permissions/admin");
        }
        if (!issuer.admin() && !subject.groups().containsAll(scope.requestedGroups())) {
            throw denied("the token's groups must be groups of " + subject.username());
        }
        long seconds = expiresInSeconds == null ? defaultSeconds(issuer) : expiresInSeconds;
        if (seconds < 0 || seconds > MAX_LIFETIME.toSeconds()) {
            throw new CofferException(new Failure.Invalid("expires_in_invalid", "expires_in must be 0 (never) or a "
                    + "number of seconds up to " + MAX_LIFETIME.toSeconds() + " (100 years)"));
        }
        if (seconds == 0 && !issuer.admin()) {
            throw denied("only administrators may issue tokens that never expire");
        }
        if (!issuer.admin() && seconds > userMaxLifetime.toSeconds()) {
            throw new CofferException(new Failure.Invalid("expires_in_invalid", "expires_in may be at most "
                    + userMaxLifetime.toSeconds() + " seconds for a user who is not an administrator "
                    + "(setting token.max-lifetime)"));
        }
        return seconds == 0 ? null : nowMillis + seconds * 1000;
    }

    private long defaultSeconds(Issuer issuer) {
        return (issuer.admin() ? defaultLifetime : min(defaultLifetime, userMaxLifetime)).toSeconds();
    }

    /**
     * Checks the expiry asked for a personal access key ({@code expiresAt}): in the future and at
     * most {@link #MAX_LIFETIME} away. Null (no expiry) stays null, as API.md §4 allows keys without one.
     */
    public Long keyExpiry(Long expiresAtMillis, long nowMillis) {
        if (expiresAtMillis == null) {
            return null;
        }
        if (expiresAtMillis <= nowMillis) {
            throw new CofferException(new Failure.Invalid("body_invalid", "expiresAt is in the past"));
        }
        if (expiresAtMillis - nowMillis > MAX_LIFETIME.toMillis()) {
            throw new CofferException(new Failure.Invalid("body_invalid",
                    "expiresAt is more than 100 years away"));
        }
        return expiresAtMillis;
    }

    private static CofferException denied(String message) {
        return new CofferException(new Failure.Denied("forbidden", message));
    }
}
