package dev.coffer.credential;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.common.Failure;
import dev.coffer.common.HashKey;
import dev.coffer.common.Invalidation;
import dev.coffer.common.MemoryOnly;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies username + password. Argon2 is deliberately slow, so a successful verification is
 * remembered for a few minutes under a SHA-256 of a secret that exists only in this process's
 * memory followed by the pair; the entry is only honoured while the user's stored hash is
 * unchanged, and any change to the user drops it. A remembered pair costs one SHA-256 block, no
 * Argon2, no reservation and no write.
 *
 * <p>Anything else is checked on a {@link PasswordWorkers} thread (bounded: past its queue the
 * answer is a fast 503), and only after {@link LoginThrottle#reserve} has counted the attempt, so
 * parallel guesses cannot outrun the lockout. An unknown username is checked against a decoy hash
 * made like the real ones, and a disabled account like any other, so neither answers sooner.
 *
 * <p>When the entry is missing (first use, or expired), concurrent requests with the same pair
 * share one verification, and one reservation: a build that downloads over 32 connections would
 * otherwise run 32 Argon2 hashes at once (45–90 ms of CPU each here), seconds of both cores every
 * few minutes, and count as 32 attempts.
 */
public final class PasswordAuthenticator {
    /** What a verification concluded. */
    public sealed interface Verdict {}

    public record Verified(User user) implements Verdict {}

    /** A wrong password, an unknown username or a disabled account: one answer for the three. */
    public record Wrong() implements Verdict {}

    /** The password was not checked: login is locked (429) or too many checks are under way (503). */
    public record Refused(Failure failure) implements Verdict {}

    private static final Verdict WRONG = new Wrong();
    private static final Verdict BUSY = new Refused(new Failure.Busy(
            "password_checks_busy",
            "too many password checks are under way; try again in a moment (access keys and tokens are not affected)",
            1));

    private record Remembered(String username, String passwordHash) {}

    /** A verification's answer, with the stored hash it was checked against (null: no such user). */
    private record Outcome(String against, Verdict verdict) {}

    /** The slow check of a password against the user's stored hash; a seam for tests. */
    @FunctionalInterface
    public interface PasswordCheck {
        boolean matches(User user, String password);
    }

    private final UserService users;
    private final LoginThrottle throttle;
    private final PasswordWorkers workers;
    private final PasswordCheck check;
    private final ConcurrentHashMap<HashKey, CompletableFuture<Outcome>> running = new ConcurrentHashMap<>();
    /** Has absorbed one block of a random secret of this process; each use works on a clone. */
    private final MessageDigest prefixed;

    private final Cache<HashKey, Remembered> verified;

    public PasswordAuthenticator(
            UserService users,
            Invalidation invalidation,
            Duration cacheFor,
            LoginThrottle throttle,
            PasswordWorkers workers) {
        this(users, invalidation, cacheFor, throttle, workers, users::verifyPassword);
    }

    public PasswordAuthenticator(
            UserService users,
            Invalidation invalidation,
            Duration cacheFor,
            LoginThrottle throttle,
            PasswordWorkers workers,
            PasswordCheck check) {
        this.users = Objects.requireNonNull(users);
        this.throttle = Objects.requireNonNull(throttle);
        this.workers = Objects.requireNonNull(workers);
        this.check = Objects.requireNonNull(check);
        byte[] secret = new byte[64]; // one whole SHA-256 block: a clone starts right after it
        new SecureRandom().nextBytes(secret);
        try {
            this.prefixed = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        prefixed.update(secret);
        this.verified = Caffeine.newBuilder()
                .expireAfterWrite(cacheFor)
                .maximumSize(10_000)
                .recordStats()
                .build();
        invalidation.subscribe(e -> {
            if (e instanceof Invalidation.UserChanged u) {
                forget(u.username());
            } else if (e instanceof Invalidation.Everything) {
                verified.invalidateAll();
            }
        });
        // the decoy is made once, in the background, so that the first unknown name is no slower than the next
        workers.submit(users::decoy);
    }

    /** The verified-password cache, for its hit/miss meters only. */
    public Cache<?, ?> cacheForMetrics() {
        return verified;
    }

    /** Drops every remembered verification of this user (password change, lockout, delete). */
    public void forget(String username) {
        verified.asMap().values().removeIf(v -> v.username().equals(username));
    }

    /** Checks the pair, counting the attempt against {@code address} too; see {@link Verdict}. */
    public Verdict verify(String username, String password, String address) {
        Optional<User> found = users.find(username);
        HashKey key = key(username, password);
        if (found.isPresent() && remembered(key, username, found.get())) {
            return new Verified(found.get());
        }
        MemoryOnly.check(); // reserving, hashing and waiting for another thread's hash all wait
        String against = found.map(User::passwordHash).orElse(null);
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> other = running.putIfAbsent(key, mine);
        if (other != null) {
            Outcome o = PasswordWorkers.await(other);
            if (Objects.equals(o.against(), against)) {
                return o.verdict() instanceof Verified
                        ? found.filter(u -> !u.disabled())
                                .<Verdict>map(Verified::new)
                                .orElse(WRONG)
                        : o.verdict();
            }
            // the stored hash changed meanwhile: that answer is not this one's
            return attempt(key, username, found, password, address);
        }
        try {
            Verdict v = attempt(key, username, found, password, address);
            mine.complete(new Outcome(against, v));
            return v;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    private boolean remembered(HashKey key, String username, User user) {
        Remembered r = verified.getIfPresent(key);
        return r != null
                && r.username().equals(username)
                && !user.disabled()
                && sameHash(r.passwordHash(), user.passwordHash());
    }

    /** The cached user usually holds the very string remembered; otherwise compared in constant time. */
    private static boolean sameHash(String remembered, String stored) {
        return remembered == stored
                || MessageDigest.isEqual(
                        remembered.getBytes(StandardCharsets.UTF_8), stored.getBytes(StandardCharsets.UTF_8));
    }

    private Verdict attempt(HashKey key, String username, Optional<User> found, String password, String address) {
        Optional<CompletableFuture<Verdict>> job = workers.submit(() -> check(key, username, found, password, address));
        return job.isEmpty() ? BUSY : PasswordWorkers.await(job.get());
    }

    /** On a password thread: count the attempt, then hash, then settle the count. */
    private Verdict check(HashKey key, String username, Optional<User> found, String password, String address) {
        LoginThrottle.Reservation r = throttle.reserve(username, address);
        if (r instanceof LoginThrottle.Refused no) {
            return new Refused(LoginThrottle.locked(no.retryAfterSeconds()));
        }
        LoginThrottle.Granted slot = (LoginThrottle.Granted) r;
        // the decoy is disabled: an unknown name is refused after the same work as a known one
        User user = found.orElseGet(users::decoy);
        if (!check.matches(user, password) || user.disabled()) {
            if (throttle.failed(slot)) {
                forget(username);
            }
            return WRONG;
        }
        throttle.succeeded(slot);
        verified.put(key, new Remembered(username, user.passwordHash()));
        return new Verified(user);
    }

    /**
     * SHA-256(secret ‖ username ‖ 0 ‖ password). Not an HMAC on purpose: the key never leaves this
     * process and the digest is never shown, so length extension gains nobody anything, and with the
     * secret's 64-byte block already absorbed a usual pair costs one compression instead of the
     * HMAC's two, plus no hex string (this runs on every Basic request).
     */
    private HashKey key(String username, String password) {
        MessageDigest d;
        try {
            d = (MessageDigest) prefixed.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        // no user's name holds a 0 byte (Names.valid), so a remembered pair cannot be read two ways
        d.update(username.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
        return HashKey.of(d.digest(password.getBytes(StandardCharsets.UTF_8)));
    }
}
