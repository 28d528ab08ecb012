package dev.coffer.bootstrap;

import dev.coffer.blob.BlobStore;
import dev.coffer.blob.fs.FsBlobStore;
import dev.coffer.blob.s3.S3BlobStore;
import dev.coffer.blob.s3.S3Connection;
import dev.coffer.config.Backends;
import dev.coffer.config.Settings;
import dev.coffer.persistence.Database;
import java.util.concurrent.Executor;

/**
 * The one place that picks the adapters behind the slices: the embedded database or PostgreSQL,
 * the file store or S3, from the settings. Used by the composition root ({@link Coffer}) and by
 * {@code coffer migrate}, which opens a target's store the same way.
 */
final class StorageBackends {
    private StorageBackends() {}

    /** The embedded SQLite database under the data folder, or PostgreSQL when database.url is set. */
    static Database database(Settings settings) {
        Backends.DatabaseSettings d = settings.backends().database();
        if (d.embedded()) {
            return Database.sqlite(settings.data().resolve("coffer.db"));
        }
        return Database.postgres(d.url(), d.user(), d.password(), d.poolSize());
    }

    /**
     * The file store under the data folder, or an S3 bucket (uploads staged under data/staging).
     * {@code largeDeletes} deletes what is left of a large committed upload (see TempFileStagedBlob).
     */
    static BlobStore blobs(Settings settings, Executor largeDeletes) {
        Backends.StorageSettings st = settings.backends().storage();
        if (st.kind() == Backends.StorageKind.S3) {
            S3BlobStore s3 = new S3BlobStore(
                    new S3Connection(
                                    st.endpoint(),
                                    st.region(),
                                    st.bucket(),
                                    st.pathStyle(),
                                    st.accessKey(),
                                    st.secretKey())
                            .client(),
                    st.bucket(),
                    settings.data().resolve("staging"),
                    S3BlobStore.DEFAULT_PART_SIZE,
                    largeDeletes);
            try {
                s3.checkBucket(st.endpoint().isEmpty() ? "region " + st.region() : st.endpoint());
            } catch (RuntimeException e) {
                s3.close();
                throw e;
            }
            return s3;
        }
        return new FsBlobStore(settings.data().resolve("store"), largeDeletes);
    }
}
