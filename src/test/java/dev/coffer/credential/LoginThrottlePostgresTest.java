package dev.coffer.credential;

import dev.coffer.persistence.Database;
import dev.coffer.testing.PostgresServer;

/**
 * The same rules on PostgreSQL, where each node has its own connection pool on one database: the
 * reservations of parallel attempts on two nodes are serialised by the database, not by a lock in
 * memory.
 */
final class LoginThrottlePostgresTest extends LoginThrottleTest {
    private PostgresServer.Db db;

    @Override
    protected Database openDatabase() {
        if (db == null) {
            db = PostgresServer.assumeAvailable().createDatabase("lockout");
        }
        return Database.postgres(db.url(), db.user(), db.password(), 4);
    }
}
