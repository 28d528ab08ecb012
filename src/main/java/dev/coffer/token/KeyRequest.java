package dev.coffer.token;

import java.util.Objects;

/**
 * A personal access key asked for (API.md §4): always the issuing account's own.
 *
 * @param description shown in listings; null for none
 * @param expiresAtMillis epoch milliseconds; null for a key that does not expire
 */
public record KeyRequest(Issuer.Account issuer, String description, Long expiresAtMillis) {
    public KeyRequest {
        Objects.requireNonNull(issuer, "issuer");
    }
}
