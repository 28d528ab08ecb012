package dev.coffer.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.authz.Scope;
import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Invalidation;
import dev.coffer.common.Redaction;
import dev.coffer.common.TerminalText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues, resolves and revokes access keys, session tokens and access tokens. Once warm, resolving
 * a secret touches no database: verified credentials are cached by the hash of their secret, and
 * every revoke drops its entry before it returns. Last-use times are batched and written every
 * couple of seconds, never once per request.
 */
public final class CredentialService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialService.class);

    private final CredentialStore store;
    private final Clock clock;
    private final Invalidation invalidation;
    private final Duration sessionTtl;
    private final Cache<HashKey, StoredCredential> byHash;

    private final Map<String, CredentialStore.Use> pendingUses = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    /**
     * A secret's SHA-256 as the cache key: every authenticated request looks one up, and four
     * longs hash and compare far faster than the 64-character hex text they stand for.
     */
    record HashKey(long a, long b, long c, long d) {
        static HashKey of(byte[] sha256) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(sha256);
            return new HashKey(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
        }

        /** Null unless {@code hex} is a SHA-256 in hex. */
        static HashKey ofHex(String hex) {
            if (hex == null || hex.length() != 64) {
                return null;
            }
            try {
                return of(java.util.HexFormat.of().parseHex(hex));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        String hex() {
            java.util.HexFormat h = java.util.HexFormat.of();
            return h.toHexDigits(a) + h.toHexDigits(b) + h.toHexDigits(c) + h.toHexDigits(d);
        }
    }

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
        this.byHash = Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(Duration.ofMinutes(30))
                .executor(Runnable::run).recordStats().build();
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
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coffer-last-used");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushUses, 2, 2, TimeUnit.SECONDS);
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
        StoredCredential c = byHash.get(key, k -> store.findByHash(kind, k.hex()).orElse(null));
        if (c == null || c.kind() != kind || c.expiredAt(clock.millis())) {
            return Optional.empty();
        }
        return Optional.of(c);
    }

    public void recordUse(StoredCredential c, String ip) {
        String key = c.kind() + ":" + c.id();
        long now = clock.millis();
        CredentialStore.Use pending = pendingUses.get(key);
        // a credential in constant use would rewrite one map entry on every request from every
        // thread; a second's precision is plenty for "last used" (written every 2 s anyway)
        if (pending != null && now - pending.at() < 1000 && java.util.Objects.equals(pending.ip(), ip)) {
            return;
        }
        pendingUses.put(key, new CredentialStore.Use(c.kind(), c.id(), now, ip));
    }

    /** Writes the batched last-use times (also called on shutdown). */
    public void flushUses() {
        if (pendingUses.isEmpty()) {
            return;
        }
        List<CredentialStore.Use> batch = new ArrayList<>();
        for (String k : List.copyOf(pendingUses.keySet())) {
            CredentialStore.Use u = pendingUses.remove(k);
            if (u != null) {
                batch.add(u);
            }
        }
        try {
            store.recordUses(batch);
        } catch (RuntimeException e) {
            LOG.warn("could not record last use of {} credentials: {}", batch.size(), e.getMessage());
            batch.forEach(u -> pendingUses.putIfAbsent(u.kind() + ":" + u.id(), u));
        }
    }

    /** Overlays uses not yet written, so a listing shows them at once. */
    private StoredCredential withPendingUse(StoredCredential c) {
        CredentialStore.Use u = pendingUses.get(c.kind() + ":" + c.id());
        if (u == null) {
            return c;
        }
        return new StoredCredential(c.kind(), c.id(), c.userId(), c.secretHash(), c.refreshHash(), c.scope(),
                c.description(), c.issuedBy(), c.createdAt(), c.expiresAt(), u.at(), u.ip());
    }

    // ---- personal access keys

    public Issued createKey(long userId, String description, Long expiresAt) {
        checkDescription(description);
        String secret = Secrets.generate(SecretKind.ACCESS_KEY);
        StoredCredential c = new StoredCredential(SecretKind.ACCESS_KEY, Secrets.id(), userId, Secrets.hash(secret), null,
                Scope.USER.toString(), description == null ? "" : description, null, clock.millis(), expiresAt, null, null);
        store.insert(c);
        return new Issued(c, secret, null);
    }

    /** Longest description of a key or token, in characters. */
    public static final int MAX_DESCRIPTION = 1024;

    /**
     * A description is shown in listings, also in a terminal (coffer token list) and in the web UI:
     * no control characters, and no secret (the very thing listings never show). HTTP and CLI alike
     * come through here. 400 naming the field; nothing is stored.
     */
    static void checkDescription(String description) {
        if (description == null) {
            return;
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw CofferException.invalid("description_invalid",
                    "description: at most " + MAX_DESCRIPTION + " characters");
        }
        int bad = TerminalText.firstUnsafe(description);
        if (bad >= 0) {
            throw CofferException.invalid("description_invalid", "description: control characters such as "
                    + TerminalText.name(bad) + " are not allowed (tabs and line breaks neither); it is shown in listings");
        }
        if (Redaction.containsSecret(description)) {
            throw CofferException.invalid("description_invalid",
                    "description: it holds what looks like an access key or token; leave the secret out");
        }
    }

    public List<StoredCredential> list(SecretKind kind, Long userId) {
        return store.list(kind, userId).stream().map(this::withPendingUse).toList();
    }

    public Optional<StoredCredential> find(SecretKind kind, String id) {
        return store.findById(kind, id).map(this::withPendingUse);
    }

    /** Revokes a key or token by id; the cached entry is gone before this returns. */
    public boolean revoke(SecretKind kind, String id) {
        Optional<StoredCredential> c = store.findById(kind, id);
        if (c.isEmpty()) {
            return false;
        }
        boolean deleted = store.delete(kind, id);
        pendingUses.remove(kind + ":" + id);
        invalidation.publish(new Invalidation.CredentialRevoked(c.get().secretHash()));
        return deleted;
    }

    // ---- session tokens

    public Issued createSession(long userId) {
        String secret = Secrets.generate(SecretKind.SESSION_TOKEN);
        long now = clock.millis();
        StoredCredential c = new StoredCredential(SecretKind.SESSION_TOKEN, Secrets.id(), userId, Secrets.hash(secret),
                null, Scope.USER.toString(), "", null, now, now + sessionTtl.toMillis(), null, null);
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

    // ---- scoped access tokens

    public Issued createToken(long userId, Scope scope, String description, Long expiresAt, boolean refreshable,
            String issuedBy) {
        checkDescription(description);
        if (Redaction.containsSecret(scope.toString())) {
            // a repository or group named like a secret would put the secret in the stored scope
            throw CofferException.invalid("scope_invalid", "scope: it holds what looks like an access key or token");
        }
        String secret = Secrets.generate(SecretKind.ACCESS_TOKEN);
        String refresh = refreshable ? Secrets.generate(SecretKind.REFRESH_TOKEN) : null;
        StoredCredential c = new StoredCredential(SecretKind.ACCESS_TOKEN, java.util.UUID.randomUUID().toString(), userId,
                Secrets.hash(secret), refresh == null ? null : Secrets.hash(refresh), scope.toString(),
                description == null ? "" : description, issuedBy, clock.millis(), expiresAt, null, null);
        store.insert(c);
        return new Issued(c, secret, refresh);
    }

    /**
     * Trades a refresh token for a new pair with the same subject, scope and lifetime; the old
     * pair stops working at once. Empty when the refresh token is unknown or already used.
     */
    public Optional<Issued> refresh(String refreshSecret) {
        Optional<StoredCredential> old = store.findByRefreshHash(Secrets.hash(refreshSecret));
        if (old.isEmpty()) {
            return Optional.empty();
        }
        StoredCredential o = old.get();
        long now = clock.millis();
        Long expiresAt = o.expiresAt() == null ? null : now + (o.expiresAt() - o.createdAt());
        String secret = Secrets.generate(SecretKind.ACCESS_TOKEN);
        String refresh = Secrets.generate(SecretKind.REFRESH_TOKEN);
        StoredCredential n = new StoredCredential(SecretKind.ACCESS_TOKEN, java.util.UUID.randomUUID().toString(),
                o.userId(), Secrets.hash(secret), Secrets.hash(refresh), o.scope(), o.description(), o.issuedBy(), now,
                expiresAt, null, null);
        if (!store.replace(o, n)) {
            return Optional.empty();
        }
        pendingUses.remove(o.kind() + ":" + o.id());
        invalidation.publish(new Invalidation.CredentialRevoked(o.secretHash()));
        return Optional.of(new Issued(n, secret, refresh));
    }

    @Override
    public void close() {
        flusher.shutdown();
        flushUses();
    }
}
