package dev.coffer.persistence;

import dev.coffer.testing.PostgresServer;

/** The remote cache-state store on a real PostgreSQL (a fresh database in the test cluster). */
final class PostgresRemoteCacheStoreTest extends RemoteCacheStoreContract {
    @Override
    protected Database openDatabase() {
        PostgresServer.Db db = PostgresServer.assumeAvailable().createDatabase("remotecache");
        return Database.postgres(db.url(), db.user(), db.password(), 4);
    }
}
