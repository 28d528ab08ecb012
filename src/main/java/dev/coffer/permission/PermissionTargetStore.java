package dev.coffer.permission;

import dev.coffer.authz.PermissionTarget;
import java.util.List;
import java.util.Optional;

public interface PermissionTargetStore {
    List<PermissionTarget> list();

    Optional<PermissionTarget> find(String name);

    /** Inserts or replaces; returns true when it was created. */
    boolean upsert(PermissionTarget target, long now);

    boolean delete(String name);
}
