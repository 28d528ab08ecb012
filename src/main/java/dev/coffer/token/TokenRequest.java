package dev.coffer.token;

import java.util.Objects;

/**
 * An access token asked for (API.md §5), as every entry point hands it to {@link CredentialIssuer}:
 * values as given, checked there.
 *
 * @param subject the user the token is for; null for the issuer's own account
 * @param scope the scope text; null for {@code applied-permissions/user}
 * @param expiresInSeconds null for the default lifetime, 0 for never
 * @param description shown in listings; null for none
 */
public record TokenRequest(
        Issuer issuer, String subject, String scope, Long expiresInSeconds, boolean refreshable, String description) {
    public TokenRequest {
        Objects.requireNonNull(issuer, "issuer");
    }

    /** The subject's name: as given, or the issuing account's own; null when neither names one. */
    String subjectName() {
        if (subject != null) {
            return subject;
        }
        return issuer instanceof Issuer.Account a ? a.username() : null;
    }
}
