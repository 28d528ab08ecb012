package dev.coffer.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.repository.PackageType;
import dev.coffer.repository.PathFilter;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryClass;
import dev.coffer.testing.OldDatabase;
import dev.coffer.testing.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database from before repository classes (schema version 6) is brought up to date on open, on
 * SQLite and on PostgreSQL: every repository in it is then a generic, local one that serves every
 * path, with its description, switch and times as they were.
 */
class RepositoryUpgradeTest {
    @TempDir
    Path tmp;

    private static void assertUpgraded(Database db) {
        JdbcRepositoryStore store = new JdbcRepositoryStore(new Jdbc(db.dataSource()));
        List<Repository> all = store.list();
        assertThat(all)
                .containsExactly(
                        new Repository("libs", "Libraries", false, 10, 20), new Repository("pub", null, true, 30, 40));
        for (Repository r : all) {
            assertThat(r.packageType()).isEqualTo(PackageType.GENERIC);
            assertThat(r.rclass()).isEqualTo(RepositoryClass.LOCAL);
            assertThat(r.filter()).isEqualTo(PathFilter.ALL);
            assertThat(r.remote()).isNull();
            assertThat(r.virtual()).isNull();
        }
    }

    @Test
    void anEmbeddedDatabaseOfTheVersionBefore() throws Exception {
        Path file = tmp.resolve("coffer.db");
        OldDatabase.sqlite(file);

        try (Database db = Database.sqlite(file)) {
            assertUpgraded(db);
        }
    }

    @Test
    void aPostgresDatabaseOfTheVersionBefore() throws Exception {
        PostgresServer.Db pg = PostgresServer.assumeAvailable().createDatabase("upgrade");
        org.postgresql.ds.PGSimpleDataSource old = new org.postgresql.ds.PGSimpleDataSource();
        old.setUrl(pg.url());
        old.setUser(pg.user());
        old.setPassword(pg.password());
        OldDatabase.beforeRepositoryClasses(
                old, OldDatabase.POSTGRES_ID, "classpath:db/migration", "classpath:db/postgresql");

        try (Database db = Database.postgres(pg.url(), pg.user(), pg.password(), 2)) {
            assertUpgraded(db);
        }
    }
}
