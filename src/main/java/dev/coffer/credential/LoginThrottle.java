package dev.coffer.credential;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.common.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Rule 6: after {@code limit} failed password logins for one username within {@code window},
 * password login for that username is locked for {@code window}. A second counter per client
 * address counts the distinct usernames it failed on: {@code addressLimit} of them within the window
 * locks password login from that address, so one address cannot spray many usernames, while one
 * user mistyping their own password never locks out their neighbours. Only password logins are
 * counted and locked; keys and tokens keep working.
 */
public final class LoginThrottle {
    private final int limit;
    private final int addressLimit;
    private final long windowMillis;
    private final Clock clock;
    private final Cache<String, Deque<Long>> failures;
    private final Cache<String, Long> lockedUntil;
    private final Cache<String, Map<String, Long>> distinct;

    public LoginThrottle(int limit, Duration window, Clock clock) {
        this(limit, limit, window, clock);
    }

    public LoginThrottle(int limit, int addressLimit, Duration window, Clock clock) {
        this.limit = limit;
        this.addressLimit = addressLimit;
        this.windowMillis = window.toMillis();
        this.clock = Objects.requireNonNull(clock);
        this.failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(window.multipliedBy(2)).build();
        this.distinct = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(window.multipliedBy(2)).build();
        this.lockedUntil = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(window.multipliedBy(2)).build();
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
        boolean userLocked = count("u:" + username, limit);
        countDistinct("a:" + address, username);
        return userLocked;
    }

    private boolean count(String key, int max) {
        long now = clock.millis();
        Deque<Long> times = failures.get(key, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
                times.removeFirst();
            }
            if (times.size() >= max) {
                lockedUntil.put(key, now + windowMillis);
                times.clear();
                return true;
            }
        }
        return false;
    }

    private void countDistinct(String key, String username) {
        long now = clock.millis();
        Map<String, Long> seen = distinct.get(key, k -> new HashMap<>());
        synchronized (seen) {
            seen.put(username, now);
            seen.values().removeIf(t -> t <= now - windowMillis);
            if (seen.size() >= addressLimit) {
                lockedUntil.put(key, now + windowMillis);
                seen.clear();
            }
        }
    }

    /** A successful login clears the username's count (not the address's). */
    public void succeeded(String username) {
        failures.invalidate("u:" + username);
    }
}
