package dev.coffer.security;

import static org.junit.jupiter.api.Assertions.fail;

import dev.coffer.security.MatrixSetup.Cred;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The access matrix over every route of API.md §1-§6 (issue 15), as a seeded property: each seed
 * makes a random world ({@link MatrixWorld}: 2-3 repositories with 6-12 files in up to three
 * levels, a virtual repository over them in a random order (§9), 2-4 users in two groups, 2-6
 * permission targets with include and exclude patterns (some naming the virtual repository), and
 * each user's key and tokens with random scopes: applied-permissions/user, /groups, artifact:
 * items, the virtual repository's among them), builds it on one shared server under names of its own, and sends every route family
 * with every credential state of the world: none, invalid (mistyped, revoked, wrong password,
 * unknown user, key under another name, disabled owner), admin, and each user's password, key and
 * tokens. Each answer (status, challenge, error code), each listing, and each change (read back
 * with an administrator's key) must equal what {@link MatrixOracle} computes from API.md alone.
 *
 * <p>System properties: {@value #WORLDS} (how many worlds, default {@value #DEFAULT_WORLDS}) and
 * {@value #SEED} (the first world's seed; by default one derived from the UTC date, printed). World k has seed
 * {@code seed + k * 0x9E3779B97F4A7C15}; a failure names each world's seed, so
 * {@code -Dcoffer.matrix.seed=<that seed> -Dcoffer.matrix.worlds=1} replays exactly that world.
 */
class RouteMatrixPropertyTest {
    static final String WORLDS = "coffer.matrix.worlds";
    static final String SEED = "coffer.matrix.seed";
    static final int DEFAULT_WORLDS = 16;
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final int EXPENSIVE_CELLS = 3;

    /** A route family: one request (and its checks) per credential state per world. */
    record Family(String name, BiConsumer<MatrixRun, Cred> probe) {}

    static final List<Family> FAMILIES = List.of(
            new Family("content GET/HEAD file", ContentProbes::getFile),
            new Family("content GET folder", ContentProbes::getFolder),
            new Family("virtual GET/HEAD", VirtualProbes::get),
            new Family("virtual GET/HEAD (second)", VirtualProbes::get),
            new Family("content PUT", ContentProbes::put),
            new Family("content PUT (second)", ContentProbes::put),
            new Family("content DELETE file", DeleteProbes::file),
            new Family("content DELETE folder", DeleteProbes::folder),
            new Family("content DELETE root", DeleteProbes::root),
            new Family("matrix parameters", DeleteProbes::matrixParams),
            new Family("storage GET", StorageProbes::get),
            new Family("storage PUT properties", StorageProbes::putProperty),
            new Family("storage DELETE properties", StorageProbes::deleteProperty),
            new Family("builds", StorageProbes::builds),
            new Family("repositories list", RepositoryProbes::list),
            new Family("repositories GET", RepositoryProbes::get),
            new Family("repositories PUT", RepositoryProbes::update),
            new Family("repositories create/delete", RepositoryProbes::createDelete),
            new Family("users", AdminProbes::users),
            new Family("groups", AdminProbes::groups),
            new Family("permissions", AdminProbes::permissions),
            new Family("audit", AdminProbes::audit),
            new Family("health", AdminProbes::health),
            new Family("me", IdentityProbes::me),
            new Family("access/check self", IdentityProbes::checkSelf),
            new Family("access/check other", IdentityProbes::checkOther),
            new Family("access keys", CredentialProbes::keys),
            new Family("access tokens", CredentialProbes::tokens));

    @Test
    void everyRouteAnswersAsTheOracleSays() {
        // by default the seed changes once a day: new worlds every day, and the same worlds when a
        // failing run is repeated the same day (surefire's rerun included), so a failure is not lost
        long seed = Long.getLong(
                SEED, java.time.LocalDate.now(java.time.ZoneOffset.UTC).toEpochDay() * GAMMA);
        int worlds = Integer.getInteger(WORLDS, DEFAULT_WORLDS);
        System.out.println("RouteMatrixPropertyTest: -D" + SEED + "=" + seed + " -D" + WORLDS + "=" + worlds);
        MatrixReport report = new MatrixReport();
        long start = System.nanoTime();
        try (TestServer server = TestServer.start()) {
            String adminKey = Fixtures.expect(
                            Fixtures.postJson(
                                    server.admin(), "/api/access-keys", Map.of("description", "route matrix checks")),
                            "admin key",
                            201)
                    .json()
                    .get("key")
                    .asText();
            Http admin = server.anonymous().header("X-Auth-AccessKey", adminKey);
            System.out.println("RouteMatrixPropertyTest: backends "
                    + (server.onFileStore()
                            ? "SQLite + file store"
                            : System.getProperty(TestServer.BACKENDS_PROPERTY) + " (content in S3)"));
            for (int k = 0; k < worlds; k++) {
                runWorld(server, admin, adminKey, new MatrixWorld(seed + k * GAMMA, "m" + k), report);
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        String summary = "RouteMatrixPropertyTest: " + worlds + " worlds, " + report.cellCount() + " cells in " + ms
                + " ms, " + report.total() + " mismatches (first seed " + seed + ")";
        System.out.println(summary);
        System.out.println(report.coverage());
        if (report.total() > 0) {
            String details = report.describe();
            System.out.println(details);
            fail(summary + "\nreplay one world with -D" + SEED + "=<its seed> -D" + WORLDS + "=1\n" + details);
        }
    }

    private static void runWorld(
            TestServer server, Http admin, String adminKey, MatrixWorld world, MatrixReport report) {
        long t0 = System.nanoTime();
        int before = report.total();
        MatrixSetup.Issued issued = new MatrixSetup.Issued();
        List<Cred> creds = MatrixSetup.build(server, admin, adminKey, world, issued);
        MatrixRun run = new MatrixRun(server, admin, world, issued, creds, report);
        long setupMs = (System.nanoTime() - t0) / 1_000_000;
        List<Runnable> cells = new ArrayList<>();
        for (Cred c : creds) {
            List<Family> families = new ArrayList<>(FAMILIES);
            if (c.expensive()) {
                // a failed password check is slow on purpose (Argon2): such a state runs a few random families
                Collections.shuffle(families, world.rnd);
                families = families.subList(0, EXPENSIVE_CELLS);
            }
            families.forEach(f -> cells.add(() -> probe(run, f, c)));
        }
        Collections.shuffle(cells, world.rnd);
        cells.forEach(Runnable::run);
        try {
            MatrixSync.compareAll(run);
        } catch (RuntimeException | AssertionError e) {
            run.wrong(
                    "final state",
                    "error: " + firstLine(e),
                    MatrixRun.CHECK,
                    "walk of the world's repositories",
                    "-",
                    e.toString());
        }
        System.out.printf(
                "  world %s seed %d: %d credential states, %d cells, %d ms (set-up %d ms), %d mismatches%n",
                world.prefix,
                world.seed,
                creds.size(),
                cells.size(),
                (System.nanoTime() - t0) / 1_000_000,
                setupMs,
                report.total() - before);
    }

    /** A probe that throws (an answer that is no JSON, an admin read that fails) is a mismatch too. */
    private static void probe(MatrixRun run, Family f, Cred c) {
        try {
            f.probe().accept(run, c);
        } catch (RuntimeException | AssertionError e) {
            run.wrong(f.name(), "probe error: " + firstLine(e), c, "(see the actual column)", "no error", e.toString());
        }
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > 120 ? m.substring(0, 120) : m;
    }
}
