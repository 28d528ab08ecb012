package dev.coffer.credential;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.common.Clock;
import dev.coffer.common.Invalidation;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Rule 6: after {@code limit} failed password logins for one username within {@code window},
 * password login for that username is locked for {@code window}. A second counter per client
 * address counts the distinct usernames it failed on: {@code addressLimit} of them within the window
 * locks password login from that address, so one address cannot spray many usernames, while one
 * user mistyping their own password never locks out their neighbours. Only password logins are
 * counted and locked; keys and tokens keep working.
 *
 * <p>Failures and locks live in the shared {@link LockoutStore}, so every node counts the same
 * failures; each node answers "is it locked?" from memory, kept current by the invalidation
 * events (a lock, a failure, a cleared count) that nodes send one another. The hot path of a
 * successful login touches the database only when some node has seen a failure for that user.
 */
public final class LoginThrottle {
    private final int limit;
    private final int addressLimit;
    private final long windowMillis;
    private final Clock clock;
    private final LockoutStore store;
    private final Invalidation invalidation;
    private final Cache<String, Long> lockedUntil;
    /** Usernames with failures counted somewhere in the cluster: a success must clear them. */
    private final Cache<String, Boolean> suspects;

    public LoginThrottle(int limit, int addressLimit, Duration window, Clock clock, LockoutStore store,
            Invalidation invalidation) {
        this.limit = limit;
        this.addressLimit = addressLimit;
        this.windowMillis = window.toMillis();
        this.clock = Objects.requireNonNull(clock);
        this.store = Objects.requireNonNull(store);
        this.invalidation = Objects.requireNonNull(invalidation);
        this.lockedUntil = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(window.multipliedBy(2)).build();
        this.suspects = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(window.multipliedBy(2)).build();
        invalidation.subscribe(e -> {
            if (e instanceof Invalidation.LoginLocked l) {
                lockedUntil.asMap().merge(l.subject(), l.until(), Math::max);
            } else if (e instanceof Invalidation.LoginFailed f) {
                suspects.put(f.username(), Boolean.TRUE);
            } else if (e instanceof Invalidation.LoginCleared c) {
                suspects.invalidate(c.username());
            } else if (e instanceof Invalidation.Everything) {
                resync();
            }
        });
        resync();
    }

    /** Reads the locks and the users with failures again, and forgets what is too old to matter. */
    public void resync() {
        long now = clock.millis();
        store.purge(now - 2 * windowMillis);
        Map<String, Long> locks = store.locks(now);
        lockedUntil.asMap().keySet().retainAll(locks.keySet());
        lockedUntil.putAll(locks);
        Set<String> users = store.usernamesWithFailures(now - windowMillis);
        suspects.asMap().keySet().retainAll(users);
        users.forEach(u -> suspects.put(u, Boolean.TRUE));
    }

    /** Seconds until password login is allowed again for this username or address; empty when not locked. */
    public OptionalLong lockedFor(String username, String address) {
        long now = clock.millis();
        long until = Math.max(until("u:" + username), until("a:" + address));
        return until > now ? OptionalLong.of(Math.max(1, (until - now + 999) / 1000)) : OptionalLong.empty();
    }

    private long until(String key) {
        Long u = lockedUntil.getIfPresent(key);
        return u == null ? 0 : u;
    }

    /** Counts a failure; returns true when this failure locked the username. */
    public boolean failed(String username, String address) {
        long now = clock.millis();
        long since = now - windowMillis;
        String user = "u:" + username;
        boolean userLocked = store.recordFailure(user, username, now, since) >= limit;
        if (userLocked) {
            lock(user, now);
        } else {
            invalidation.publish(new Invalidation.LoginFailed(username));
        }
        String addr = "a:" + address;
        if (store.recordDistinctFailure(addr, username, now, since) >= addressLimit) {
            lock(addr, now);
        }
        return userLocked;
    }

    private void lock(String subject, long now) {
        long until = now + windowMillis;
        store.lock(subject, until);
        store.clearFailures(subject);
        invalidation.publish(new Invalidation.LoginLocked(subject, until));
    }

    /** A successful login clears the username's count (not the address's). */
    public void succeeded(String username) {
        if (suspects.getIfPresent(username) != null) {
            store.clearFailures("u:" + username);
            invalidation.publish(new Invalidation.LoginCleared(username));
        }
    }
}
