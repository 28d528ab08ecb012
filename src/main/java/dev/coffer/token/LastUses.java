package dev.coffer.token;

import dev.coffer.common.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When and from where keys and tokens were last used: batched in memory and written every couple of
 * seconds, never once per request.
 */
final class LastUses implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LastUses.class);

    private final CredentialStore store;
    private final Clock clock;
    private final Map<String, CredentialStore.Use> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    LastUses(CredentialStore store, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coffer-last-used");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, 2, 2, TimeUnit.SECONDS);
    }

    private static String key(SecretKind kind, String id) {
        return kind + ":" + id;
    }

    void record(StoredCredential c, String ip) {
        String key = key(c.kind(), c.id());
        long now = clock.millis();
        CredentialStore.Use last = pending.get(key);
        // a credential in constant use would rewrite one map entry on every request from every
        // thread; a second's precision is plenty for "last used" (written every 2 s anyway)
        if (last != null && now - last.at() < 1000 && Objects.equals(last.ip(), ip)) {
            return;
        }
        pending.put(key, new CredentialStore.Use(c.kind(), c.id(), now, ip));
    }

    /** Writes the batched last-use times (also called on shutdown). */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<CredentialStore.Use> batch = new ArrayList<>();
        for (String k : List.copyOf(pending.keySet())) {
            CredentialStore.Use u = pending.remove(k);
            if (u != null) {
                batch.add(u);
            }
        }
        try {
            store.recordUses(batch);
        } catch (RuntimeException e) {
            LOG.warn("could not record last use of {} credentials: {}", batch.size(), e.getMessage());
            batch.forEach(u -> pending.putIfAbsent(key(u.kind(), u.id()), u));
        }
    }

    /** Overlays a use not yet written, so a listing shows it at once. */
    StoredCredential overlay(StoredCredential c) {
        CredentialStore.Use u = pending.get(key(c.kind(), c.id()));
        if (u == null) {
            return c;
        }
        return new StoredCredential(
                c.kind(),
                c.id(),
                c.userId(),
                c.secretHash(),
                c.refreshHash(),
                c.scope(),
                c.description(),
                c.issuedBy(),
                c.createdAt(),
                c.expiresAt(),
                u.at(),
                u.ip());
    }

    /** A revoked credential's pending use is not written. */
    void forget(SecretKind kind, String id) {
        pending.remove(key(kind, id));
    }

    @Override
    public void close() {
        flusher.shutdown();
        flush();
    }
}
