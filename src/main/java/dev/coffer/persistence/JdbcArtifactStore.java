package dev.coffer.persistence;

import dev.coffer.artifact.ArtifactStore;
import dev.coffer.artifact.Deletion;
import dev.coffer.artifact.FileRecord;
import dev.coffer.artifact.Placement;
import dev.coffer.blob.Checksums;
import dev.coffer.common.ArtifactPath;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

public final class JdbcArtifactStore implements ArtifactStore {
    private static final String COLS =
            "repo, path, size, sha256, sha1, md5, created_at, updated_at, created_by, modified_by";
    private final Jdbc jdbc;
    private final PathLocks locks;

    public JdbcArtifactStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
        this.locks = new PathLocks(jdbc);
    }

    private static FileRecord map(ResultSet rs) throws SQLException {
        return new FileRecord(
                rs.getString(1),
                ArtifactPath.of(rs.getString(2)),
                rs.getLong(3),
                new Checksums(rs.getString(4), rs.getString(5), rs.getString(6)),
                rs.getLong(7),
                rs.getLong(8),
                rs.getString(9),
                rs.getString(10));
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
        return jdbc.queryOne(
                "SELECT " + COLS + " FROM files WHERE repo = ? AND path = ?",
                JdbcArtifactStore::map,
                repo,
                path.toString());
    }

    @Override
    public Optional<FileRecord> upsert(FileRecord f, Map<String, List<String>> properties) {
        return jdbc.inTransaction(() -> {
            Optional<FileRecord> previous = find(f.repo(), f.path());
            write(f, properties);
            return previous;
        });
    }

    private void write(FileRecord f, Map<String, List<String>> properties) {
        jdbc.update(
                "INSERT INTO files (" + COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (repo, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, "
                        + "sha1 = excluded.sha1, md5 = excluded.md5, updated_at = excluded.updated_at, "
                        + "modified_by = excluded.modified_by",
                f.repo(),
                f.path().toString(),
                f.size(),
                f.checksums().sha256(),
                f.checksums().sha1(),
                f.checksums().md5(),
                f.createdAt(),
                f.updatedAt(),
                f.createdBy(),
                f.modifiedBy());
        writeProperties(f.repo(), f.path(), properties);
    }

    @Override
    public <T> T atomically(java.util.function.Supplier<T> work) {
        return jdbc.inTransaction(work::get);
    }

    @Override
    public Placement place(FileRecord f, Map<String, List<String>> properties, boolean mayOverwrite) {
        return locks.locked(f.repo(), f.path(), () -> {
            Here here = look(f.repo(), f.path(), mayOverwrite);
            if (here.refusal().isPresent()) {
                return here.refusal().get();
            }
            write(f, properties);
            FileRecord old = here.existing();
            FileRecord stored = old == null
                    ? f
                    : new FileRecord(
                            f.repo(),
                            f.path(),
                            f.size(),
                            f.checksums(),
                            old.createdAt(),
                            f.updatedAt(),
                            old.createdBy(),
                            f.modifiedBy());
            return new Placement.Placed(stored, Optional.ofNullable(old));
        });
    }

    @Override
    public Optional<Placement.Refused> refusal(String repo, ArtifactPath path, boolean mayOverwrite) {
        return look(repo, path, mayOverwrite).refusal();
    }

    /** The file at a path (or null) and why an upload there would be refused. */
    private record Here(FileRecord existing, Optional<Placement.Refused> refusal) {}

    private Here look(String repo, ArtifactPath path, boolean mayOverwrite) {
        if (path.isRoot()) {
            throw new IllegalArgumentException("the root of a repository is not a file path");
        }
        // the path and every ancestor in one query: any of them that is a file
        List<Object> args = new ArrayList<>();
        args.add(repo);
        StringBuilder in = new StringBuilder();
        for (ArtifactPath p = path; !p.isRoot(); p = p.parent()) {
            in.append(in.isEmpty() ? "?" : ", ?");
            args.add(p.toString());
        }
        Map<String, FileRecord> files = new HashMap<>();
        for (FileRecord f : jdbc.query(
                "SELECT " + COLS + " FROM files WHERE repo = ? AND path IN (" + in + ")",
                JdbcArtifactStore::map,
                args.toArray())) {
            files.put(f.path().toString(), f);
        }
        FileRecord existing = files.get(path.toString());
        if (existing == null && hasFilesBelow(repo, path)) {
            return refused(existing, Placement.Reason.PATH_IS_FOLDER, path);
        }
        for (ArtifactPath p = path.parent(); !p.isRoot(); p = p.parent()) {
            if (files.containsKey(p.toString())) {
                return refused(existing, Placement.Reason.PARENT_IS_FILE, p);
            }
        }
        if (existing != null && !mayOverwrite) {
            return refused(existing, Placement.Reason.EXISTS, path);
        }
        return new Here(existing, Optional.empty());
    }

    private static Here refused(FileRecord existing, Placement.Reason reason, ArtifactPath where) {
        return new Here(existing, Optional.of(new Placement.Refused(reason, where)));
    }

    @Override
    public List<FileRecord> listBelow(String repo, ArtifactPath folder) {
        String p = prefix(folder);
        if (p.isEmpty()) {
            return jdbc.query(
                    "SELECT " + COLS + " FROM files WHERE repo = ? ORDER BY path", JdbcArtifactStore::map, repo);
        }
        return jdbc.query(
                "SELECT " + COLS + " FROM files WHERE repo = ? AND substr(path, 1, ?) = ? ORDER BY path",
                JdbcArtifactStore::map,
                repo,
                p.codePointCount(0, p.length()),
                p);
    }

    @Override
    public boolean hasFilesBelow(String repo, ArtifactPath folder) {
        String p = prefix(folder);
        if (p.isEmpty()) {
            return jdbc.queryOne("SELECT 1 FROM files WHERE repo = ? LIMIT 1", rs -> 1, repo)
                    .isPresent();
        }
        return jdbc.queryOne(
                        "SELECT 1 FROM files WHERE repo = ? AND substr(path, 1, ?) = ? LIMIT 1",
                        rs -> 1,
                        repo,
                        p.codePointCount(0, p.length()),
                        p)
                .isPresent();
    }

    @Override
    public Deletion deleteSubtree(String repo, ArtifactPath path, Predicate<FileRecord> mayDelete) {
        return locks.locked(repo, path, () -> {
            List<FileRecord> victims = new ArrayList<>();
            if (!path.isRoot()) {
                find(repo, path).ifPresent(victims::add);
            }
            victims.addAll(listBelow(repo, path));
            for (FileRecord f : victims) {
                if (!mayDelete.test(f)) {
                    return new Deletion.Refused();
                }
            }
            // exactly the rows that were decided on, by key
            List<Object[]> keys = victims.stream()
                    .map(f -> new Object[] {repo, f.path().toString()})
                    .toList();
            jdbc.batch("DELETE FROM properties WHERE repo = ? AND path = ?", keys);
            jdbc.batch("DELETE FROM files WHERE repo = ? AND path = ?", keys);
            return new Deletion.Deleted(victims);
        });
    }

    @Override
    public Map<String, List<String>> properties(String repo, ArtifactPath path) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String[] kv : jdbc.query(
                "SELECT name, value FROM properties WHERE repo = ? AND path = ? ORDER BY name, value",
                rs -> new String[] {rs.getString(1), rs.getString(2)},
                repo,
                path.toString())) {
            out.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
        }
        return out;
    }

    @Override
    public boolean setProperties(String repo, ArtifactPath path, Map<String, List<String>> properties) {
        return locks.locked(repo, path, () -> {
            if (find(repo, path).isEmpty()) {
                return false;
            }
            writeProperties(repo, path, properties);
            return true;
        });
    }

    private void writeProperties(String repo, ArtifactPath path, Map<String, List<String>> properties) {
        for (Map.Entry<String, List<String>> e : properties.entrySet()) {
            jdbc.update(
                    "DELETE FROM properties WHERE repo = ? AND path = ? AND name = ?",
                    repo,
                    path.toString(),
                    e.getKey());
            for (String v : new java.util.LinkedHashSet<>(e.getValue())) {
                jdbc.update(
                        "INSERT INTO properties (repo, path, name, value) VALUES (?, ?, ?, ?)",
                        repo,
                        path.toString(),
                        e.getKey(),
                        v);
            }
        }
    }

    @Override
    public boolean deleteProperties(String repo, ArtifactPath path, Set<String> names) {
        return locks.locked(repo, path, () -> {
            if (find(repo, path).isEmpty()) {
                return false;
            }
            for (String n : names) {
                jdbc.update(
                        "DELETE FROM properties WHERE repo = ? AND path = ? AND name = ?", repo, path.toString(), n);
            }
            return true;
        });
    }

    @Override
    public boolean isReferenced(String sha256) {
        return jdbc.queryOne("SELECT 1 FROM files WHERE sha256 = ? LIMIT 1", rs -> 1, sha256)
                .isPresent();
    }

    @Override
    public List<FileRecord> findByProperties(Map<String, String> required) {
        if (required.isEmpty()) {
            return List.of();
        }
        StringBuilder sql =
                new StringBuilder("SELECT " + COLS.replaceAll("(\\w+)", "f.$1") + " FROM files f WHERE 1 = 1");
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
