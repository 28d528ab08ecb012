package dev.coffer.security;

import dev.coffer.security.MatrixOracle.Kind;
import dev.coffer.security.MatrixOracle.Who;
import dev.coffer.security.MatrixSetup.Cred;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/** One world in progress: the server, the oracle, the world's random source and the report; judges answers. */
final class MatrixRun {
    static final String CHALLENGE = "Basic realm=\"coffer\"";
    /** Stands for the administrator's reads in mismatches found by a final comparison. */
    static final Cred CHECK =
            new Cred("admin (final check)", "admin", Who.ADMIN, "access-key", null, rnd -> null, false);

    final TestServer server;
    /** The administrator's key: every check of "what changed" reads with it. */
    final Http admin;

    final MatrixWorld world;
    final MatrixOracle oracle;
    final Random rnd;
    final MatrixSetup.Issued issued;
    final List<Cred> creds;
    private final MatrixReport report;
    private final String description;

    MatrixRun(
            TestServer server,
            Http admin,
            MatrixWorld world,
            MatrixSetup.Issued issued,
            List<Cred> creds,
            MatrixReport report) {
        this.server = server;
        this.admin = admin;
        this.world = world;
        this.oracle = new MatrixOracle(world);
        this.rnd = world.rnd;
        this.issued = issued;
        this.creds = creds;
        this.report = report;
        this.description = world.describe() + "  credentials: "
                + String.join("; ", creds.stream().map(Cred::label).toList()) + "\n";
        report.world(world.seed, description);
    }

    /** The expected answer of one request: a status, the error code when the contract names one, and the rule. */
    record Expect(int status, String code, String rule) {
        static Expect of(int status, String rule) {
            return new Expect(status, null, rule);
        }
    }

    /**
     * The outcome every route shares before its own rules: invalid credentials are 401 everywhere
     * (§4 rule 2); null when the route's own rules decide.
     */
    static Expect invalid(Who w) {
        return w.kind() == Kind.INVALID ? Expect.of(401, "invalid credentials are 401 everywhere") : null;
    }

    /** Marks the rules decided on a repository that does not exist, so their mismatches group apart. */
    String where(String repo) {
        MatrixWorld.Repo r = world.repos.get(repo);
        return r == null || !r.exists ? " [no such repository]" : "";
    }

    /** A refusal: 401 with the challenge for no credentials, 403 for a valid caller without the right. */
    static Expect refuse(Who w, String rule) {
        return Expect.of(MatrixOracle.refused(w), rule);
    }

    /** Counts the cell and compares status, challenge and error code; true when all agree. */
    boolean judge(String family, Cred c, String request, Http.Response r, Expect e) {
        report.cell(family, c.kind());
        String problem = null;
        if (r.status() != e.status()) {
            problem = "status";
        } else if (e.status() == 401 && !CHALLENGE.equals(r.header("WWW-Authenticate"))) {
            problem = "401 without the Basic challenge";
        } else if (e.status() == 403 && r.header("WWW-Authenticate") != null) {
            problem = "403 with a challenge";
        } else if (e.code() != null && !request.startsWith("HEAD") && !Objects.equals(e.code(), code(r))) {
            problem = "error code";
        }
        if (problem == null) {
            return true;
        }
        String cause =
                family + " | " + e.rule() + " | expected " + e.status() + (e.code() == null ? "" : " " + e.code())
                        + ", got " + r.status() + (problem.equals("status") ? "" : " (" + problem + ")");
        mismatch(
                cause,
                c,
                request,
                e.status() + (e.code() == null ? "" : " " + e.code()) + " (" + e.rule() + ")",
                r.toString());
        return false;
    }

    /** A disagreement about what a request showed or changed (the status itself agreed). */
    void wrong(String family, String what, Cred c, String request, String expected, String actual) {
        mismatch(family + " | " + what, c, request, expected, actual);
    }

    private void mismatch(String cause, Cred c, String request, String expected, String actual) {
        report.mismatch(
                cause, new MatrixReport.Mismatch(world.seed, description, c.label(), request, expected, actual));
    }

    private static String code(Http.Response r) {
        try {
            return r.errorCode();
        } catch (AssertionError notJson) {
            return null;
        }
    }

    <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    List<String> existingRepos() {
        List<String> out = new ArrayList<>();
        world.repos.values().forEach(r -> {
            if (r.exists) {
                out.add(r.name);
            }
        });
        return out;
    }

    /** An existing repository of the world, now and then the one that does not exist. */
    String anyRepo() {
        return rnd.nextInt(10) == 0 ? world.ghost : pick(existingRepos());
    }

    /** The folders that hold files (every proper prefix of a file path), without the root. */
    List<String> folders(String repo) {
        List<String> out = new ArrayList<>();
        for (String p : oracle.filesBelow(repo, "")) {
            int i = p.indexOf('/');
            while (i > 0) {
                String f = p.substring(0, i);
                if (!out.contains(f)) {
                    out.add(f);
                }
                i = p.indexOf('/', i + 1);
            }
        }
        return out;
    }

    /** A file of the repository, or (if it has none) a path that does not exist. */
    String anyFile(String repo) {
        List<String> files = oracle.filesBelow(repo, "");
        return files.isEmpty() ? world.randomFilePath() : pick(files);
    }

    /** A path in a folder that exists (or at the root) that is no file. */
    String missingFile(String repo) {
        List<String> fs = folders(repo);
        String dir = fs.isEmpty() || rnd.nextInt(4) == 0 ? "" : pick(fs) + "/";
        return dir + "zz-missing-" + rnd.nextInt(1000) + (rnd.nextBoolean() ? ".jar" : ".txt");
    }

    /** A user of the world other than {@code self} who is not disabled, or null. */
    MatrixWorld.User otherUser(MatrixWorld.User self) {
        List<MatrixWorld.User> others =
                world.users.stream().filter(u -> u != self && !u.disabled()).toList();
        return others.isEmpty() ? null : pick(others);
    }
}
