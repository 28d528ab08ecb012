package dev.coffer.persistence;

import dev.coffer.repository.PackageType;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryClass;
import dev.coffer.repository.RepositoryStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The repositories table; class-specific settings are one JSON column ({@link RepositorySettingsJson}). */
public final class JdbcRepositoryStore implements RepositoryStore {
    private static final String COLS =
            "name, description, anonymous_read, created_at, updated_at, package_type, rclass, settings";
    private final Jdbc jdbc;

    public JdbcRepositoryStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    private static Repository map(ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        PackageType type = PackageType.parse(rs.getString(6)).orElseThrow(() -> unknown(name, "package type"));
        RepositoryClass rclass = RepositoryClass.parse(rs.getString(7)).orElseThrow(() -> unknown(name, "class"));
        RepositorySettingsJson.Decoded settings = RepositorySettingsJson.decode(name, rs.getString(8));
        return new Repository(
                name,
                rs.getString(2),
                rs.getBoolean(3),
                type,
                rclass,
                settings.filter(),
                settings.remote(),
                settings.virtual(),
                rs.getLong(4),
                rs.getLong(5));
    }

    private static IllegalStateException unknown(String repo, String what) {
        return new IllegalStateException("repository '" + repo + "' has a " + what
                + " this version of Coffer does not know; was the database written by a newer version?");
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
                "INSERT INTO repositories (" + COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET description = excluded.description, "
                        + "anonymous_read = excluded.anonymous_read, updated_at = excluded.updated_at, "
                        + "package_type = excluded.package_type, rclass = excluded.rclass, "
                        + "settings = excluded.settings",
                r.name(),
                r.description(),
                r.anonymousRead(),
                r.createdAt(),
                r.updatedAt(),
                r.packageType().json(),
                r.rclass().json(),
                RepositorySettingsJson.encode(r));
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
