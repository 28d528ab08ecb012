package dev.coffer.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The metadata store contract on the embedded SQLite database (a temporary file). */
final class SqliteMetadataStoreTest extends MetadataStoreContract {
    @Override
    protected Database openDatabase() {
        try {
            return Database.sqlite(Files.createTempDirectory("coffer-sqlite").resolve("coffer.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
