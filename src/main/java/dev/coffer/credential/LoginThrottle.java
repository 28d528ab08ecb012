package dev.coffer.credential;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.common.Clock;
import dev.coffer.common.Failure;
import dev.coffer.common.Invalidation;
import dev.coffer.token.Secrets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Rule 6: {@code limit} failed password logins for one username within {@code window} lock
 * password login for that username for {@code window}. A second count per client address counts
 * the distinct usernames it failed on: {@code addressLimit} of them within the window lock password
 * login from that address, so one address cannot spray many usernames, while one user mistyping
 * their own password never locks out their neighbours. Only password logins are counted and
 * locked; keys and tokens keep working.
 *
 * <p>Counting comes before checking (SECURITY-CHECKLIST item 5): every password that must really
 * be hashed first {@link #reserve reserves} its slot in both counts, atomically in the shared
 * {@link LockoutStore}, so parallel guesses on one node or many cannot each see "not yet over": ten
 * allowed means ten hashed. A failure keeps its slot (and the one that fills the count locks); a
 * success releases it and clears the username's count. A password remembered from an earlier
 * success is not checked again and reserves nothing.
 *
 * <p>Each node answers "is it locked?" from memory, kept current by the lock events nodes send
 * one another; the store refuses a reservation for a lock this node has not heard of yet.
 */
public final class LoginThrottle {
    /** What reserving an attempt found. */
    public sealed interface Reservation {}

    /** The attempt may be checked; settle it with {@link #succeeded} or {@link #failed}. */
    public record Granted(String username, String address, LockoutStore.Slot slot) implements Reservation {}

    /** Password login is refused for now; no slot was taken. */
    public record Refused(long retryAfterSeconds) implements Reservation {}

    private final int limit;
    private final int addressLimit;
    private final long windowMillis;
    private final Clock clock;
    private final LockoutStore store;
    private final Invalidation invalidation;
    private final Cache<String, Long> lockedUntil;

    public LoginThrottle(
            int limit, int addressLimit, Duration window, Clock clock, LockoutStore store, Invalidation invalidation) {
        this.limit = limit;
        this.addressLimit = addressLimit;
        this.windowMillis = window.toMillis();
        this.clock = Objects.requireNonNull(clock);
        this.store = Objects.requireNonNull(store);
        this.invalidation = Objects.requireNonNull(invalidation);
        this.lockedUntil = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(window.multipliedBy(2))
                .build();
        invalidation.subscribe(e -> {
            if (e instanceof Invalidation.LoginLocked l) {
                lockedUntil.asMap().merge(l.subject(), l.until(), Math::max);
            } else if (e instanceof Invalidation.Everything) {
                resync();
            }
        });
        resync();
    }

    /** The refusal of a locked password login, with its Retry-After. */
    public static Failure locked(long retryAfterSeconds) {
        return new Failure.RateLimited(
                "login_locked",
                "too many failed logins; password login is locked for a while (keys and tokens still work)",
                retryAfterSeconds);
    }

    /** Reads the locks again, and forgets failures and locks too old to matter. */
    public void resync() {
        long now = clock.millis();
        store.purge(now - 2 * windowMillis);
        Map<String, Long> locks = store.locks(now);
        lockedUntil.asMap().keySet().retainAll(locks.keySet());
        lockedUntil.putAll(locks);
    }

    /** Seconds until password login is allowed again for this username or address; empty when not locked. */
    public OptionalLong lockedFor(String username, String address) {
        if (lockedUntil.asMap().isEmpty()) {
            return OptionalLong.empty(); // the usual case, without hashing the name (every Basic request asks)
        }
        long now = clock.millis();
        long until = Math.max(until(userSubject(username)), until(addressSubject(address)));
        return until > now ? OptionalLong.of(seconds(until - now)) : OptionalLong.empty();
    }

    private long until(String key) {
        Long u = lockedUntil.getIfPresent(key);
        return u == null ? 0 : u;
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** Takes a slot in the username's and the address's counts before the password is checked. */
    public Reservation reserve(String username, String address) {
        long now = clock.millis();
        LockoutStore.Reserved r = store.reserve(new LockoutStore.Attempt(
                userSubject(username),
                addressSubject(address),
                name(username),
                now,
                now - windowMillis,
                limit,
                addressLimit));
        if (r instanceof LockoutStore.Granted g) {
            return new Granted(username, address, g.slot());
        }
        return new Refused(seconds(((LockoutStore.Refused) r).until() - now));
    }

    /** The password was wrong: the slot stays counted; returns true when this failure locked the username. */
    public boolean failed(Granted attempt) {
        long now = clock.millis();
        boolean userLocked = attempt.slot().failures() >= limit;
        if (userLocked) {
            lock(userSubject(attempt.username()), now);
        }
        if (attempt.slot().usernames() >= addressLimit) {
            lock(addressSubject(attempt.address()), now);
        }
        return userLocked;
    }

    /** The password was right: the username's count starts again, and the address no longer counts this attempt. */
    public void succeeded(Granted attempt) {
        store.release(userSubject(attempt.username()), attempt.slot());
    }

    private void lock(String subject, long now) {
        long until = now + windowMillis;
        store.lock(subject, until);
        store.clearFailures(subject);
        invalidation.publish(new Invalidation.LoginLocked(subject, until));
    }

    private static String userSubject(String username) {
        return "u:" + name(username);
    }

    private static String addressSubject(String address) {
        return "a:" + address;
    }

    /**
     * The username as counted: always by its hash, so that nothing typed into the user name field
     * reaches the table as it was typed (a password typed there by mistake, a key or token), and
     * any length fits the column (SECURITY-CHECKLIST item 4).
     */
    static String name(String username) {
        return "#" + Secrets.hash(username);
    }
}
