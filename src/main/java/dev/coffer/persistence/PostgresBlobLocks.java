package dev.coffer.persistence;

import dev.coffer.artifact.BlobLocks;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Blob locks for several nodes: a PostgreSQL transaction-scoped advisory lock keyed by the blob's
 * hash. The work runs inside that transaction, so the metadata it reads and writes through the
 * same {@link Jdbc} commits before the lock is released. The in-memory stripe in front keeps
 * same-node contention off the database.
 *
 * <p>Lock order: a blob lock comes before any path lock ({@link PathLocks}): an upload takes its
 * path's locks inside this transaction, after the blob's, and nothing takes a blob lock while it
 * holds path locks (a delete collects blobs after its transaction ended). Blob keys are single
 * {@code bigint}s and path keys {@code (int, int)} pairs, two key spaces that never meet.
 */
public final class PostgresBlobLocks implements BlobLocks {
    private final Jdbc jdbc;
    private final BlobLocks local = BlobLocks.local();

    public PostgresBlobLocks(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    @Override
    public <T> T locked(String sha256, Supplier<T> work) {
        long key = Long.parseUnsignedLong(sha256.substring(0, 16), 16);
        return local.locked(
                sha256,
                () -> jdbc.inTransaction(() -> {
                    jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> null, key);
                    return work.get();
                }));
    }
}
