package dev.coffer.persistence;

import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

public final class JdbcRepositoryStore implements RepositoryStore {
    private static final String COLS = "name, description, anonymous_read, created_at, updated_at";
    private final Jdbc jdbc;

    public JdbcRepositoryStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    private static Repository map(ResultSet rs) throws SQLException {
        return new Repository(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4), rs.getLong(5));
    }

    @Override
    public Optional<Repository> find(String name) {
        return jdbc.queryOne("SELECT " + COLS + " FROM repositories WHERE name = ?", JdbcRepositoryStore::map, name);
    }

    @Override
    public List<Repository> list() {
        return jdbc.query("SELECT " + COLS + " FROM repositories ORDER BY name", JdbcRepositoryStore::map);
    }

    @Override
    public void upsert(Repository r) {
        jdbc.update(
                "INSERT INTO repositories (" + COLS + ") VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET description = excluded.description, "
                        + "anonymous_read = excluded.anonymous_read, updated_at = excluded.updated_at",
                r.name(),
                r.description(),
                r.anonymousRead(),
                r.createdAt(),
                r.updatedAt());
    }

    @Override
    public boolean delete(String name) {
        return jdbc.inTransaction(() -> {
            // properties and files go first: not every database cascades through two levels
            jdbc.update("DELETE FROM properties WHERE repo = ?", name);
            jdbc.update("DELETE FROM files WHERE repo = ?", name);
            return jdbc.update("DELETE FROM repositories WHERE name = ?", name) > 0;
        });
    }
}
