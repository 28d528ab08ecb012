package dev.coffer.persistence;

import dev.coffer.format.npm.NpmPackage;
import dev.coffer.format.npm.NpmStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** npm packages, versions and dist-tags (V9__npm.sql), on SQLite and PostgreSQL alike. */
public final class JdbcNpmStore implements NpmStore {
    private final Jdbc jdbc;

    /** @param jdbc the one the artifact store uses, so that their writes share a transaction */
    public JdbcNpmStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return jdbc.inTransaction(work::get);
    }

    @Override
    public Optional<Stamp> stamp(String repo, String name) {
        return jdbc.queryOne(
                "SELECT revision, created_at FROM npm_packages WHERE repo = ? AND package = ?",
                rs -> new Stamp(rs.getLong(1), rs.getLong(2)),
                repo,
                name);
    }

    @Override
    public Optional<NpmPackage> find(String repo, String name) {
        return jdbc.inTransaction(() -> {
            record Row(String description, String readme, long revision, long created, long modified) {}
            Optional<Row> row = jdbc.queryOne(
                    "SELECT description, readme, revision, created_at, modified_at FROM npm_packages "
                            + "WHERE repo = ? AND package = ?",
                    rs -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
                    repo,
                    name);
            if (row.isEmpty()) {
                return Optional.empty();
            }
            Map<String, NpmPackage.Version> versions = new LinkedHashMap<>();
            jdbc.query(
                            "SELECT version, manifest, tarball, published_at, published_by FROM npm_versions "
                                    + "WHERE repo = ? AND package = ? ORDER BY published_at, version",
                            rs -> new NpmPackage.Version(
                                    rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)),
                            repo,
                            name)
                    .forEach(v -> versions.put(v.version(), v));
            Map<String, String> tags = new LinkedHashMap<>();
            jdbc.query(
                            "SELECT tag, version FROM npm_dist_tags WHERE repo = ? AND package = ? ORDER BY tag",
                            rs -> new String[] {rs.getString(1), rs.getString(2)},
                            repo,
                            name)
                    .forEach(t -> tags.put(t[0], t[1]));
            Row r = row.get();
            return Optional.of(new NpmPackage(
                    repo, name, r.description(), r.readme(), r.revision(), r.created(), r.modified(), versions, tags));
        });
    }

    @Override
    public List<String> names(String repo) {
        return jdbc.query(
                "SELECT package FROM npm_packages WHERE repo = ? ORDER BY package", rs -> rs.getString(1), repo);
    }

    @Override
    public void touch(String repo, String name, String description, String readme, long now) {
        jdbc.update(
                "INSERT INTO npm_packages (repo, package, description, readme, revision, created_at, modified_at) "
                        + "VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (repo, package) DO UPDATE SET "
                        + "description = excluded.description, readme = excluded.readme, "
                        + "revision = npm_packages.revision + 1, modified_at = excluded.modified_at",
                repo,
                name,
                description,
                readme,
                now,
                now);
    }

    @Override
    public boolean touchIf(String repo, String name, long expected, long now) {
        return jdbc.update(
                        "UPDATE npm_packages SET revision = revision + 1, modified_at = ? "
                                + "WHERE repo = ? AND package = ? AND revision = ?",
                        now,
                        repo,
                        name,
                        expected)
                == 1;
    }

    @Override
    public boolean addVersion(String repo, String name, NpmPackage.Version v) {
        return jdbc.update(
                        "INSERT INTO npm_versions (repo, package, version, manifest, tarball, published_at, "
                                + "published_by) VALUES (?, ?, ?, ?, ?, ?, ?) "
                                + "ON CONFLICT (repo, package, version) DO NOTHING",
                        repo,
                        name,
                        v.version(),
                        v.manifest(),
                        v.tarball(),
                        v.publishedAt(),
                        v.publishedBy())
                == 1;
    }

    @Override
    public void replaceManifest(String repo, String name, String version, String manifest) {
        jdbc.update(
                "UPDATE npm_versions SET manifest = ? WHERE repo = ? AND package = ? AND version = ?",
                manifest,
                repo,
                name,
                version);
    }

    @Override
    public void removeVersion(String repo, String name, String version) {
        jdbc.update("DELETE FROM npm_versions WHERE repo = ? AND package = ? AND version = ?", repo, name, version);
    }

    @Override
    public void setTag(String repo, String name, String tag, String version) {
        jdbc.update(
                "INSERT INTO npm_dist_tags (repo, package, tag, version) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (repo, package, tag) DO UPDATE SET version = excluded.version",
                repo,
                name,
                tag,
                version);
    }

    @Override
    public void removeTag(String repo, String name, String tag) {
        jdbc.update("DELETE FROM npm_dist_tags WHERE repo = ? AND package = ? AND tag = ?", repo, name, tag);
    }

    @Override
    public void removePackage(String repo, String name) {
        // versions and tags go with it (ON DELETE CASCADE)
        jdbc.update("DELETE FROM npm_packages WHERE repo = ? AND package = ?", repo, name);
    }
}
