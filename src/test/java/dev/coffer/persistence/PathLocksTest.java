package dev.coffer.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.artifact.Deletion;
import dev.coffer.artifact.FileRecord;
import dev.coffer.artifact.Placement;
import dev.coffer.blob.Checksums;
import dev.coffer.common.ArtifactPath;
import dev.coffer.repository.Repository;
import dev.coffer.testing.Parallel;
import dev.coffer.testing.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store's check-then-act methods (issue 15, items 1, 8, 15): {@link JdbcArtifactStore#place}
 * and the all-or-nothing {@link JdbcArtifactStore#deleteSubtree}, on SQLite and PostgreSQL, and
 * the PostgreSQL path locks between two "nodes" (separate stores on one database).
 */
class PathLocksTest {
    @TempDir
    Path dir;

    private Database open(String kind) {
        if (kind.equals("sqlite")) {
            return Database.sqlite(dir.resolve("coffer.db"));
        }
        PostgresServer.Db pg = PostgresServer.assumeAvailable().createDatabase("paths");
        return Database.postgres(pg.url(), pg.user(), pg.password(), 4);
    }

    private static FileRecord file(String path, String seed, String by) {
        return new FileRecord(
                "libs",
                ArtifactPath.of(path),
                3,
                new Checksums(seed.repeat(64), seed.repeat(40), seed.repeat(32)),
                10,
                20,
                by,
                by);
    }

    private static Placement.Refused refused(Placement.Reason reason, String where) {
        return new Placement.Refused(reason, ArtifactPath.of(where));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void placeDecidesPlacementAndOverwriteOnTheRowsItWrites(String kind) {
        try (Database db = open(kind)) {
            Jdbc jdbc = new Jdbc(db.dataSource());
            new JdbcRepositoryStore(jdbc).upsert(new Repository("libs", null, false, 1, 1));
            JdbcArtifactStore store = new JdbcArtifactStore(jdbc);

            assertThat(store.place(file("a/x", "1", "alice"), Map.of(), false)).isInstanceOf(Placement.Placed.class);
            assertThat(store.place(file("a/x/y", "2", "bob"), Map.of(), true))
                    .isEqualTo(refused(Placement.Reason.PARENT_IS_FILE, "a/x"));
            assertThat(store.place(file("a", "2", "bob"), Map.of(), true))
                    .isEqualTo(refused(Placement.Reason.PATH_IS_FOLDER, "a"));
            assertThat(store.place(file("a/x", "2", "bob"), Map.of("k", List.of("v")), false))
                    .isEqualTo(refused(Placement.Reason.EXISTS, "a/x"));
            assertThat(store.refusal("libs", ArtifactPath.of("a/x"), false))
                    .contains(refused(Placement.Reason.EXISTS, "a/x"));
            assertThat(store.find("libs", ArtifactPath.of("a/x"))
                            .orElseThrow()
                            .checksums()
                            .sha256())
                    .isEqualTo("1".repeat(64));
            assertThat(store.properties("libs", ArtifactPath.of("a/x"))).isEmpty();

            Placement replaced = store.place(file("a/x", "2", "bob"), Map.of("k", List.of("v")), true);
            Placement.Placed placed = (Placement.Placed) replaced;
            assertThat(placed.previous()).contains(file("a/x", "1", "alice"));
            assertThat(placed.file().createdBy()).isEqualTo("alice");
            assertThat(placed.file().modifiedBy()).isEqualTo("bob");
            assertThat(store.find("libs", ArtifactPath.of("a/x"))).contains(placed.file());
            assertThat(store.refusal("libs", ArtifactPath.of("b/new"), false)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aSubtreeDeleteAsksAboutEveryFileAndDeletesAllOrNothing(String kind) {
        try (Database db = open(kind)) {
            Jdbc jdbc = new Jdbc(db.dataSource());
            new JdbcRepositoryStore(jdbc).upsert(new Repository("libs", null, false, 1, 1));
            JdbcArtifactStore store = new JdbcArtifactStore(jdbc);
            for (String p : List.of("b/one.jar", "b/deep/two.key", "b/three.jar", "bc/four.jar")) {
                store.upsert(file(p, "1", "alice"), Map.of("k", List.of(p)));
            }
            List<String> asked = new java.util.ArrayList<>();
            Deletion refused = store.deleteSubtree("libs", ArtifactPath.of("b"), f -> {
                asked.add(f.path().toString());
                return !f.path().name().endsWith(".key");
            });
            assertThat(refused).isInstanceOf(Deletion.Refused.class);
            assertThat(asked).contains("b/deep/two.key");
            assertThat(store.listBelow("libs", ArtifactPath.ROOT)).hasSize(4);
            assertThat(store.properties("libs", ArtifactPath.of("b/one.jar"))).isNotEmpty();

            Deletion root = store.deleteSubtree(
                    "libs", ArtifactPath.ROOT, f -> !f.path().name().equals("four.jar"));
            assertThat(root).isInstanceOf(Deletion.Refused.class);
            assertThat(store.listBelow("libs", ArtifactPath.ROOT)).hasSize(4);

            Deletion ok = store.deleteSubtree("libs", ArtifactPath.of("b"), f -> true);
            assertThat(((Deletion.Deleted) ok).files())
                    .extracting(f -> f.path().toString())
                    .containsExactlyInAnyOrder("b/one.jar", "b/deep/two.key", "b/three.jar");
            assertThat(store.listBelow("libs", ArtifactPath.ROOT))
                    .extracting(f -> f.path().toString())
                    .containsExactly("bc/four.jar");
            assertThat(store.setProperties("libs", ArtifactPath.of("b/one.jar"), Map.of("k", List.of("v"))))
                    .isFalse();
            assertThat(store.setProperties("libs", ArtifactPath.of("bc/four.jar"), Map.of("k", List.of("v"))))
                    .isTrue();
        }
    }

    @Test
    void postgresPathLocksSerialiseAPathWithItsAncestorsAndNothingElse() throws Exception {
        PostgresServer.Db pg = PostgresServer.assumeAvailable().createDatabase("pathlocks");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Database db = Database.postgres(pg.url(), pg.user(), pg.password(), 6)) {
            // two "nodes": separate helpers and stores on one database
            PathLocks nodeA = new PathLocks(new Jdbc(db.dataSource()));
            PathLocks nodeB = new PathLocks(new Jdbc(db.dataSource()));
            CountDownLatch aHolds = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> a = pool.submit(() -> nodeA.locked("libs", ArtifactPath.of("race/x"), () -> {
                aHolds.countDown();
                Parallel.await(release);
                return null;
            }));
            assertThat(aHolds.await(10, TimeUnit.SECONDS)).isTrue();

            // not blocked: a sibling, a sibling's child, the same path in another repository, and
            // an ancestor's other branch (shared locks on race/ and the root do not conflict)
            for (String[] free : new String[][] {
                {"libs", "race/x2"}, {"libs", "race/y/z"}, {"other", "race/x"}, {"libs", "elsewhere"}
            }) {
                assertThat(nodeB.locked(free[0], ArtifactPath.of(free[1]), () -> "free"))
                        .as(String.join("/", free))
                        .isEqualTo("free");
            }

            // blocked while A holds race/x: the path itself, a path below it, its folder and the root
            List<CountDownLatch> ran = new java.util.ArrayList<>();
            List<Future<?>> waiting = new java.util.ArrayList<>();
            for (String p : List.of("race/x", "race/x/y", "race", "")) {
                CountDownLatch done = new CountDownLatch(1);
                ran.add(done);
                waiting.add(pool.submit(() -> nodeB.locked("libs", ArtifactPath.of(p), () -> {
                    done.countDown();
                    return null;
                })));
            }
            for (int i = 0; i < ran.size(); i++) {
                assertThat(ran.get(i).await(i == 0 ? 700 : 100, TimeUnit.MILLISECONDS))
                        .as("waits while A holds race/x (#%d)", i)
                        .isFalse();
            }
            release.countDown();
            a.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < ran.size(); i++) {
                waiting.get(i).get(10, TimeUnit.SECONDS);
                assertThat(ran.get(i).getCount()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLockKeyDependsOnRepositoryAndPathAlone() {
        assertThat(PathLocks.key("libs", "a/b")).isEqualTo(PathLocks.key("libs", "a/b"));
        assertThat(PathLocks.key("libs", "a/b")).isNotEqualTo(PathLocks.key("libs", "a/c"));
        // NUL keeps "ab"+"c" apart from "a"+"bc"
        assertThat(PathLocks.key("ab", "c")).isNotEqualTo(PathLocks.key("a", "bc"));
        assertThat(PathLocks.key("libs", "")).isNotEqualTo(PathLocks.key("libs2", ""));
    }
}
