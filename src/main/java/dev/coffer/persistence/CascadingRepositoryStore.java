package dev.coffer.persistence;

import dev.coffer.permission.PermissionTargetStore.Kind;
import dev.coffer.permission.PermissionTargetStore.Reference;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The repository table with the cascade that no foreign key can do: deleting a repository also
 * removes it from every permission target in the same transaction, and deletes a target that
 * named no other repository, so a repository created later under the same name starts with no
 * grants. The wrapped store's delete joins this transaction ({@link Jdbc#inTransaction} nests).
 */
public final class CascadingRepositoryStore implements RepositoryStore {
    private final RepositoryStore rows;
    private final JdbcPermissionTargetStore targets;

    public CascadingRepositoryStore(RepositoryStore rows, JdbcPermissionTargetStore targets) {
        this.rows = Objects.requireNonNull(rows);
        this.targets = Objects.requireNonNull(targets);
    }

    @Override
    public Optional<Repository> find(String name) {
        return rows.find(name);
    }

    @Override
    public List<Repository> list() {
        return rows.list();
    }

    @Override
    public void upsert(Repository repository) {
        rows.upsert(repository);
    }

    @Override
    public boolean delete(String name) {
        return targets.deleteWithGrants(new Reference(Kind.REPOSITORY, name), () -> rows.delete(name));
    }
}
