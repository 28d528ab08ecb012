package dev.coffer.repository;

import java.util.List;
import java.util.Optional;

public interface RepositoryStore {
    Optional<Repository> find(String name);

    List<Repository> list();

    /** Inserts or updates by name. */
    void upsert(Repository repository);

    boolean delete(String name);
}
