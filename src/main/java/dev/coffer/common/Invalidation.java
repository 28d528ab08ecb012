package dev.coffer.common;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells in-memory caches that what they hold has changed: a user (password, disabled, groups,
 * deleted), a credential, the permission targets, a repository, a login lock. Caches subscribe
 * here, so a revoke or a removed right takes effect on the very next request.
 *
 * <p>With several nodes the same events travel between them (see {@code dev.coffer.cluster}):
 * {@link #publish} is a change made on this node, {@link #receive} one made elsewhere. Cache
 * listeners hear both; {@link #onLocalChange} listeners hear only this node's own changes, for the
 * side effects that must happen once (such as deleting sessions from the database).
 */
public final class Invalidation {
    public sealed interface Event {}

    public record UserChanged(String username) implements Event {}

    /** Also a UserChanged; sessions opened with the old password end. */
    public record PasswordChanged(String username, long userId) implements Event {}

    /** Published before the UserChanged of a delete; keys, tokens and sessions cached for that id go. */
    public record UserDeleted(String username, long userId) implements Event {}

    /** A key, token or session was revoked, refreshed away or ended (by the hash of its secret). */
    public record CredentialRevoked(String secretHash) implements Event {}

    public record PermissionsChanged() implements Event {}

    /**
     * The file at {@code path} in {@code repo} was written or deleted; with {@code subtree}, also
     * everything below it ("" = the whole repository).
     */
    public record FilesChanged(String repo, String path, boolean subtree) implements Event {}

    /** A repository was created, changed (for example its anonymous-read switch) or deleted. */
    public record RepositoryChanged(String name) implements Event {}

    /** Password login for {@code subject} ("u:name" or "a:address") is locked until {@code until}. */
    public record LoginLocked(String subject, long until) implements Event {}

    /** A failed password login for this username (other nodes learn that a success must clear it). */
    public record LoginFailed(String username) implements Event {}

    /** A successful login cleared this username's failures. */
    public record LoginCleared(String username) implements Event {}

    /** Drop everything cached and read it again: the safety net when events may have been missed. */
    public record Everything() implements Event {}

    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Event>> localListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Event>> outbound = new CopyOnWriteArrayList<>();

    /** A cache: hears every change, made here or on another node. */
    public void subscribe(Consumer<Event> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /** A side effect of a change made on this node; runs before the caches hear of it. */
    public void onLocalChange(Consumer<Event> listener) {
        localListeners.add(Objects.requireNonNull(listener));
    }

    /** Where this node's changes go to reach other nodes. */
    public void forwardTo(Consumer<Event> sink) {
        outbound.add(Objects.requireNonNull(sink));
    }

    /** A change made on this node. */
    public void publish(Event event) {
        for (Consumer<Event> l : localListeners) {
            l.accept(event);
        }
        for (Consumer<Event> l : listeners) {
            l.accept(event);
        }
        for (Consumer<Event> o : outbound) {
            o.accept(event);
        }
    }

    /**
     * A change made on another node (or a resync): only the caches hear it. Every cache hears it
     * even when one fails (a reload while the database is down); the first failure is rethrown.
     */
    public void receive(Event event) {
        RuntimeException failure = null;
        for (Consumer<Event> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
