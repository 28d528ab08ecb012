package dev.coffer.repository;

import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Invalidation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Repositories are few and read on every request, so they are held in memory; every change goes
 * through here, writes the store first and then the map. What a repository may be is decided by
 * {@link RepositoryRules}; upstream passwords are sealed with the {@link SecretBox} on the way in
 * and opened only for the upstream ({@link #upstreamPassword}).
 */
public final class RepositoryService {

    private final RepositoryStore store;
    private final Clock clock;
    private final Invalidation invalidation;
    private final SecretBox secrets;
    private final RepositoryRules rules;
    private final Map<String, Repository> byName = new ConcurrentHashMap<>();

    /** Without a secrets key: upstream passwords cannot be stored (for tools and tests that need none). */
    public RepositoryService(RepositoryStore store, Clock clock, Invalidation invalidation) {
        this(store, clock, invalidation, null);
    }

    public RepositoryService(RepositoryStore store, Clock clock, Invalidation invalidation, SecretBox secrets) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.invalidation = Objects.requireNonNull(invalidation);
        this.secrets = secrets;
        // members are looked up in the store, under the write's lock: what is decided on is what is there
        this.rules = new RepositoryRules(store::find, secrets);
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

    /**
     * What a create or update asks for, as a client wrote it (API.md §3, §9): a null field keeps
     * the current value (on creation: the default). {@code packageType} and {@code rclass} are
     * text, so that {@link RepositoryRules} refuses an unknown one with the list of known ones
     * whichever entry point it came through. {@code password} is the plain upstream password, sealed
     * here; {@code ""} removes the stored one, as it does for {@code username} and
     * {@code defaultDeployRepo}. {@code members} are the virtual repository's {@code repositories}.
     */
    public record Change(
            String description,
            Boolean anonymousRead,
            String packageType,
            String rclass,
            List<String> includePatterns,
            List<String> excludePatterns,
            String url,
            String username,
            String password,
            Long cacheSeconds,
            Boolean offline,
            List<String> members,
            String defaultDeployRepo) {

        public Change {
            includePatterns = copy(includePatterns);
            excludePatterns = copy(excludePatterns);
            members = copy(members);
        }

        /** A change of the settings every repository has, as before classes existed. */
        public Change(String description, Boolean anonymousRead) {
            this(description, anonymousRead, null, null, null, null, null, null, null, null, null, null, null);
        }

        public static ChangeBuilder builder() {
            return new ChangeBuilder();
        }

        /** Redacted: the generated toString would print the password. */
        @Override
        public String toString() {
            return "Change[packageType=" + packageType + ", rclass=" + rclass + ", url=" + url + ", password="
                    + (password == null ? "kept" : password.isEmpty() ? "removed" : "given") + "]";
        }

        private static List<String> copy(List<String> l) {
            return l == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(l));
        }
    }

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
        Repository next = rules.next(name, current, change, now);
        RepositoryDiff diff = new RepositoryDiff(current, next);
        approval.approve(diff);
        // after the approval: whoever may not read a member must not learn here whether it exists
        rules.checkMembers(next);
        store.upsert(next);
        byName.put(name, next);
        invalidation.publish(new Invalidation.RepositoryChanged(name));
        return new Saved(next, current == null, diff);
    }

    /**
     * Deletes the repository; the store also removes it from every permission target (its grants go
     * with it). A member of a virtual repository is not deleted: 409 {@code repository_in_use}
     * naming the virtual repositories, decided on the store's list under this lock.
     */
    public synchronized boolean delete(String name) {
        List<String> usedBy = store.list().stream()
                .filter(r -> r.virtual() != null && r.virtual().members().contains(name))
                .map(Repository::name)
                .toList();
        if (!usedBy.isEmpty()) {
            throw CofferException.conflict(
                    "repository_in_use",
                    "repository '" + name + "' is a member of the virtual repositor"
                            + (usedBy.size() == 1 ? "y" : "ies")
                            + " '" + String.join("', '", usedBy) + "'; remove it from "
                            + (usedBy.size() == 1 ? "it" : "them") + " first");
        }
        boolean deleted = store.delete(name);
        byName.remove(name);
        if (deleted) {
            invalidation.publish(new Invalidation.PermissionsChanged());
        }
        invalidation.publish(new Invalidation.RepositoryChanged(name));
        return deleted;
    }

    /**
     * The upstream password of a remote repository, opened for the one use that needs it: a
     * request to the upstream. Empty when none is stored; 503 {@code secret_unreadable} when the
     * stored one does not open with this key.
     */
    public Optional<String> upstreamPassword(Repository repository) {
        RemoteSettings r = repository.remote();
        if (r == null || r.sealedPassword() == null) {
            return Optional.empty();
        }
        if (secrets == null) {
            throw new IllegalStateException("no secrets key: this service cannot open upstream passwords");
        }
        return Optional.of(secrets.open(r.sealedPassword(), repository.name()));
    }

    /** Remote repositories whose stored password does not open with this key (names only; checked at start). */
    public List<String> unreadablePasswords() {
        List<String> out = new ArrayList<>();
        for (Repository r : store.list()) {
            RemoteSettings remote = r.remote();
            if (remote != null
                    && remote.sealedPassword() != null
                    && (secrets == null || !secrets.opens(remote.sealedPassword(), r.name()))) {
                out.add(r.name());
            }
        }
        return out;
    }
}
