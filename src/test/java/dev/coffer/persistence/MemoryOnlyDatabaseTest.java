package dev.coffer.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.common.MemoryOnly;
import dev.coffer.identity.PasswordHasher;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where work may not wait, the database and the password hasher refuse before doing anything. */
class MemoryOnlyDatabaseTest {
    @Test
    void queriesUpdatesAndTransactionsRefuseAndChangeNothing(@TempDir Path dir) throws Exception {
        try (Database db = Database.sqlite(dir.resolve("coffer.db"))) {
            Jdbc jdbc = new Jdbc(db.dataSource());
            jdbc.update("INSERT INTO repositories (name, description, anonymous_read, created_at, updated_at) "
                    + "VALUES ('libs', '', 0, 1, 1)");

            assertThatThrownBy(() -> MemoryOnly.call(() -> jdbc.update("DELETE FROM repositories")))
                    .isInstanceOf(MemoryOnly.WouldWait.class);
            assertThatThrownBy(() ->
                            MemoryOnly.call(() -> jdbc.query("SELECT name FROM repositories", rs -> rs.getString(1))))
                    .isInstanceOf(MemoryOnly.WouldWait.class);
            assertThatThrownBy(() -> MemoryOnly.call(() -> jdbc.inTransaction(() -> 1)))
                    .isInstanceOf(MemoryOnly.WouldWait.class);

            assertThat(jdbc.query("SELECT name FROM repositories", rs -> rs.getString(1)))
                    .containsExactly("libs");
        }
    }

    @Test
    void aPasswordIsNeitherHashedNorCheckedWhereNothingMayWait() {
        PasswordHasher hasher = new PasswordHasher();
        String stored = hasher.hash("correct horse");
        assertThatThrownBy(() -> MemoryOnly.call(() -> hasher.verify("correct horse", stored)))
                .isInstanceOf(MemoryOnly.WouldWait.class);
        assertThatThrownBy(() -> MemoryOnly.call(() -> hasher.hash("x"))).isInstanceOf(MemoryOnly.WouldWait.class);
        assertThat(hasher.verify("correct horse", stored)).isTrue();
    }
}
