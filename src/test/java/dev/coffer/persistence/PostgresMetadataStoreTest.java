package dev.coffer.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.repository.Repository;
import dev.coffer.testing.PostgresServer;
import org.junit.jupiter.api.Test;

/**
 * The metadata store contract on a real PostgreSQL (a fresh database with an en-US default
 * collation in the test cluster), plus what only a server database can do: go away and come back.
 */
final class PostgresMetadataStoreTest extends MetadataStoreContract {
    @Override
    protected Database openDatabase() {
        PostgresServer.Db db = PostgresServer.assumeAvailable().createDatabase("metadata");
        return Database.postgres(db.url(), db.user(), db.password(), 4);
    }

    @Test
    void aStoppedServerIsUnavailableNotAbsentAndTheStoresRecoverWhenItIsBack() {
        repositories.upsert(new Repository("libs", null, false, 1, 1));
        PostgresServer pg = PostgresServer.shared();

        pg.stop();
        try {
            CofferException e = catchThrowableOfType(CofferException.class, () -> repositories.find("libs"));
            assertThat(e).isNotNull();
            assertThat(e.failure()).isInstanceOf(Failure.Unavailable.class);
        } finally {
            pg.start();
        }

        // The pool reconnects with a back-off of up to a few seconds, so recovery is polled for
        // (a slow machine needed more than one pool timeout); until then the answer stays 503.
        long deadline = System.nanoTime() + 30_000_000_000L;
        java.util.Optional<Repository> found = java.util.Optional.empty();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            try {
                found = repositories.find("libs");
            } catch (CofferException e) {
                assertThat(e.failure()).isInstanceOf(Failure.Unavailable.class);
            }
        }
        assertThat(found).as("the repository once PostgreSQL is back").isPresent();
    }
}
