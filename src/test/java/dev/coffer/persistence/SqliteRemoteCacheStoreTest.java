package dev.coffer.persistence;

import dev.coffer.testing.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The remote cache-state store on the embedded SQLite database (a temporary file). */
final class SqliteRemoteCacheStoreTest extends RemoteCacheStoreContract {
    private Path dir;

    @Override
    protected Database openDatabase() {
        try {
            dir = Files.createTempDirectory("coffer-sqlite");
            return Database.sqlite(dir.resolve("coffer.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void afterClose() {
        Folders.delete(dir);
    }
}
