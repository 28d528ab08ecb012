package dev.coffer.security;

import static dev.coffer.security.NpmMatrixOracle.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.security.NpmMatrixOracle.Cred;
import dev.coffer.security.NpmMatrixOracle.Op;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access matrix's npm dimension (issue 19 item 6, local npm repositories): every credential
 * state × an npm repository with anonymousRead on and one with it off × package names in the scope
 * the patterns name ({@code @acme/}), in a sibling scope ({@code @acmefoo/}) and unscoped × every
 * npm operation ({@link Op}: documents full, abbreviated and missing, dist-tags, tarball GET and
 * HEAD, publish new and over an existing version, dist-tag add and rm, deprecate (as npm sends it,
 * and onto a revision), unpublish of a
 * version both ways npm sends it and of the package), and search, whose listing must be exactly the
 * packages the caller may read. Each cell is one request, checked (status, challenge, npm's error
 * shape, what a read returned, what a write changed or — refused — left as it was) against {@link
 * NpmMatrixOracle}, written from API.md and ISSUE 19 alone.
 *
 * <p>Every third request carries npm's own User-Agent: its 401 has no challenge (docs/npm.md), every
 * other client's 401 has the Basic challenge.
 */
class AccessMatrixNpmTest {
    static final String NPM_AGENT = "npm/11.6.2 node/v20.19.5 linux x64 workspaces/false";
    static final String CHALLENGE = "Basic realm=\"coffer\"";
    static final String KEYWORD = NpmMatrixSetup.KEYWORD;
    static final java.util.Set<String> LOCAL_WORLD = java.util.Set.of(PUB, PRIV, OTHER);

    private static TestServer server;
    private static TestServer shortTtl;
    private static NpmProbes probes;
    private static final List<Cred> CREDS = new ArrayList<>();
    /** The seeded packages of each repository, which search lists. */
    private static final Map<String, List<String>> SEEDED = new TreeMap<>();

    @BeforeAll
    static void setUp() throws InterruptedException {
        server = TestServer.start();
        shortTtl = TestServer.start(Map.of("session.ttl", "4s"));
        System.out.println("AccessMatrixNpmTest: backends "
                + (server.onFileStore()
                        ? "SQLite + file store"
                        : System.getProperty(TestServer.BACKENDS_PROPERTY) + " (content in S3)"));
        NpmMatrixSetup world = new NpmMatrixSetup(server, LOCAL_WORLD);
        NpmMatrixSetup onShort = new NpmMatrixSetup(shortTtl, LOCAL_WORLD);
        probes = world.probes;
        SEEDED.putAll(world.repositories());
        onShort.repositories();
        CREDS.addAll(world.credentials(shortTtl, onShort));
    }

    @AfterAll
    static void tearDown() {
        for (TestServer s : new TestServer[] {server, shortTtl}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** The tarballs an operation on {@code name} reads, writes or removes (see the oracle). */
    static List<String> tarballs(Op op, String name) {
        return switch (op) {
            case TARBALL_GET, TARBALL_HEAD, PUBLISH_EXISTING, UNPUBLISH_VERSION, UNPUBLISH_TARBALL ->
                List.of(NpmProbes.tarballPath(name, "1.0.0"));
            case PUBLISH_NEW -> List.of(NpmProbes.tarballPath(name, "2.0.0"));
            case UNPUBLISH_PACKAGE ->
                List.of(NpmProbes.tarballPath(name, "1.0.0"), NpmProbes.tarballPath(name, "1.1.0"));
            default -> List.of();
        };
    }

    @Test
    void everyNpmCellAnswersAsTheRuleSays() {
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        int n = 0;
        for (Cred c : CREDS) {
            for (String repo : List.of(PUB, PRIV)) {
                n++;
                searchCell(failures, byStatus, n, c, repo);
                for (String scope : SCOPES) {
                    for (Op op : Op.values()) {
                        n++;
                        String name = op.writes() ? scope + "w" + n : scope + "web";
                        if (op.writes()) {
                            probes.seed(repo, name, "fresh", "1.0.0", "1.1.0");
                        }
                        int expected = NpmMatrixOracle.expect(c, op, repo, name, tarballs(op, name));
                        Http h = client(c, n);
                        NpmProbes.Sent sent = op.writes()
                                ? probes.write(h, op, repo, name, n, expected / 100 == 2)
                                : probes.read(h, op, repo, name, n);
                        check(failures, byStatus, n, c, repo, op + " " + name, expected, sent, h);
                    }
                }
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        int perCred = 2 * (1 + SCOPES.size() * Op.values().length);
        System.out.println("AccessMatrixNpmTest: " + n + " cells (" + CREDS.size() + " credential states x 2 "
                + "repositories x (search + " + SCOPES.size() + " kinds of name x " + Op.values().length
                + " operations)) in " + ms + " ms; statuses " + byStatus + "; " + failures.size() + " mismatches");
        failures.stream().limit(60).forEach(System.out::println);
        assertThat(n).isEqualTo(CREDS.size() * perCred);
        assertThat(byStatus).containsKeys(200, 201, 400, 401, 403, 404, 409);
        assertThat(failures)
                .as("cells that disagree with the oracle (%d of %d)", failures.size(), n)
                .isEmpty();
    }

    /** Every third request as npm itself sends it (User-Agent npm/…). */
    static Http client(Cred c, int n) {
        Http h = c.client().apply(n);
        return n % 3 == 0 ? h.header("User-Agent", NPM_AGENT) : h;
    }

    private static boolean npmAgent(int n) {
        return n % 3 == 0;
    }

    private static void searchCell(List<String> failures, Map<Integer, Integer> byStatus, int n, Cred c, String repo) {
        int expected = NpmMatrixOracle.search(c, repo);
        Http h = client(c, n);
        Http.Response r = h.get(NpmProbes.registry(repo) + "-/v1/search?text=" + KEYWORD + "&size=250");
        List<String> effects = new ArrayList<>();
        if (expected == 200 && r.status() == 200) {
            List<String> want = SEEDED.get(repo).stream()
                    .filter(p -> may(c, repo, p, 'r'))
                    .sorted()
                    .toList();
            List<String> got = NpmProbes.listed(r).stream().sorted().toList();
            if (!got.equals(want) || r.json().path("total").asInt() != want.size()) {
                effects.add("search listed " + got + " (total " + r.json().path("total") + ") instead of " + want);
            }
        }
        check(failures, byStatus, n, c, repo, "search", expected, new NpmProbes.Sent(r, effects), h);
    }

    static void check(
            List<String> failures,
            Map<Integer, Integer> byStatus,
            int n,
            Cred c,
            String repo,
            String what,
            int expected,
            NpmProbes.Sent sent,
            Http h) {
        Http.Response r = sent.response();
        byStatus.merge(r.status(), 1, Integer::sum);
        List<String> problems = new ArrayList<>();
        if (r.status() != expected) {
            problems.add("expected " + expected + " got " + r);
        } else if (expected == 401 && npmAgent(n) && r.header("WWW-Authenticate") != null) {
            problems.add("401 to npm itself with a challenge");
        } else if (expected == 401 && !npmAgent(n) && !CHALLENGE.equals(r.header("WWW-Authenticate"))) {
            problems.add("401 without the Basic challenge: " + r.header("WWW-Authenticate"));
        } else if (expected == 403 && r.header("WWW-Authenticate") != null) {
            problems.add("403 with a challenge");
        }
        if (r.status() == expected && expected >= 400 && !what.startsWith("TARBALL_HEAD")) {
            String shape = NpmProbes.npmErrorProblem(r, refusalCode(c, expected));
            if (shape != null) {
                problems.add(shape);
            }
        }
        problems.addAll(sent.effects());
        if (!problems.isEmpty()) {
            failures.add("#" + n + " [" + c.name() + " | " + repo + " | " + what + "] " + String.join("; ", problems));
        }
    }
}
