package dev.coffer.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The store as a map; enough for the service, which keeps its own copy in memory. */
final class MapRepositoryStore implements RepositoryStore {
    final Map<String, Repository> rows = new TreeMap<>();

    @Override
    public synchronized Optional<Repository> find(String name) {
        return Optional.ofNullable(rows.get(name));
    }

    @Override
    public synchronized List<Repository> list() {
        return new ArrayList<>(rows.values());
    }

    @Override
    public synchronized void upsert(Repository repository) {
        rows.put(repository.name(), repository);
    }

    @Override
    public synchronized boolean delete(String name) {
        return rows.remove(name) != null;
    }
}
