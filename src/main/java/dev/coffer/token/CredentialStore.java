package dev.coffer.token;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Keys and tokens at rest (hashes only); implemented by the persistence adapters. */
public interface CredentialStore {
    void insert(StoredCredential credential);

    Optional<StoredCredential> findByHash(SecretKind kind, String secretHash);

    Optional<StoredCredential> findById(SecretKind kind, String id);

    /** Access tokens only: the token whose refresh secret has this hash. */
    Optional<StoredCredential> findByRefreshHash(String refreshHash);

    /** All of one user's, or everyone's when userId is null. */
    List<StoredCredential> list(SecretKind kind, Long userId);

    boolean delete(SecretKind kind, String id);

    /** Deletes {@code old} and inserts {@code replacement} atomically; false when old was already gone. */
    boolean replace(StoredCredential old, StoredCredential replacement);

    /** Returns the deleted ones (to drop them from caches). */
    List<StoredCredential> deleteAllOf(SecretKind kind, long userId);

    record Use(SecretKind kind, String id, long at, String ip) {}

    void recordUses(Collection<Use> uses);
}
