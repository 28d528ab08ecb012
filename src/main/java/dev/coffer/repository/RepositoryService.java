package dev.coffer.repository;

import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Invalidation;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Repositories are few and read on every request, so they are held in memory; every change goes
 * through here, writes the store first and then the map.
 */
public final class RepositoryService {

    private final RepositoryStore store;
    private final Clock clock;
    private final Invalidation invalidation;
    private final Map<String, Repository> byName = new ConcurrentHashMap<>();

    public RepositoryService(RepositoryStore store, Clock clock, Invalidation invalidation) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.invalidation = Objects.requireNonNull(invalidation);
        reload();
        invalidation.subscribe(e -> {
            if (e instanceof Invalidation.RepositoryChanged r) {
                // read again now: the map is also the list of repositories, so it must not lose one
                Optional<Repository> fresh = store.find(r.name());
                if (fresh.isPresent()) {
                    byName.put(r.name(), fresh.get());
                } else {
                    byName.remove(r.name());
                }
            } else if (e instanceof Invalidation.Everything) {
                reload();
            }
        });
    }

    /** Re-reads every repository (at start, and when another node may have changed them). */
    public void reload() {
        Map<String, Repository> fresh = new ConcurrentHashMap<>();
        for (Repository r : store.list()) {
            fresh.put(r.name(), r);
        }
        byName.keySet().retainAll(fresh.keySet());
        byName.putAll(fresh);
    }

    public static boolean isValidName(String name) {
        return dev.coffer.common.Names.valid(name, "._-");
    }

    /** From memory; a miss asks the store, so a repository created by `coffer repo create` shows up. */
    public Optional<Repository> find(String name) {
        Repository r = byName.get(name);
        if (r == null && isValidName(name)) {
            r = byName.computeIfAbsent(name, n -> store.find(n).orElse(null));
        }
        return Optional.ofNullable(r);
    }

    /** The repository, or NotFound "repository_not_found". */
    public Repository require(String name) {
        return find(name)
                .orElseThrow(() -> new CofferException(new dev.coffer.common.Failure.NotFound(
                        "repository_not_found", "there is no repository '" + name + "'")));
    }

    public List<Repository> list() {
        return byName.values().stream()
                .sorted(Comparator.comparing(Repository::name))
                .toList();
    }

    public record Change(String description, Boolean anonymousRead) {}

    /** @param diff what the save changed, with the values before and after (for the audit trail) */
    public record Saved(Repository repository, boolean created, RepositoryDiff diff) {}

    /**
     * Decides, under the lock that the write holds, whether a change may be made; refuses by
     * throwing ({@code CofferException}). Deciding here rather than before the call means that
     * what is decided on (does the repository exist, is it already public) is what gets changed.
     */
    @FunctionalInterface
    public interface Approval {
        /** No check: for the operator's own tools (the CLI), which act with the database's authority. */
        Approval ANY = diff -> {};

        void approve(RepositoryDiff diff);
    }

    /** Creates, or updates the given fields (null = keep current value), without an approval. */
    public Saved put(String name, Change change) {
        return put(name, change, Approval.ANY);
    }

    /** Creates, or updates the given fields (null = keep current value), if {@code approval} lets it. */
    public synchronized Saved put(String name, Change change, Approval approval) {
        Objects.requireNonNull(approval, "approval");
        if (!isValidName(name)) {
            throw CofferException.invalid(
                    "name_invalid",
                    "repository names are 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        long now = clock.millis();
        Repository current = store.find(name).orElse(null);
        Repository next;
        if (current == null) {
            next = new Repository(
                    name,
                    change.description() == null ? "" : change.description(),
                    Boolean.TRUE.equals(change.anonymousRead()),
                    now,
                    now);
        } else {
            next = new Repository(
                    name,
                    change.description() == null ? current.description() : change.description(),
                    change.anonymousRead() == null ? current.anonymousRead() : change.anonymousRead(),
                    current.createdAt(),
                    now);
        }
        RepositoryDiff diff = new RepositoryDiff(current, next);
        approval.approve(diff);
        store.upsert(next);
        byName.put(name, next);
        invalidation.publish(new Invalidation.RepositoryChanged(name));
        return new Saved(next, current == null, diff);
    }

    /** Deletes the repository; the store also removes it from every permission target (its grants go with it). */
    public synchronized boolean delete(String name) {
        boolean deleted = store.delete(name);
        byName.remove(name);
        if (deleted) {
            invalidation.publish(new Invalidation.PermissionsChanged());
        }
        invalidation.publish(new Invalidation.RepositoryChanged(name));
        return deleted;
    }
}
