package dev.coffer.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.Checksums;
import dev.coffer.common.ArtifactPath;
import dev.coffer.remote.CacheState;
import dev.coffer.remote.CacheStateStore;
import dev.coffer.remote.Validators;
import dev.coffer.repository.Repository;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the remote repositories' cache-state store must do on every database: a state belongs to
 * a cached file (none without the file, gone with it, with its repository too), the check time
 * moves alone, and a repository's usage counts its files and bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RemoteCacheStoreContract {
    private static final ArtifactPath META = ArtifactPath.of("com/acme/lib/maven-metadata.xml");

    protected Database database;
    private JdbcRemoteCacheStore states;
    private JdbcArtifactStore files;
    private JdbcRepositoryStore repositories;

    protected abstract Database openDatabase();

    /** After the database is closed (a temporary folder to delete). */
    protected void afterClose() {}

    @BeforeAll
    void open() {
        database = openDatabase();
        Jdbc jdbc = new Jdbc(database.dataSource());
        states = new JdbcRemoteCacheStore(jdbc);
        files = new JdbcArtifactStore(jdbc);
        repositories = new JdbcRepositoryStore(jdbc);
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
        afterClose();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                Statement st = c.createStatement()) {
            for (String t : new String[] {"remote_cache", "properties", "files", "repositories"}) {
                st.executeUpdate("DELETE FROM " + t);
            }
        }
        repositories.upsert(new Repository("central", null, false, 1, 1));
    }

    private void file(ArtifactPath path, long size) {
        String seed = Long.toString(size);
        files.upsert(
                new FileRecord(
                        "central",
                        path,
                        size,
                        new Checksums("a".repeat(63) + seed.charAt(0), "b".repeat(40), "c".repeat(32)),
                        10,
                        20,
                        null,
                        null),
                Map.of());
    }

    @Test
    void aStateRoundTripsAndIsReplaced() {
        file(META, 5);
        states.save(new CacheState("central", META, 100, 100, new Validators("\"e1\"", "Tue, 01 Oct 2024")));
        assertThat(states.find("central", META))
                .contains(new CacheState("central", META, 100, 100, new Validators("\"e1\"", "Tue, 01 Oct 2024")));
        states.save(new CacheState("central", META, 200, 300, Validators.NONE));
        assertThat(states.find("central", META)).contains(new CacheState("central", META, 200, 300, Validators.NONE));
        assertThat(states.find("central", ArtifactPath.of("other"))).isEmpty();
        assertThat(states.find("CENTRAL", META)).isEmpty();
    }

    @Test
    void noStateWithoutItsFile() {
        states.save(new CacheState("central", META, 100, 100, Validators.NONE));
        assertThat(states.find("central", META)).isEmpty();
        assertThat(states.checked("central", META, 5)).isFalse();
    }

    @Test
    void theCheckTimeMovesAlone() {
        file(META, 5);
        states.save(new CacheState("central", META, 100, 100, new Validators("\"e1\"", null)));
        assertThat(states.checked("central", META, 900)).isTrue();
        assertThat(states.find("central", META))
                .contains(new CacheState("central", META, 100, 900, new Validators("\"e1\"", null)));
    }

    @Test
    void theStateGoesWithItsFileAndWithItsRepository() {
        file(META, 5);
        ArtifactPath jar = ArtifactPath.of("com/acme/lib/1.0/lib-1.0.jar");
        file(jar, 7);
        states.save(new CacheState("central", META, 1, 1, Validators.NONE));
        states.save(new CacheState("central", jar, 1, 1, Validators.NONE));

        files.deleteSubtree("central", META, f -> true);
        assertThat(states.find("central", META)).isEmpty();
        assertThat(states.find("central", jar)).isPresent();

        repositories.delete("central");
        assertThat(states.find("central", jar)).isEmpty();
    }

    @Test
    void usageCountsTheRepositorysFilesAndBytes() {
        assertThat(states.usage("central")).isEqualTo(new CacheStateStore.Usage(0, 0));
        file(META, 5);
        file(ArtifactPath.of("a/b.jar"), 7);
        assertThat(states.usage("central")).isEqualTo(new CacheStateStore.Usage(2, 12));
        assertThat(states.usage("nothing")).isEqualTo(new CacheStateStore.Usage(0, 0));
    }
}
