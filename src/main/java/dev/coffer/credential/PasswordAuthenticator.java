package dev.coffer.credential;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.common.Invalidation;
import dev.coffer.common.MemoryOnly;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies username + password. Argon2 is deliberately slow, so a successful verification is
 * remembered for a few minutes under an HMAC of the pair with a key that exists only in this
 * process's memory; the entry is only honoured while the user's stored hash is unchanged, and
 * any change to the user drops it.
 *
 * <p>When the entry is missing (first use, or expired), concurrent requests with the same pair
 * share one verification: a build that downloads over 32 connections would otherwise run 32
 * Argon2 hashes at once (45–90 ms of CPU each here), seconds of both cores every few minutes.
 */
public final class PasswordAuthenticator {
    private record Verified(String username, String passwordHash) {}

    /** A verification's answer, with the stored hash it was checked against. */
    private record Outcome(String passwordHash, boolean matches) {}

    /** The slow check of a password against the user's stored hash; a seam for tests. */
    @FunctionalInterface
    interface PasswordCheck {
        boolean matches(User user, String password);
    }

    private final UserService users;
    private final PasswordCheck check;
    private final ConcurrentHashMap<String, CompletableFuture<Outcome>> running = new ConcurrentHashMap<>();
    /** Keyed with a random secret of this process; each use works on a clone (no provider lookup, no key setup). */
    private final Mac keyedMac;
    private final Cache<String, Verified> verified;

    public PasswordAuthenticator(UserService users, Invalidation invalidation, Duration cacheFor) {
        this(users, invalidation, cacheFor, users::verifyPassword);
    }

    PasswordAuthenticator(UserService users, Invalidation invalidation, Duration cacheFor, PasswordCheck check) {
        this.users = Objects.requireNonNull(users);
        this.check = Objects.requireNonNull(check);
        byte[] cacheKey = new byte[32];
        new SecureRandom().nextBytes(cacheKey);
        try {
            this.keyedMac = Mac.getInstance("HmacSHA256");
            keyedMac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.verified = Caffeine.newBuilder().expireAfterWrite(cacheFor).maximumSize(10_000).recordStats().build();
        invalidation.subscribe(e -> {
            if (e instanceof Invalidation.UserChanged u) {
                forget(u.username());
            } else if (e instanceof Invalidation.Everything) {
                verified.invalidateAll();
            }
        });
    }

    /** The verified-password cache, for its hit/miss meters only. */
    public Cache<?, ?> cacheForMetrics() {
        return verified;
    }

    /** Drops every remembered verification of this user (password change, lockout, delete). */
    public void forget(String username) {
        verified.asMap().values().removeIf(v -> v.username().equals(username));
    }

    /** The user when the password is right and the account enabled; empty otherwise. */
    public Optional<User> verify(String username, String password) {
        Optional<User> found = users.find(username);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        User user = found.get();
        String key = mac(username, password);
        Verified v = verified.getIfPresent(key);
        boolean ok = v != null && v.username().equals(username)
                && MessageDigest.isEqual(v.passwordHash().getBytes(StandardCharsets.UTF_8),
                        user.passwordHash().getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            ok = verifyOnce(key, username, user, password);
        }
        return ok && !user.disabled() ? Optional.of(user) : Optional.empty();
    }

    /** Joins a verification of the same pair already running, or runs it. */
    private boolean verifyOnce(String key, String username, User user, String password) {
        MemoryOnly.check(); // both hashing and waiting for another thread's hash are waits
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> other = running.putIfAbsent(key, mine);
        if (other != null) {
            Outcome o = other.join();
            if (o.passwordHash().equals(user.passwordHash())) {
                return o.matches();
            }
            // the stored hash changed meanwhile: that answer is not this one's
            return check.matches(user, password);
        }
        try {
            boolean matches = check.matches(user, password);
            if (matches) {
                verified.put(key, new Verified(username, user.passwordHash()));
            }
            mine.complete(new Outcome(user.passwordHash(), matches));
            return matches;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    private String mac(String username, String password) {
        try {
            Mac mac = (Mac) keyedMac.clone();
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
