package dev.coffer.persistence;

import dev.coffer.testing.PostgresServer;

/** The grant-reference contract on a real PostgreSQL, where concurrent transactions really overlap. */
final class PostgresGrantReferencesTest extends GrantReferencesContract {
    @Override
    protected Database openDatabase() {
        PostgresServer.Db db = PostgresServer.assumeAvailable().createDatabase("grants");
        return Database.postgres(db.url(), db.user(), db.password(), 4);
    }
}
