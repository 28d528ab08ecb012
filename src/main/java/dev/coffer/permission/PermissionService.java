package dev.coffer.permission;

import dev.coffer.authz.PermissionIndex;
import dev.coffer.authz.PermissionTarget;
import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Invalidation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Permission targets. Every request is decided against one immutable {@link PermissionIndex};
 * each change (here or, via the invalidation events, on another node) rebuilds it and swaps it
 * in, so a removed right applies to the next request.
 *
 * <p>Targets name users, groups and repositories, and a name always means the one that exists
 * now: {@link #put} refuses names that do not exist, and deleting a user, group or repository
 * removes it from every target (in the store, in the delete's transaction).
 */
public final class PermissionService {
    private static final Logger LOG = LoggerFactory.getLogger(PermissionService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    /** Unknown names listed in one error message; the rest are counted. */
    private static final int MAX_LISTED = 20;

    private final PermissionTargetStore store;
    private final Clock clock;
    private final Invalidation invalidation;
    private volatile PermissionIndex index;

    public PermissionService(PermissionTargetStore store, Clock clock, Invalidation invalidation) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.invalidation = Objects.requireNonNull(invalidation);
        reload();
        invalidation.subscribe(e -> {
            if (e instanceof Invalidation.PermissionsChanged || e instanceof Invalidation.Everything) {
                reload();
            }
        });
    }

    /**
     * One at a time: a change of this node's own targets and a user's delete on another thread
     * (which rewrites targets too) each reload after committing, and without the lock the reload
     * that read first could be swapped in last, bringing back a removed grant until the next change.
     */
    public synchronized void reload() {
        index = PermissionIndex.of(store.list());
    }

    public PermissionIndex index() {
        return index;
    }

    public List<PermissionTarget> list() {
        return index.targets().stream()
                .sorted(Comparator.comparing(PermissionTarget::name))
                .toList();
    }

    public Optional<PermissionTarget> find(String name) {
        return store.find(name);
    }

    /**
     * Returns true when created. Every user, group and repository the target names must exist
     * ({@code "*"} is every repository): a rule for one that does not would be armed for whoever
     * is later created under that name, so it is refused (400 {@code permission_invalid}, naming
     * each) and nothing changes.
     */
    public synchronized boolean put(PermissionTarget target) {
        if (!NAME.matcher(target.name()).matches()) {
            throw CofferException.invalid(
                    "name_invalid",
                    "permission target names are 1-64 characters of letters, digits, '.', '_', '@' or '-'");
        }
        PermissionTargetStore.Saved saved = store.save(target, clock.millis());
        if (saved instanceof PermissionTargetStore.Refused refused) {
            throw CofferException.invalid("permission_invalid", unknownNames(refused.unknown()));
        }
        invalidation.publish(new Invalidation.PermissionsChanged());
        return ((PermissionTargetStore.Written) saved).created();
    }

    /**
     * Creates or changes the target {@code name} as {@code change} says, given the current one
     * (empty when there is none), under the lock of every change: two updates of different fields
     * of one target do not undo each other. Returns true when created.
     */
    public synchronized boolean put(String name, Function<Optional<PermissionTarget>, PermissionTarget> change) {
        return put(change.apply(store.find(name)));
    }

    private static String unknownNames(List<PermissionTargetStore.Reference> unknown) {
        List<String> shown =
                unknown.stream().limit(MAX_LISTED).map(r -> "unknown " + r).toList();
        return "a permission target may name only users, groups and repositories that exist: "
                + String.join(", ", shown)
                + (unknown.size() > MAX_LISTED ? " and " + (unknown.size() - MAX_LISTED) + " more" : "");
    }

    /**
     * Removes from every target the names of users, groups and repositories that do not exist: a
     * database written before names were checked may hold a deleted user's grants, which the next
     * account of that name would otherwise receive. Run when the database is opened; after the
     * first run there is nothing to find (deletes take their names with them), so it only reads.
     */
    public synchronized List<PermissionTargetStore.Change> removeUnknownNames() {
        List<PermissionTargetStore.Reference> named = new ArrayList<>();
        index.targets().forEach(t -> named.addAll(TargetReferences.of(t)));
        if (store.unknown(named).isEmpty()) {
            return List.of();
        }
        List<PermissionTargetStore.Change> changes = store.removeUnknown();
        for (PermissionTargetStore.Change c : changes) {
            LOG.warn(
                    "{}: it named what does not exist (written by an older version, which kept the grants of "
                            + "deleted users, groups and repositories; a new one of that name must be granted anew)",
                    c);
        }
        invalidation.publish(new Invalidation.PermissionsChanged());
        return changes;
    }

    public synchronized boolean delete(String name) {
        boolean deleted = store.delete(name);
        invalidation.publish(new Invalidation.PermissionsChanged());
        return deleted;
    }
}
