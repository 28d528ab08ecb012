package dev.coffer.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.blob.fs.FsBlobStore;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.Clock;
import dev.coffer.persistence.Database;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcArtifactStore;
import dev.coffer.persistence.JdbcRepositoryStore;
import dev.coffer.persistence.PostgresBlobLocks;
import dev.coffer.repository.Repository;
import dev.coffer.testing.Parallel;
import dev.coffer.testing.PostgresServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another node's cleanup deleting content an upload is about to reuse: the upload must still end
 * with a file whose content is there, never with a reference to deleted content.
 */
class BlobCleanupRaceTest {
    @TempDir
    Path dir;

    private static ArtifactService.Upload upload(String path, String body) {
        return new ArtifactService.Upload(
                "libs",
                ArtifactPath.of(path),
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                ArtifactService.Expected.NONE,
                Map.of(),
                true,
                "alice",
                -1);
    }

    @Test
    void contentCleanedUpJustBeforeTheUploadTakesTheLockIsStoredAgain() throws Exception {
        try (Database db = Database.sqlite(dir.resolve("coffer.db"))) {
            Jdbc jdbc = new Jdbc(db.dataSource());
            new JdbcRepositoryStore(jdbc).upsert(new Repository("libs", "", false, 1, 1));
            JdbcArtifactStore store = new JdbcArtifactStore(jdbc);
            FsBlobStore blobs = new FsBlobStore(dir.resolve("store"));
            BlobLocks plain = BlobLocks.local();
            AtomicBoolean raceOnce = new AtomicBoolean(false);
            // the "other node": its cleanup wins the lock first and deletes the unreferenced blob
            BlobLocks racing = new BlobLocks() {
                @Override
                public <T> T locked(String sha256, Supplier<T> work) {
                    if (raceOnce.getAndSet(false)) {
                        plain.locked(sha256, () -> {
                            if (!store.isReferenced(sha256)) {
                                blobs.delete(sha256);
                            }
                            return null;
                        });
                    }
                    return plain.locked(sha256, work);
                }
            };
            ArtifactService artifacts =
                    new ArtifactService(store, blobs, Clock.SYSTEM, racing, new dev.coffer.common.Invalidation());

            // the same content is stored but no longer referenced (its file row just went), so the
            // upload would reuse it while a cleanup is due
            artifacts.upload(upload("com/acme/other.txt", "hello"));
            store.deleteSubtree("libs", ArtifactPath.of("com/acme/other.txt"));
            raceOnce.set(true);
            ArtifactService.Uploaded ok = artifacts.upload(upload("com/acme/a.txt", "hello"));
            String sha = ok.file().checksums().sha256();
            assertThat(blobs.exists(sha))
                    .as("the content the new file refers to")
                    .isTrue();
            try (java.io.InputStream in =
                    artifacts.open(ok.file()).openStream(0, ok.file().size())) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("hello");
            }
        }
    }

    @Test
    void postgresBlobLocksExcludeEachOtherUntilTheWorkCommits() throws Exception {
        PostgresServer.Db pg = PostgresServer.assumeAvailable().createDatabase("locks");
        try (Database db = Database.postgres(pg.url(), pg.user(), pg.password(), 4)) {
            // two "nodes": separate lock objects (separate in-memory stripes) on one database
            PostgresBlobLocks nodeA = new PostgresBlobLocks(new Jdbc(db.dataSource()));
            PostgresBlobLocks nodeB = new PostgresBlobLocks(new Jdbc(db.dataSource()));
            String sha = "ab".repeat(32);
            CountDownLatch aHolds = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread a = new Thread(() -> nodeA.locked(sha, () -> {
                aHolds.countDown();
                Parallel.await(release);
                return null;
            }));
            a.start();
            assertThat(aHolds.await(10, TimeUnit.SECONDS)).isTrue();
            CountDownLatch bRan = new CountDownLatch(1);
            Thread b = new Thread(() -> nodeB.locked(sha, () -> {
                bRan.countDown();
                return null;
            }));
            b.start();
            assertThat(bRan.await(700, TimeUnit.MILLISECONDS))
                    .as("B waits while A holds the blob")
                    .isFalse();
            // another blob is not blocked
            assertThat(nodeB.locked("cd".repeat(32), () -> "free")).isEqualTo("free");
            release.countDown();
            assertThat(bRan.await(10, TimeUnit.SECONDS))
                    .as("B runs once A's transaction ended")
                    .isTrue();
            a.join();
            b.join();
        }
    }
}
