package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, items 8 and 15: every check-then-act of an upload or a delete is decided under the
 * lock of the (repo, path) it decides about, in the transaction that writes. Each test starts two
 * requests together (a barrier) for many rounds and checks every outcome against the rules.
 */
class PathRaceTest {
    private static final int ROUNDS = 40;

    private static TestServer server;
    private static Http admin;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        pool = Executors.newFixedThreadPool(2);
        Fixtures.repo(server, "priv", false);
        Fixtures.repo(server, "libs", false);
        Fixtures.user(server, "racer", "racer-password");
        Fixtures.user(server, "rw", "rw-password");
        Fixtures.user(server, "mallory", "mallory-password");
        Fixtures.grantUser(server, "racer-priv", "priv", "racer", "rw");
        Fixtures.permission(
                server, "rw-libs", "libs", List.of("race/**"), List.of(), Map.of("rw", List.of("r", "w")), Map.of());
        Fixtures.permission(
                server,
                "mallory-priv",
                "priv",
                List.of("**"),
                List.of("**/*.key"),
                Map.of("mallory", List.of("r", "w", "d")),
                Map.of());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        server.close();
    }

    private static Http as(String user) {
        return new Http(server.base()).basic(user, user + "-password");
    }

    /** Runs both requests at once (as near as a barrier gets) and returns their responses in order. */
    private static List<Http.Response> together(Supplier<Http.Response> a, Supplier<Http.Response> b) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Future<Http.Response>> fs = new ArrayList<>();
        for (Supplier<Http.Response> s : List.of(a, b)) {
            fs.add(pool.submit(() -> {
                barrier.await(30, TimeUnit.SECONDS);
                return s.get();
            }));
        }
        return List.of(fs.get(0).get(60, TimeUnit.SECONDS), fs.get(1).get(60, TimeUnit.SECONDS));
    }

    @Test
    void aFileAndAFolderOfTheSameNameNeverBothExist() throws Exception {
        Http racer = as("racer");
        int fileWon = 0;
        int folderWon = 0;
        for (int i = 0; i < ROUNDS; i++) {
            String dir = "/repository/priv/race" + i + "/";
            List<Http.Response> r = together(() -> racer.put(dir + "x", "file"), () -> racer.put(dir + "x/y", "below"));
            Http.Response file = r.get(0);
            Http.Response below = r.get(1);
            String what = "round " + i + ": PUT x " + file + ", PUT x/y " + below;
            assertThat(List.of(file.status(), below.status())).as(what).containsExactlyInAnyOrder(201, 409);
            Http.Response listing = racer.get(dir);
            assertThat(listing.status()).as(what).isEqualTo(200);
            assertThat(listing.json().path("children")).as(what).hasSize(1);
            boolean listedAsFolder =
                    listing.json().path("children").get(0).path("folder").asBoolean();
            if (file.status() == 201) {
                fileWon++;
                assertThat(below.errorCode()).as(what).isEqualTo("parent_is_file");
                assertThat(listedAsFolder).as(what).isFalse();
                assertThat(racer.get(dir + "x").body()).as(what).isEqualTo("file");
                assertThat(admin.get(dir + "x/y").status()).as(what).isEqualTo(404);
            } else {
                folderWon++;
                assertThat(file.errorCode()).as(what).isEqualTo("path_is_folder");
                assertThat(listedAsFolder).as(what).isTrue();
                assertThat(racer.get(dir + "x/")
                                .json()
                                .path("children")
                                .get(0)
                                .path("name")
                                .asText())
                        .isEqualTo("y");
                assertThat(racer.get(dir + "x/y").body()).as(what).isEqualTo("below");
            }
        }
        System.out.printf(
                "PathRaceTest on %s: %d rounds of PUT x vs PUT x/y (file first %d, folder first %d)%n",
                FolderDeleteWalkTest.backends(server), ROUNDS, fileWon, folderWon);
    }

    @Test
    void aWriterWithoutDeleteNeverReplacesANewFileItRacedFor() throws Exception {
        Http user = as("rw");
        int adminFirst = 0;
        int userFirst = 0;
        for (int i = 0; i < ROUNDS * 2; i++) {
            String url = "/repository/libs/race/n" + i + ".bin";
            String adminBytes = "admin's build " + i;
            String userBytes = "user's trojan " + i + " with other content";
            List<Http.Response> r = together(() -> admin.put(url, adminBytes), () -> user.put(url, userBytes));
            Http.Response a = r.get(0);
            Http.Response u = r.get(1);
            String what = "round " + i + ": admin " + a + ", user " + u;
            assertThat(u.status()).as("the user never replaces: " + what).isNotEqualTo(200);
            if (u.status() == 201) {
                userFirst++;
                // the admin (who has d) came second and replaced it
                assertThat(a.status()).as(what).isEqualTo(200);
            } else {
                adminFirst++;
                assertThat(a.status()).as(what).isEqualTo(201);
                assertThat(u.status()).as(what).isEqualTo(403);
                assertThat(u.errorCode()).as(what).isEqualTo("overwrite_denied");
            }
            // either way the admin wrote last: the admin's bytes are what is stored
            assertThat(admin.get(url).body()).as(what).isEqualTo(adminBytes);
        }
        System.out.printf(
                "PathRaceTest on %s: %d rounds of admin vs r,w user on a new path (admin first %d, user first %d)%n",
                FolderDeleteWalkTest.backends(server), ROUNDS * 2, adminFirst, userFirst);
    }

    @Test
    void aFolderDeleteNeverTakesAnExcludedFileUploadedIntoItMeanwhile() throws Exception {
        Http mallory = as("mallory");
        int deleted = 0;
        int refused = 0;
        for (int i = 0; i < ROUNDS; i++) {
            String dir = "/repository/priv/deleting" + i;
            Fixtures.put(admin, dir + "/a.jar", "a");
            List<Http.Response> r = together(() -> mallory.delete(dir), () -> admin.put(dir + "/new.key", "secret"));
            Http.Response del = r.get(0);
            Http.Response up = r.get(1);
            String what = "round " + i + ": DELETE " + del + ", PUT new.key " + up;
            assertThat(up.status()).as(what).isEqualTo(201);
            assertThat(admin.get(dir + "/new.key").body())
                    .as("the excluded file survives: " + what)
                    .isEqualTo("secret");
            if (del.status() == 204) {
                deleted++;
                assertThat(admin.get(dir + "/a.jar").status()).as(what).isEqualTo(404);
            } else {
                refused++;
                assertThat(del.status()).as(what).isEqualTo(403);
                assertThat(admin.get(dir + "/a.jar").body())
                        .as("nothing was deleted: " + what)
                        .isEqualTo("a");
            }
        }
        System.out.printf(
                "PathRaceTest on %s: %d rounds of folder delete vs excluded upload (delete first %d, upload first %d)%n",
                FolderDeleteWalkTest.backends(server), ROUNDS, deleted, refused);
    }
}
