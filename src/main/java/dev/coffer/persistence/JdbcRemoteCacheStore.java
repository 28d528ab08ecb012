package dev.coffer.persistence;

import dev.coffer.common.ArtifactPath;
import dev.coffer.remote.CacheState;
import dev.coffer.remote.CacheStateStore;
import dev.coffer.remote.Validators;
import java.util.Objects;
import java.util.Optional;

/** Remote repositories' cache states (table remote_cache, V8), on SQLite and PostgreSQL alike. */
public final class JdbcRemoteCacheStore implements CacheStateStore {
    private final Jdbc jdbc;

    public JdbcRemoteCacheStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    @Override
    public Optional<CacheState> find(String repo, ArtifactPath path) {
        return jdbc.queryOne(
                "SELECT fetched_at, checked_at, etag, last_modified FROM remote_cache WHERE repo = ? AND path = ?",
                rs -> new CacheState(
                        repo, path, rs.getLong(1), rs.getLong(2), new Validators(rs.getString(3), rs.getString(4))),
                repo,
                path.toString());
    }

    @Override
    public void save(CacheState s) {
        // only for a file that is there: a delete that came in between has the last word
        jdbc.update(
                "INSERT INTO remote_cache (repo, path, fetched_at, checked_at, etag, last_modified) "
                        + "SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM files WHERE repo = ? AND path = ?) "
                        + "ON CONFLICT (repo, path) DO UPDATE SET fetched_at = excluded.fetched_at, "
                        + "checked_at = excluded.checked_at, etag = excluded.etag, "
                        + "last_modified = excluded.last_modified",
                s.repo(),
                s.path().toString(),
                s.fetchedAt(),
                s.checkedAt(),
                s.validators().etag(),
                s.validators().lastModified(),
                s.repo(),
                s.path().toString());
    }

    @Override
    public boolean checked(String repo, ArtifactPath path, long at) {
        return jdbc.update(
                        "UPDATE remote_cache SET checked_at = ? WHERE repo = ? AND path = ?", at, repo, path.toString())
                > 0;
    }

    @Override
    public Usage usage(String repo) {
        return jdbc.queryOne(
                        "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM files WHERE repo = ?",
                        rs -> new Usage(rs.getLong(1), rs.getLong(2)),
                        repo)
                .orElse(new Usage(0, 0));
    }
}
