package dev.coffer.token;

import java.util.Objects;

/**
 * One stored key or token. {@code scope} is the scope text for access tokens and
 * "applied-permissions/user" for the others. Times are epoch milliseconds; null = never.
 */
public record StoredCredential(
        SecretKind kind,
        String id,
        long userId,
        String secretHash,
        String refreshHash,
        String scope,
        String description,
        String issuedBy,
        long createdAt,
        Long expiresAt,
        Long lastUsedAt,
        String lastUsedIp) {
    public StoredCredential {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secretHash, "secretHash");
    }

    public boolean expiredAt(long now) {
        return expiresAt != null && expiresAt <= now;
    }

    @Override
    public String toString() {
        return "StoredCredential[" + kind + " " + id + " of user " + userId + "]";
    }
}
