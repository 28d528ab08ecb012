package dev.coffer.persistence;

import dev.coffer.artifact.ArtifactStore;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.Checksums;
import dev.coffer.common.ArtifactPath;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

public final class JdbcArtifactStore implements ArtifactStore {
    private static final String COLS =
            "repo, path, size, sha256, sha1, md5, created_at, updated_at, created_by, modified_by";
    private final Jdbc jdbc;

    public JdbcArtifactStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    private static FileRecord map(ResultSet rs) throws SQLException {
        return new FileRecord(rs.getString(1), ArtifactPath.of(rs.getString(2)), rs.getLong(3),
                new Checksums(rs.getString(4), rs.getString(5), rs.getString(6)), rs.getLong(7), rs.getLong(8),
                rs.getString(9), rs.getString(10));
    }

    /**
     * "Below a folder" as a portable SQL test: substr counts characters (code points) on both
     * SQLite and PostgreSQL, unlike LIKE (case-insensitive on SQLite) or range scans (collation-bound).
     */
    private static String prefix(ArtifactPath folder) {
        return folder.isRoot() ? "" : folder + "/";
    }

    @Override
    public Optional<FileRecord> find(String repo, ArtifactPath path) {
        return jdbc.queryOne("SELECT " + COLS + " FROM files WHERE repo = ? AND path = ?", JdbcArtifactStore::map,
                repo, path.toString());
    }

    @Override
    public Optional<FileRecord> upsert(FileRecord f, Map<String, List<String>> properties) {
        return jdbc.inTransaction(() -> {
            Optional<FileRecord> previous = find(f.repo(), f.path());
            jdbc.update("INSERT INTO files (" + COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (repo, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, "
                    + "sha1 = excluded.sha1, md5 = excluded.md5, updated_at = excluded.updated_at, "
                    + "modified_by = excluded.modified_by",
                    f.repo(), f.path().toString(), f.size(), f.checksums().sha256(), f.checksums().sha1(),
                    f.checksums().md5(), f.createdAt(), f.updatedAt(), f.createdBy(), f.modifiedBy());
            setProperties(f.repo(), f.path(), properties);
            return previous;
        });
    }

    @Override
    public List<FileRecord> listBelow(String repo, ArtifactPath folder) {
        String p = prefix(folder);
        if (p.isEmpty()) {
            return jdbc.query("SELECT " + COLS + " FROM files WHERE repo = ? ORDER BY path", JdbcArtifactStore::map,
                    repo);
        }
        return jdbc.query("SELECT " + COLS + " FROM files WHERE repo = ? AND substr(path, 1, ?) = ? ORDER BY path",
                JdbcArtifactStore::map, repo, p.codePointCount(0, p.length()), p);
    }

    @Override
    public boolean hasFilesBelow(String repo, ArtifactPath folder) {
        String p = prefix(folder);
        if (p.isEmpty()) {
            return jdbc.queryOne("SELECT 1 FROM files WHERE repo = ? LIMIT 1", rs -> 1, repo).isPresent();
        }
        return jdbc.queryOne("SELECT 1 FROM files WHERE repo = ? AND substr(path, 1, ?) = ? LIMIT 1", rs -> 1, repo,
                p.codePointCount(0, p.length()), p).isPresent();
    }

    @Override
    public List<FileRecord> deleteSubtree(String repo, ArtifactPath path) {
        return jdbc.inTransaction(() -> {
            List<FileRecord> victims = new ArrayList<>();
            find(repo, path).ifPresent(victims::add);
            victims.addAll(listBelow(repo, path));
            for (FileRecord f : victims) {
                jdbc.update("DELETE FROM properties WHERE repo = ? AND path = ?", repo, f.path().toString());
                jdbc.update("DELETE FROM files WHERE repo = ? AND path = ?", repo, f.path().toString());
            }
            return victims;
        });
    }

    @Override
    public Map<String, List<String>> properties(String repo, ArtifactPath path) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String[] kv : jdbc.query("SELECT name, value FROM properties WHERE repo = ? AND path = ? ORDER BY name, value",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, repo, path.toString())) {
            out.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
        }
        return out;
    }

    @Override
    public void setProperties(String repo, ArtifactPath path, Map<String, List<String>> properties) {
        if (properties.isEmpty()) {
            return;
        }
        jdbc.inTransaction(() -> {
            for (Map.Entry<String, List<String>> e : properties.entrySet()) {
                jdbc.update("DELETE FROM properties WHERE repo = ? AND path = ? AND name = ?", repo, path.toString(),
                        e.getKey());
                for (String v : new java.util.LinkedHashSet<>(e.getValue())) {
                    jdbc.update("INSERT INTO properties (repo, path, name, value) VALUES (?, ?, ?, ?)", repo,
                            path.toString(), e.getKey(), v);
                }
            }
            return null;
        });
    }

    @Override
    public void deleteProperties(String repo, ArtifactPath path, Set<String> names) {
        jdbc.inTransaction(() -> {
            for (String n : names) {
                jdbc.update("DELETE FROM properties WHERE repo = ? AND path = ? AND name = ?", repo, path.toString(), n);
            }
            return null;
        });
    }

    @Override
    public boolean isReferenced(String sha256) {
        return jdbc.queryOne("SELECT 1 FROM files WHERE sha256 = ? LIMIT 1", rs -> 1, sha256).isPresent();
    }

    @Override
    public List<FileRecord> findByProperties(Map<String, String> required) {
        if (required.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLS.replaceAll("(\\w+)", "f.$1") + " FROM files f WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        for (Map.Entry<String, String> e : required.entrySet()) {
            sql.append(" AND EXISTS (SELECT 1 FROM properties p WHERE p.repo = f.repo AND p.path = f.path "
                    + "AND p.name = ? AND p.value = ?)");
            args.add(e.getKey());
            args.add(e.getValue());
        }
        sql.append(" ORDER BY f.repo, f.path");
        return jdbc.query(sql.toString(), JdbcArtifactStore::map, args.toArray());
    }
}
