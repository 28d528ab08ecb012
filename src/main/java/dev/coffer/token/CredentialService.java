package dev.coffer.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.authz.Scope;
import dev.coffer.common.Clock;
import dev.coffer.common.HashKey;
import dev.coffer.common.Invalidation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves, lists and revokes access keys, session tokens and access tokens, and opens sessions.
 * Once warm, resolving a secret touches no database: verified credentials are cached by the hash of
 * their secret, and every revoke drops its entry before it returns. Last-use times are batched
 * ({@link LastUses}). Keys and access tokens are issued by {@link CredentialIssuer}, under the
 * issuing rules.
 */
public final class CredentialService implements AutoCloseable {
    private final CredentialStore store;
    private final Clock clock;
    private final Invalidation invalidation;
    private final Duration sessionTtl;
    private final Cache<HashKey, StoredCredential> byHash;
    private final LastUses lastUses;

    /** A newly issued credential with its secret(s): the only moment the secret exists in clear. */
    public record Issued(StoredCredential stored, String secret, String refreshSecret) {
        @Override
        public String toString() {
            return "Issued[" + stored + "]";
        }
    }

    public CredentialService(CredentialStore store, Clock clock, Invalidation invalidation, Duration sessionTtl) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.sessionTtl = Objects.requireNonNull(sessionTtl);
        // Caffeine's upkeep of the hot caches runs on the reading thread (executor(Runnable::run)):
        // handed to the common pool, it woke a thread several thousand times a second
        this.byHash = Caffeine.newBuilder()
                .maximumSize(200_000)
                .expireAfterAccess(Duration.ofMinutes(30))
                .executor(Runnable::run)
                .recordStats()
                .build();
        this.invalidation = invalidation;
        invalidation.onLocalChange(e -> {
            if (e instanceof Invalidation.PasswordChanged p) {
                // a new password ends every session that the old one opened (once, on the node that changed it)
                store.deleteAllOf(SecretKind.SESSION_TOKEN, p.userId());
            }
        });
        invalidation.subscribe(e -> {
            if (e instanceof Invalidation.PasswordChanged p) {
                forgetSessions(p.userId());
            } else if (e instanceof Invalidation.UserDeleted d) {
                // the rows went with the user; the cached entries must not outlive them
                forgetUser(d.userId());
            } else if (e instanceof Invalidation.CredentialRevoked r) {
                HashKey key = HashKey.ofHex(r.secretHash());
                if (key == null) {
                    byHash.invalidateAll(); // not a hash we could have cached: forget all rather than guess
                } else {
                    byHash.invalidate(key);
                }
            } else if (e instanceof Invalidation.Everything) {
                byHash.invalidateAll();
            }
        });
        this.lastUses = new LastUses(store, clock);
    }

    /** The verified-credential cache, for its hit/miss meters only. */
    public Cache<?, ?> cacheForMetrics() {
        return byHash;
    }

    // ---- resolution (the hot path)

    /** The live credential for a well-formed secret of this kind, or empty when unknown or expired. */
    public Optional<StoredCredential> resolve(SecretKind kind, String secret) {
        HashKey key = HashKey.of(Secrets.digest(secret));
        // The load is atomic per key: a revoke's invalidate waits for a load in progress and then
        // removes what it loaded, so no stale entry can outlive the revoke (unknown ones are not cached).
        StoredCredential c =
                byHash.get(key, k -> store.findByHash(kind, k.hex()).orElse(null));
        if (c == null || c.kind() != kind || c.expiredAt(clock.millis())) {
            return Optional.empty();
        }
        return Optional.of(c);
    }

    public void recordUse(StoredCredential c, String ip) {
        lastUses.record(c, ip);
    }

    /** Writes the batched last-use times (also called on shutdown). */
    public void flushUses() {
        lastUses.flush();
    }

    // ---- listing and revoking keys and tokens

    public List<StoredCredential> list(SecretKind kind, Long userId) {
        return store.list(kind, userId).stream().map(lastUses::overlay).toList();
    }

    public Optional<StoredCredential> find(SecretKind kind, String id) {
        return store.findById(kind, id).map(lastUses::overlay);
    }

    /** Revokes a key or token by id; the cached entry is gone before this returns. */
    public boolean revoke(SecretKind kind, String id) {
        Optional<StoredCredential> c = store.findById(kind, id);
        if (c.isEmpty()) {
            return false;
        }
        boolean deleted = store.delete(kind, id);
        dropped(c.get());
        return deleted;
    }

    // ---- what CredentialIssuer writes

    void insert(StoredCredential c) {
        store.insert(c);
    }

    Optional<StoredCredential> findByRefreshHash(String refreshHash) {
        return store.findByRefreshHash(refreshHash);
    }

    /** Replaces {@code old} by {@code replacement} atomically; false (and nothing changed) when old was gone. */
    boolean replace(StoredCredential old, StoredCredential replacement) {
        if (!store.replace(old, replacement)) {
            return false;
        }
        dropped(old);
        return true;
    }

    /** A credential no longer stored: out of every node's cache, its pending last use unwritten. */
    private void dropped(StoredCredential c) {
        lastUses.forget(c.kind(), c.id());
        invalidation.publish(new Invalidation.CredentialRevoked(c.secretHash()));
    }

    // ---- session tokens

    public Issued createSession(long userId) {
        String secret = Secrets.generate(SecretKind.SESSION_TOKEN);
        long now = clock.millis();
        StoredCredential c = new StoredCredential(
                SecretKind.SESSION_TOKEN,
                Secrets.id(),
                userId,
                Secrets.hash(secret),
                null,
                Scope.USER.toString(),
                "",
                null,
                now,
                now + sessionTtl.toMillis(),
                null,
                null);
        store.insert(c);
        return new Issued(c, secret, null);
    }

    public void endAllSessions(long userId) {
        for (StoredCredential c : store.deleteAllOf(SecretKind.SESSION_TOKEN, userId)) {
            invalidation.publish(new Invalidation.CredentialRevoked(c.secretHash()));
        }
    }

    private void forgetSessions(long userId) {
        byHash.asMap().values().removeIf(c -> c.userId() == userId && c.kind() == SecretKind.SESSION_TOKEN);
    }

    /** Drops every cached key, token and session of this user id (a pending last-use write updates nothing). */
    public void forgetUser(long userId) {
        byHash.asMap().values().removeIf(c -> c.userId() == userId);
    }

    @Override
    public void close() {
        lastUses.close();
    }
}
