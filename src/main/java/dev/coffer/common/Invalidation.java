package dev.coffer.common;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells in-memory caches that what they hold has changed: a user (password, disabled, groups,
 * deleted), the permission targets, or the repositories. Caches of credentials subscribe here, so
 * a revoke or a removed right takes effect on the very next request.
 */
public final class Invalidation {
    public sealed interface Event {}

    public record UserChanged(String username) implements Event {}

    /** Also a UserChanged; sessions opened with the old password end. */
    public record PasswordChanged(String username, long userId) implements Event {}

    /** Published before the UserChanged of a delete; keys, tokens and sessions cached for that id go. */
    public record UserDeleted(String username, long userId) implements Event {}

    public record PermissionsChanged() implements Event {}

    public record RepositoriesChanged() implements Event {}

    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(Consumer<Event> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void publish(Event event) {
        for (Consumer<Event> l : listeners) {
            l.accept(event);
        }
    }
}
