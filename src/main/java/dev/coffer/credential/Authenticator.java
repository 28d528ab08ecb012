package dev.coffer.credential;

import dev.coffer.authz.Principal;
import dev.coffer.authz.Scope;
import dev.coffer.common.Failure;
import dev.coffer.common.Redaction;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import dev.coffer.token.CredentialService;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import dev.coffer.token.StoredCredential;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns the credential headers of a request into a {@link Caller} (API.md §4). No credentials
 * means the anonymous caller; credentials that do not check out are rejected and never fall back
 * to anonymous; two different credentials in one request are ambiguous.
 */
public final class Authenticator {
    /**
     * What one header claims, read for its kind only: the kind, its secret and (for Basic and
     * sessions) the user it names; or, in {@code problem}, why it cannot be a credential, which
     * counts only once the claims have been compared (a kind may still be known: null if not).
     */
    private record Claim(AuthMethod kind, String secret, String username, String userId, Failure problem) {
        Claim(AuthMethod kind, String secret, String username, String userId) {
            this(kind, secret, username, userId, null);
        }

        /** One credential sent twice (a key as X-Auth-AccessKey and as Bearer) is still one. */
        boolean sameAs(Claim other) {
            return problem == null
                    && other.problem == null
                    && kind == other.kind
                    && secret.equals(other.secret)
                    && Objects.equals(username, other.username);
        }
    }

    private final PasswordAuthenticator passwords;
    private final CredentialService credentials;
    private final UserService users;
    private final LoginThrottle throttle;
    /** Parsed scopes by their text (a token's scope is parsed once, not per request); bounded. */
    private final com.github.benmanes.caffeine.cache.Cache<String, Scope> parsedScopes =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                    .maximumSize(10_000)
                    .executor(Runnable::run)
                    .build();

    public Authenticator(
            PasswordAuthenticator passwords, CredentialService credentials, UserService users, LoginThrottle throttle) {
        this.passwords = Objects.requireNonNull(passwords);
        this.credentials = Objects.requireNonNull(credentials);
        this.users = Objects.requireNonNull(users);
        this.throttle = Objects.requireNonNull(throttle);
    }

    /**
     * In this order, so that what a request means never depends on which of its credentials is
     * looked at first: a credential header sent twice, then no credentials at all, then the kinds
     * the headers claim (read from the headers alone: scheme, prefix, Basic's user name) compared
     * — two different ones are ambiguous (400) before either is validated —, and only then the one
     * credential is checked.
     */
    public AuthResult authenticate(PresentedCredentials pc) {
        // before anything is validated: which copy would a proxy or a log have read?
        if (pc.repeated() != null) {
            return new AuthResult.Rejected(new Failure.Invalid(
                    "credentials_ambiguous",
                    "the request carries the " + pc.repeated() + " header more than once; send it once"));
        }
        if (pc.isEmpty()) {
            return new AuthResult.Accepted(Caller.ANONYMOUS);
        }
        List<Claim> claims = claims(pc);
        Claim first = claims.get(0);
        for (int i = 1; i < claims.size(); i++) {
            if (!claims.get(i).sameAs(first)) {
                return new AuthResult.Rejected(new Failure.Invalid(
                        "credentials_ambiguous", "the request carries more than one credential; send exactly one"));
            }
        }
        if (first.problem() != null) {
            return new AuthResult.Rejected(first.problem(), first.kind(), null);
        }
        return first.kind() == AuthMethod.PASSWORD
                ? password(first, pc.clientAddress())
                : secret(first, pc.clientAddress());
    }

    /** One claim per credential header present (the X-Auth-Token pair is one); none is validated. */
    private static List<Claim> claims(PresentedCredentials pc) {
        List<Claim> claims = new ArrayList<>(2);
        if (pc.authorization() != null) {
            claims.add(fromAuthorization(pc.authorization()));
        }
        if (pc.accessKey() != null) {
            claims.add(new Claim(AuthMethod.ACCESS_KEY, pc.accessKey().trim(), null, null));
        }
        if (pc.circleToken() != null) {
            claims.add(secretClaim(pc.circleToken().trim(), null));
        }
        if (pc.authToken() != null || pc.authUserId() != null) {
            claims.add(
                    pc.authToken() == null || pc.authUserId() == null
                            ? refused(AuthMethod.SESSION_TOKEN, "X-Auth-Token and X-Auth-UserId must be sent together")
                            : new Claim(
                                    AuthMethod.SESSION_TOKEN,
                                    pc.authToken().trim(),
                                    null,
                                    pc.authUserId().trim()));
        }
        return claims;
    }

    private static Claim refused(AuthMethod kind, String message) {
        return new Claim(kind, null, null, null, new Failure.Unauthenticated("credentials_invalid", message));
    }

    private static Claim fromAuthorization(String header) {
        String auth = header.trim();
        int sp = auth.indexOf(' ');
        String scheme = sp < 0 ? auth : auth.substring(0, sp);
        String value = sp < 0 ? "" : auth.substring(sp + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return secretClaim(value, null);
        }
        if (!scheme.equalsIgnoreCase("Basic")) {
            return refused(null, "unsupported Authorization scheme; use Basic or Bearer");
        }
        Optional<String[]> pair = decodeBasic(value);
        if (pair.isEmpty()) {
            return refused(null, "malformed Basic credentials");
        }
        String user = pair.get()[0];
        String password = pair.get()[1];
        // A user name shaped like a secret is one (no user may be named so): it is never looked up,
        // counted as a failed login or stored, only refused, unless sent as API.md §4 allows it.
        if (Redaction.secretShaped(user)) {
            if (password.isEmpty() && Secrets.looksLikeSecret(user)) {
                return secretClaim(user, null); // curl -u TOKEN:
            }
            return refused(secretKind(user), SECRET_AS_USERNAME);
        }
        if (Secrets.looksLikeSecret(password)) {
            return secretClaim(password, user); // Maven's settings.xml: username + key or token
        }
        if (password.isEmpty()) {
            // no password is empty, so this can never succeed: refused without counting it, which
            // also keeps a password sent as the user name (curl -u "$PASSWORD:") out of the lockout table
            return refused(
                    AuthMethod.PASSWORD,
                    "the password is empty; send the password after the user name, or a key or token");
        }
        return new Claim(AuthMethod.PASSWORD, password, user, null);
    }

    private static final String SECRET_AS_USERNAME =
            "the user name is an access key or token, which is no user's name; "
                    + "send it alone with an empty password (curl -u TOKEN:), or as the password with its owner's user name";

    /** Keys and access tokens are told apart by their prefix. */
    private static Claim secretClaim(String secret, String username) {
        AuthMethod kind = secretKind(secret);
        return kind == null
                ? refused(null, "not a valid access key or access token")
                : new Claim(kind, secret, username, null);
    }

    /** Access key or access token, by the value's prefix alone; null for anything else. */
    private static AuthMethod secretKind(String value) {
        Optional<SecretKind> kind = Secrets.prefixKind(value.trim());
        if (kind.isPresent() && kind.get() == SecretKind.ACCESS_KEY) {
            return AuthMethod.ACCESS_KEY;
        }
        if (kind.isPresent() && kind.get() == SecretKind.ACCESS_TOKEN) {
            return AuthMethod.ACCESS_TOKEN;
        }
        return null;
    }

    /** A password login outside the Authorization header (POST /api/tokens), with the same lockout. */
    public AuthResult login(String username, String password, String address) {
        if (Redaction.secretShaped(username)) {
            // as in a Basic header: never looked up, counted or stored
            return invalid("the user name is an access key or token, which is no user's name; log in with your "
                    + "user name and password, or send the key or token in an Authorization header");
        }
        return password(new Claim(AuthMethod.PASSWORD, password, username, null), address);
    }

    private AuthResult password(Claim c, String address) {
        String username = c.username();
        OptionalLong locked = throttle.lockedFor(username, address);
        if (locked.isPresent()) {
            return new AuthResult.Rejected(
                    LoginThrottle.locked(locked.getAsLong()), AuthMethod.PASSWORD, known(username));
        }
        // the attempt is counted (and a lock placed) inside, before and after the hash
        PasswordAuthenticator.Verdict verdict = passwords.verify(username, c.secret(), address);
        if (verdict instanceof PasswordAuthenticator.Verified ok) {
            return new AuthResult.Accepted(new Caller(principal(ok.user(), Scope.USER), AuthMethod.PASSWORD, null));
        }
        // the audit's user name is looked up only for a refusal: an accepted request needs none
        if (verdict instanceof PasswordAuthenticator.Refused refused) {
            return new AuthResult.Rejected(refused.failure(), AuthMethod.PASSWORD, known(username));
        }
        return invalid("wrong username or password, or the account is disabled", AuthMethod.PASSWORD, known(username));
    }

    /**
     * The user name a rejected credential named, for the audit record, when an account has it:
     * what someone types into the user name field of a failed login may be their password.
     */
    private String known(String username) {
        if (username == null || Redaction.secretShaped(username) || !UserService.isValidName(username)) {
            return null;
        }
        return users.find(username).isPresent() ? username : null;
    }

    private AuthResult secret(Claim c, String address) {
        SecretKind expected = switch (c.kind()) {
            case ACCESS_KEY -> SecretKind.ACCESS_KEY;
            case ACCESS_TOKEN -> SecretKind.ACCESS_TOKEN;
            default -> SecretKind.SESSION_TOKEN;
        };
        // format and checksum first: a mistyped secret never reaches the database
        AuthMethod kind = c.kind();
        if (Secrets.verifyFormat(c.secret()).orElse(null) != expected) {
            return invalid("malformed or mistyped " + kind.words(), kind, known(c.username()));
        }
        Optional<StoredCredential> stored = credentials.resolve(expected, c.secret());
        if (stored.isEmpty()) {
            return invalid("unknown, expired or revoked " + kind.words(), kind, known(c.username()));
        }
        StoredCredential s = stored.get();
        Optional<User> owner = users.findById(s.userId());
        if (owner.isEmpty() || owner.get().disabled()) {
            return invalid("the owner of this " + kind.words() + " is disabled or gone", kind, known(c.username()));
        }
        User u = owner.get();
        if (c.username() != null && !c.username().equals(u.username())) {
            return invalid(
                    "this " + kind.words() + " does not belong to '" + c.username() + "'", kind, known(c.username()));
        }
        if (c.userId() != null && !c.userId().equals(String.valueOf(u.id()))) {
            return invalid("X-Auth-UserId does not match the session token", kind, u.username());
        }
        credentials.recordUse(s, address);
        Scope scope;
        try {
            scope = parsedScopes.get(s.scope(), Scope::parse);
        } catch (dev.coffer.authz.ScopeException e) {
            // stored before today's bounds on scopes: refused like any credential that is no longer valid
            return invalid(
                    "this " + kind.words() + " has a scope that is no longer accepted; issue a new one",
                    kind,
                    u.username());
        }
        return new AuthResult.Accepted(new Caller(principal(u, scope), kind, s.id()));
    }

    static Principal.User principal(User u, Scope scope) {
        return new Principal.User(u.id(), u.username(), u.admin(), u.groups(), scope);
    }

    /** Strict base64 of "user:password"; empty for anything malformed. */
    static Optional<String[]> decodeBasic(String value) {
        try {
            byte[] raw = Base64.getDecoder().decode(value);
            String s = ascii(raw)
                    ? new String(raw, StandardCharsets.ISO_8859_1) // the usual pair: no decoder to set up
                    : StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(raw))
                            .toString();
            int colon = s.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new String[] {s.substring(0, colon), s.substring(colon + 1)});
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean ascii(byte[] raw) {
        for (byte b : raw) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static AuthResult invalid(String message) {
        return new AuthResult.Rejected(new Failure.Unauthenticated("credentials_invalid", message));
    }

    private static AuthResult invalid(String message, AuthMethod kind, String username) {
        // the user name goes to the audit record: never one that looks like a secret
        return new AuthResult.Rejected(
                new Failure.Unauthenticated("credentials_invalid", message),
                kind,
                Redaction.secretShaped(username) ? null : username);
    }
}
