package dev.coffer.token;

import dev.coffer.authz.Scope;
import dev.coffer.authz.ScopeException;
import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.common.Redaction;
import dev.coffer.common.TerminalText;
import dev.coffer.identity.User;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues personal access keys and access tokens, and trades refresh tokens, under
 * {@link IssuingRules}: the one way in for the HTTP routes, {@code coffer token create} and (later)
 * OIDC token exchange, so that none of them can issue what another refuses. Every time decision
 * (expiry, lifetime, a refreshed pair's new expiry) is taken on the injected {@link Clock}.
 *
 * <p>Refusals are thrown as {@link CofferException}: 403 for what the issuer may not do, 400 naming
 * the field for a bad value; nothing is stored then.
 */
public final class CredentialIssuer {
    /** Longest description of a key or token, in characters. */
    public static final int MAX_DESCRIPTION = 1024;

    private final IssuingRules rules;
    private final CredentialService credentials;
    private final Subjects subjects;
    private final Clock clock;

    public CredentialIssuer(IssuingRules rules, CredentialService credentials, Subjects subjects, Clock clock) {
        this.rules = Objects.requireNonNull(rules);
        this.credentials = Objects.requireNonNull(credentials);
        this.subjects = Objects.requireNonNull(subjects);
        this.clock = Objects.requireNonNull(clock);
    }

    /** An access token for the request's subject; the only moment its secret exists in clear. */
    public CredentialService.Issued token(TokenRequest request) {
        String name = request.subjectName();
        if (name == null) {
            throw CofferException.invalid("body_invalid", "username: name the user the token is for");
        }
        // before the lookup: whether another user exists is not a non-admin's business
        Optional<Failure> naming = rules.mayName(request.issuer(), name);
        if (naming.isPresent()) {
            throw new CofferException(naming.get());
        }
        User subject = subjects.byName(name)
                .orElseThrow(() -> CofferException.invalid("user_unknown", "there is no user named '" + name + "'"));
        Scope scope = scope(request.scope());
        long now = clock.millis();
        Long expiresAt = rules.token(request.issuer(), subject, scope, request.expiresInSeconds(), now)
                .expiresAtOrThrow();
        checkDescription(request.description());
        if (Redaction.containsSecret(scope.toString())) {
            // a repository or group named like a secret would put the secret in the stored scope
            throw CofferException.invalid("scope_invalid", "scope: it holds what looks like an access key or token");
        }
        String secret = Secrets.generate(SecretKind.ACCESS_TOKEN);
        String refresh = request.refreshable() ? Secrets.generate(SecretKind.REFRESH_TOKEN) : null;
        StoredCredential c = new StoredCredential(
                SecretKind.ACCESS_TOKEN,
                UUID.randomUUID().toString(),
                subject.id(),
                Secrets.hash(secret),
                refresh == null ? null : Secrets.hash(refresh),
                scope.toString(),
                orEmpty(request.description()),
                request.issuer().label(),
                now,
                expiresAt,
                null,
                null);
        credentials.insert(c);
        return new CredentialService.Issued(c, secret, refresh);
    }

    /** A personal access key of the issuing account; the only moment its secret exists in clear. */
    public CredentialService.Issued key(KeyRequest request) {
        long now = clock.millis();
        Long expiresAt =
                rules.key(request.issuer(), request.expiresAtMillis(), now).expiresAtOrThrow();
        checkDescription(request.description());
        String secret = Secrets.generate(SecretKind.ACCESS_KEY);
        StoredCredential c = new StoredCredential(
                SecretKind.ACCESS_KEY,
                Secrets.id(),
                request.issuer().userId(),
                Secrets.hash(secret),
                null,
                Scope.USER.toString(),
                orEmpty(request.description()),
                null,
                now,
                expiresAt,
                null,
                null);
        credentials.insert(c);
        return new CredentialService.Issued(c, secret, null);
    }

    /**
     * The refresh grant: a new pair with the same subject, scope, description and lifetime (counted
     * from now); the old pair stops working at once. Refused when the refresh token is malformed,
     * unknown or already used, or when its owner is now disabled or gone (then the old pair ends too).
     */
    public Refresh refresh(String refreshSecret) {
        String given = refreshSecret == null ? null : refreshSecret.trim();
        if (given == null || Secrets.verifyFormat(given).orElse(null) != SecretKind.REFRESH_TOKEN) {
            return new Refresh.Refused(null, "malformed or mistyped refresh token");
        }
        Optional<StoredCredential> found = credentials.findByRefreshHash(Secrets.hash(given));
        if (found.isEmpty()) {
            return new Refresh.Refused(null, "unknown or already used refresh token");
        }
        StoredCredential old = found.get();
        Optional<User> owner = subjects.byId(old.userId());
        if (owner.isEmpty() || owner.get().disabled()) {
            credentials.revoke(SecretKind.ACCESS_TOKEN, old.id());
            return new Refresh.Refused(
                    owner.map(User::username).orElse(null), "the owner of this token is disabled or gone");
        }
        long now = clock.millis();
        Long expiresAt = old.expiresAt() == null ? null : now + (old.expiresAt() - old.createdAt());
        String secret = Secrets.generate(SecretKind.ACCESS_TOKEN);
        String refresh = Secrets.generate(SecretKind.REFRESH_TOKEN);
        StoredCredential renewed = new StoredCredential(
                SecretKind.ACCESS_TOKEN,
                UUID.randomUUID().toString(),
                old.userId(),
                Secrets.hash(secret),
                Secrets.hash(refresh),
                old.scope(),
                old.description(),
                old.issuedBy(),
                now,
                expiresAt,
                null,
                null);
        if (!credentials.replace(old, renewed)) {
            return new Refresh.Refused(null, "unknown or already used refresh token"); // a concurrent refresh won
        }
        return new Refresh.Renewed(new CredentialService.Issued(renewed, secret, refresh), owner.get());
    }

    /** The scope asked for (null: applied-permissions/user); 400 scope_invalid naming the offending part. */
    static Scope scope(String text) {
        if (text == null) {
            return Scope.USER;
        }
        try {
            return Scope.parse(text);
        } catch (ScopeException e) {
            throw CofferException.invalid("scope_invalid", e.getMessage());
        }
    }

    private static String orEmpty(String description) {
        return description == null ? "" : description;
    }

    /**
     * A description is shown in listings, also in a terminal (coffer token list) and in the web UI:
     * no control characters, and no secret (the very thing listings never show). 400 naming the
     * field; nothing is stored.
     */
    static void checkDescription(String description) {
        if (description == null) {
            return;
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw CofferException.invalid(
                    "description_invalid", "description: at most " + MAX_DESCRIPTION + " characters");
        }
        int bad = TerminalText.firstUnsafe(description);
        if (bad >= 0) {
            throw CofferException.invalid(
                    "description_invalid",
                    "description: control characters such as "
                            + TerminalText.name(bad)
                            + " are not allowed (tabs and line breaks neither); it is shown in listings");
        }
        if (Redaction.containsSecret(description)) {
            throw CofferException.invalid(
                    "description_invalid",
                    "description: it holds what looks like an access key or token; leave the secret out");
        }
    }
}
