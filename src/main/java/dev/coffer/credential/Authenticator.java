package dev.coffer.credential;

import dev.coffer.authz.Principal;
import dev.coffer.authz.Scope;
import dev.coffer.common.Failure;
import dev.coffer.identity.User;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns the credential headers of a request into a {@link Caller}. No credentials means the
 * anonymous caller; credentials that do not check out are rejected and never fall back to
 * anonymous (API.md §4 rules 1-2).
 */
public final class Authenticator {
    private final PasswordAuthenticator passwords;

    public Authenticator(PasswordAuthenticator passwords) {
        this.passwords = Objects.requireNonNull(passwords);
    }

    public AuthResult authenticate(PresentedCredentials pc) {
        if (pc.isEmpty()) {
            return new AuthResult.Accepted(Caller.ANONYMOUS);
        }
        if (pc.accessKey() != null || pc.authToken() != null || pc.authUserId() != null || pc.circleToken() != null) {
            return invalid("these credentials are not valid");
        }
        String auth = pc.authorization().trim();
        int sp = auth.indexOf(' ');
        String scheme = sp < 0 ? auth : auth.substring(0, sp);
        String value = sp < 0 ? "" : auth.substring(sp + 1).trim();
        if (!scheme.equalsIgnoreCase("Basic")) {
            return invalid("unsupported Authorization scheme");
        }
        Optional<String[]> pair = decodeBasic(value);
        if (pair.isEmpty()) {
            return invalid("malformed Basic credentials");
        }
        String username = pair.get()[0];
        String password = pair.get()[1];
        Optional<User> user = passwords.verify(username, password);
        if (user.isEmpty()) {
            return invalid("wrong username or password, or the account is disabled");
        }
        return new AuthResult.Accepted(new Caller(principal(user.get(), Scope.USER), "password", null));
    }

    static Principal.User principal(User u, Scope scope) {
        return new Principal.User(u.id(), u.username(), u.admin(), u.groups(), scope);
    }

    /** Strict base64 of "user:password"; empty for anything malformed. */
    static Optional<String[]> decodeBasic(String value) {
        try {
            byte[] raw = Base64.getDecoder().decode(value);
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(raw)).toString();
            int colon = s.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new String[] {s.substring(0, colon), s.substring(colon + 1)});
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static AuthResult invalid(String message) {
        return new AuthResult.Rejected(new Failure.Unauthenticated("credentials_invalid", message));
    }
}
