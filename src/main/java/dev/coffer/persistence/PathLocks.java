package dev.coffer.persistence;

import dev.coffer.common.ArtifactPath;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Transaction-scoped locks on a {@code (repo, path)}: shared on each ancestor folder, the root
 * included, and exclusive on the path itself, taken from the root to the leaf. Two operations
 * wait for each other exactly when one's path is the other's path or one of its ancestors
 * ({@code PUT x} and {@code PUT x/y}; {@code DELETE x} and {@code PUT x/y}); unrelated paths, and
 * siblings, do not.
 *
 * <p>PostgreSQL (several nodes on one database): advisory locks whose keys are a 64-bit hash of
 * {@code repo NUL path}, in the two-key space ({@code int, int}) so that they never meet the
 * blob locks ({@link PostgresBlobLocks}, one {@code bigint} key). Every lock of one operation is
 * taken in the same order (shallowest first) and the only other lock ever held with them, a blob
 * lock, is always taken before them (an upload commits its blob, then its path; a delete releases
 * its paths before it collects blobs), so no cycle can form. A hash collision only makes two
 * unrelated paths wait for each other.
 *
 * <p>SQLite: nothing to take. Its transactions begin IMMEDIATE ({@link Database#sqlite}), which
 * takes the database's single write lock before the first read, so one writing transaction at a
 * time already decides and writes with no other in between.
 */
final class PathLocks {
    private final Jdbc jdbc;

    PathLocks(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    /** Runs {@code work} in one transaction (or the caller's) that holds the locks of {@code (repo, path)}. */
    <T> T locked(String repo, ArtifactPath path, Jdbc.Work<T> work) {
        return jdbc.inTransaction(() -> {
            if (jdbc.isPostgres()) {
                lockAncestorsAndPath(repo, path);
            }
            return work.run();
        });
    }

    private void lockAncestorsAndPath(String repo, ArtifactPath path) {
        StringBuilder prefix = new StringBuilder();
        lock(repo, "", path.isRoot());
        for (int i = 0; i < path.depth(); i++) {
            if (i > 0) {
                prefix.append('/');
            }
            prefix.append(path.segments().get(i));
            lock(repo, prefix.toString(), i == path.depth() - 1);
        }
    }

    private void lock(String repo, String path, boolean exclusive) {
        long key = key(repo, path);
        jdbc.query(
                exclusive ? "SELECT pg_advisory_xact_lock(?, ?)" : "SELECT pg_advisory_xact_lock_shared(?, ?)",
                rs -> null,
                (int) (key >>> 32),
                (int) key);
    }

    /** The first 64 bits of SHA-256 over {@code repo NUL path}: NUL occurs in neither, so no two pairs share an input. */
    static long key(String repo, String path) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(repo.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(path.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(md.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
