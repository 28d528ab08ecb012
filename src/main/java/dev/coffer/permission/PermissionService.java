package dev.coffer.permission;

import dev.coffer.authz.PermissionIndex;
import dev.coffer.authz.PermissionTarget;
import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Invalidation;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Permission targets. Every request is decided against one immutable {@link PermissionIndex};
 * each change (here or, via the invalidation events, on another node) rebuilds it and swaps it
 * in, so a removed right applies to the next request.
 */
public final class PermissionService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

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

    public void reload() {
        index = PermissionIndex.of(store.list());
    }

    public PermissionIndex index() {
        return index;
    }

    public List<PermissionTarget> list() {
        return index.targets().stream().sorted(Comparator.comparing(PermissionTarget::name)).toList();
    }

    public Optional<PermissionTarget> find(String name) {
        return store.find(name);
    }

    /** Returns true when created. */
    public synchronized boolean put(PermissionTarget target) {
        if (!NAME.matcher(target.name()).matches()) {
            throw CofferException.invalid("name_invalid",
                    "permission target names are 1-64 characters of letters, digits, '.', '_', '@' or '-'");
        }
        boolean created = store.upsert(target, clock.millis());
        invalidation.publish(new Invalidation.PermissionsChanged());
        return created;
    }

    public synchronized boolean delete(String name) {
        boolean deleted = store.delete(name);
        invalidation.publish(new Invalidation.PermissionsChanged());
        return deleted;
    }
}
