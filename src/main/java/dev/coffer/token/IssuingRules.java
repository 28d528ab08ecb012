package dev.coffer.token;

import dev.coffer.authz.Scope;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.identity.User;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may issue which key or token, for whom and for how long (API.md §4, §5, §11): one rule for
 * every entry point (the HTTP routes, {@code coffer token create}, OIDC token exchange), so that
 * none can issue what another refuses. Pure: no I/O; the time is passed in.
 *
 * <ul>
 *   <li>A credential with a narrowed scope mints nothing: a key or token it made could carry more
 *       than the credential itself.
 *   <li>A user issues tokens only for themself; administrators (the command line and identity
 *       mappings too) for anyone, but never for a disabled user.
 *   <li>{@code applied-permissions/admin} only by administrators; {@code applied-permissions/groups:}
 *       only the subject's own groups unless an administrator issues it.
 *   <li>{@code expires_in} defaults to {@code token.ttl}; {@code 0} (never) is for administrators;
 *       other users are capped at {@code token.max-lifetime}, mappings at their own lifetime, and
 *       nobody goes beyond {@link #MAX_LIFETIME}. A key's {@code expiresAt} lies in the future,
 *       at most {@link #MAX_LIFETIME} away.
 * </ul>
 *
 * <p>What a token grants is decided on every request, not here: its scope ∩ its subject's rights
 * at that moment (rule 4 of §4).
 */
public final class IssuingRules {
    /** The longest lifetime of any token or key (100 years): past it, "expires" means nothing. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(100L * 365);
    /** Longest user name a request may name (user names are far shorter; this bounds lookups and messages). */
    public static final int MAX_USERNAME_CHARS = 255;

    /** What the rules answer: allowed with an expiry (epoch milliseconds, null for never), or refused. */
    public sealed interface Verdict {
        record Allowed(Long expiresAt) implements Verdict {}

        record Refused(Failure failure) implements Verdict {
            public Refused {
                Objects.requireNonNull(failure, "failure");
            }
        }

        /** The expiry of what is allowed; a refusal is thrown as its {@link CofferException}. */
        default Long expiresAtOrThrow() {
            if (this instanceof Refused r) {
                throw new CofferException(r.failure());
            }
            return ((Allowed) this).expiresAt();
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
     * The checks that come before the subject is looked up, so that a user learns nothing about
     * other accounts (not even whether they exist). Empty when the lookup may go ahead.
     */
    public Optional<Failure> mayName(Issuer issuer, String subjectName) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subjectName, "subjectName");
        if (issuer instanceof Issuer.Account a && !a.fullRights()) {
            return Optional.of(narrowed());
        }
        if (subjectName.length() > MAX_USERNAME_CHARS) {
            return Optional.of(new Failure.Invalid(
                    "body_invalid", "username is longer than " + MAX_USERNAME_CHARS + " characters"));
        }
        if (!issuer.admin()
                && !(issuer instanceof Issuer.Account a && a.username().equals(subjectName))) {
            return Optional.of(denied("only administrators may issue tokens for other users"));
        }
        return Optional.empty();
    }

    /**
     * Checks an access token request and answers its expiry.
     *
     * @param expiresInSeconds as asked ({@code expires_in}); null for the default, 0 for never
     */
    public Verdict token(Issuer issuer, User subject, Scope scope, Long expiresInSeconds, long nowMillis) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(scope, "scope");
        Optional<Failure> naming = mayName(issuer, subject.username());
        if (naming.isPresent()) {
            return new Verdict.Refused(naming.get());
        }
        if (subject.disabled()) {
            return new Verdict.Refused(new Failure.Invalid(
                    "user_disabled",
                    "user '" + subject.username() + "' is disabled; no token is issued for a disabled user"));
        }
        if (scope.requestsAdmin() && !issuer.admin()) {
            return new Verdict.Refused(denied("only administrators may issue applied-permissions/admin"));
        }
        if (!issuer.admin() && !subject.groups().containsAll(scope.requestedGroups())) {
            return new Verdict.Refused(denied("the token's groups must be groups of " + subject.username()));
        }
        return lifetime(issuer, expiresInSeconds, nowMillis);
    }

    /** How long an issuer's tokens may live; {@code whose} ends the message of a refusal past {@code longest}. */
    private record Lifetimes(Duration byDefault, Duration longest, boolean never, String whose) {}

    private Lifetimes lifetimes(Issuer issuer) {
        if (issuer instanceof Issuer.Mapping m) {
            return new Lifetimes(
                    m.lifetime(),
                    m.lifetime(),
                    false,
                    "for tokens of the identity mapping '" + m.provider() + "/" + m.name() + "' (its expires_in)");
        }
        if (issuer.admin()) {
            return new Lifetimes(defaultLifetime, MAX_LIFETIME, true, "(100 years)");
        }
        return new Lifetimes(
                min(defaultLifetime, userMaxLifetime),
                userMaxLifetime,
                false,
                "for a user who is not an administrator (setting token.max-lifetime)");
    }

    private Verdict lifetime(Issuer issuer, Long expiresInSeconds, long nowMillis) {
        Lifetimes allowed = lifetimes(issuer);
        long seconds = expiresInSeconds == null ? allowed.byDefault().toSeconds() : expiresInSeconds;
        if (seconds < 0 || seconds > MAX_LIFETIME.toSeconds()) {
            return new Verdict.Refused(new Failure.Invalid(
                    "expires_in_invalid",
                    "expires_in must be 0 (never) or a " + "number of seconds up to " + MAX_LIFETIME.toSeconds()
                            + " (100 years)"));
        }
        if (seconds == 0 && !allowed.never() && issuer instanceof Issuer.Account) {
            return new Verdict.Refused(denied("only administrators may issue tokens that never expire"));
        }
        if ((seconds == 0 && !allowed.never()) || seconds > allowed.longest().toSeconds()) {
            return new Verdict.Refused(new Failure.Invalid(
                    "expires_in_invalid",
                    "expires_in may be at most " + allowed.longest().toSeconds() + " seconds " + allowed.whose()));
        }
        return new Verdict.Allowed(seconds == 0 ? null : nowMillis + seconds * 1000);
    }

    /**
     * Checks a personal access key request ({@code expiresAt}, API.md §4): in the future and at most
     * {@link #MAX_LIFETIME} away. Null (no expiry) stays null, as §4 allows keys without one.
     */
    public Verdict key(Issuer.Account issuer, Long expiresAtMillis, long nowMillis) {
        Objects.requireNonNull(issuer, "issuer");
        if (!issuer.fullRights()) {
            return new Verdict.Refused(narrowed());
        }
        if (expiresAtMillis == null) {
            return new Verdict.Allowed(null);
        }
        if (expiresAtMillis <= nowMillis) {
            return new Verdict.Refused(new Failure.Invalid("body_invalid", "expiresAt is in the past"));
        }
        if (expiresAtMillis - nowMillis > MAX_LIFETIME.toMillis()) {
            return new Verdict.Refused(new Failure.Invalid("body_invalid", "expiresAt is more than 100 years away"));
        }
        return new Verdict.Allowed(expiresAtMillis);
    }

    private static Failure narrowed() {
        return denied("a token with a narrowed scope cannot create keys or tokens");
    }

    private static Failure denied(String message) {
        return new Failure.Denied("forbidden", message);
    }
}
