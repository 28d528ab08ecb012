package dev.coffer.security;

import static dev.coffer.security.AccessMatrixNpmTest.client;
import static dev.coffer.security.NpmLayersOracle.*;
import static dev.coffer.security.NpmMatrixOracle.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.format.npm.NpmStore;
import dev.coffer.security.NpmLayersOracle.Read;
import dev.coffer.security.NpmLayersProbes.Kind;
import dev.coffer.security.NpmLayersProbes.ReadOp;
import dev.coffer.security.NpmMatrixOracle.Cred;
import dev.coffer.security.NpmMatrixOracle.Op;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access matrix's npm dimension over remote and virtual npm repositories (issue 19 item 6):
 * every credential state of {@link AccessMatrixNpmTest} (and two tokens scoped to the virtual
 * repositories or to their members) × the remote repositories RPUB and RPRIV (anonymousRead on and
 * off; their upstream a second Coffer's private npm repositories) and the virtual ones VOPEN and
 * VCLOSED (on and off) over a private and a public local and a private and a public remote member
 * × package names in {@code @acme/}, {@code @acmefoo/} and no scope × every npm operation: reads of
 * documents full, abbreviated and missing, dist-tags, tarballs (a remote one cached or not yet),
 * every write, and search. Each cell is one request, checked against {@link NpmLayersOracle}
 * (status, challenge, npm's error shape, which versions from which member, whose tarball, what the
 * remotes' caches gained — a refused or skipped caller fetches nothing — and what a write left).
 */
class AccessMatrixNpmLayersTest {
    private static final Set<String> WORLD = Set.of(PUB, PRIV, OTHER, RPUB, RPRIV, VOPEN, VCLOSED);
    /** Cold first: a tarball whose document is not cached either; then the documents; then cached tarballs. */
    private static final List<ReadOp> REMOTE_READS = List.of(
            new ReadOp(Kind.TARBALL_HEAD, "1.1.0"),
            new ReadOp(Kind.DOC_FULL, null),
            new ReadOp(Kind.DOC_ABBREVIATED, null),
            new ReadOp(Kind.DIST_TAGS, null),
            new ReadOp(Kind.TARBALL_GET, "1.0.0"),
            new ReadOp(Kind.TARBALL_GET, "1.1.0"),
            new ReadOp(Kind.TARBALL_HEAD, "1.0.0"),
            new ReadOp(Kind.DOC_MISSING, null));

    private static final List<Op> WRITES =
            Arrays.stream(Op.values()).filter(Op::writes).toList();

    private static TestServer server;
    private static TestServer shortTtl;
    private static TestServer upstream;
    private static NpmLayersWorld world;
    private static NpmLayersProbes probes;
    private static final List<Cred> CREDS = new ArrayList<>();
    /** The upstreams' packages and their revisions once seeded: no cell may change them. */
    private static final Map<String, Optional<NpmStore.Stamp>> UPSTREAM = new TreeMap<>();

    @BeforeAll
    static void setUp() throws InterruptedException {
        long t0 = System.nanoTime();
        server = TestServer.start();
        shortTtl = TestServer.start(Map.of("session.ttl", "4s"));
        upstream = TestServer.start();
        NpmMatrixSetup setup = new NpmMatrixSetup(server, WORLD);
        NpmMatrixSetup onShort = new NpmMatrixSetup(shortTtl, AccessMatrixNpmTest.LOCAL_WORLD);
        setup.repositories();
        onShort.repositories();
        world = new NpmLayersWorld(server, upstream, setup.admin);
        world.create();
        probes = new NpmLayersProbes(world);
        long t1 = System.nanoTime();
        CREDS.addAll(setup.credentials(shortTtl, onShort));
        for (List<NpmMatrixOracle.Grant> scope : List.of(SCOPE_VIRTUALS, SCOPE_MEMBERS)) {
            CREDS.add(new Cred(
                    "ndev token " + setup.scope(scope),
                    NpmMatrixOracle.Kind.VALID,
                    "ndev",
                    scope,
                    setup.tokenClient("ndev", setup.token("ndev", setup.scope(scope)))));
        }
        long t2 = System.nanoTime();
        world.seedPerCredential(CREDS.size());
        UPSTREAM.putAll(world.upstreamPackages());
        System.out.printf(
                "AccessMatrixNpmLayersTest: backends %s; set up in %d ms (servers and repositories %d, credentials"
                        + " %d, per-credential packages %d)%n",
                server.onFileStore() ? "SQLite + file store" : System.getProperty(TestServer.BACKENDS_PROPERTY),
                (System.nanoTime() - t0) / 1_000_000,
                (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000,
                (System.nanoTime() - t2) / 1_000_000);
    }

    @AfterAll
    static void tearDown() {
        for (TestServer s : new TestServer[] {server, shortTtl, upstream}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** The cells so far: numbered, counted by status and by answering member, and those that disagree. */
    private static final class Tally {
        int n;
        final List<String> failures = new ArrayList<>();
        final Map<Integer, Integer> byStatus = new TreeMap<>();
        final Map<String, Integer> answeredBy = new TreeMap<>();

        void check(Cred c, String repo, String what, int expected, Http h, Http.Response r, List<String> effects) {
            AccessMatrixNpmTest.check(
                    failures, byStatus, n, c, repo, what, expected, new NpmProbes.Sent(r, effects), h);
        }
    }

    @Test
    void everyRemoteAndVirtualNpmCellAnswersAsTheRuleSays() {
        long start = System.nanoTime();
        Tally t = new Tally();
        for (int k = 0; k < CREDS.size(); k++) {
            for (String r : List.of(RPUB, RPRIV)) {
                remoteCells(t, CREDS.get(k), k, r);
            }
            for (String v : List.of(VOPEN, VCLOSED)) {
                virtualCells(t, CREDS.get(k), k, v);
            }
        }
        List<String> want = probes.fetched.stream().sorted().toList();
        if (!world.auditedFetches().equals(want)) {
            t.failures.add("audited remote.fetch " + world.auditedFetches() + " instead of " + want);
        }
        if (!world.upstreamPackages().equals(UPSTREAM)) {
            t.failures.add("the upstreams' packages changed: " + UPSTREAM + " -> " + world.upstreamPackages());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("AccessMatrixNpmLayersTest: " + t.n + " cells (" + CREDS.size() + " credential states) in "
                + ms + " ms; statuses " + t.byStatus + "; answered by " + t.answeredBy + "; "
                + probes.fetched.size() + " upstream fetches; " + t.failures.size() + " mismatches");
        t.failures.stream().limit(80).forEach(System.out::println);
        assertThat(t.byStatus).containsKeys(200, 201, 401, 403, 404, 405, 409);
        assertThat(t.answeredBy)
                .containsKeys(ORDER.stream().map(m -> "tarball " + m).toArray(String[]::new))
                .containsKeys(ORDER.stream().map(m -> "document " + m).toArray(String[]::new))
                .containsKeys(
                        "documents merged from " + PRIV + "+" + PUB, "documents merged from " + RPRIV + "+" + RPUB);
        assertThat(t.failures)
                .as("cells that disagree with the oracle (%d of %d)", t.failures.size(), t.n)
                .isEmpty();
    }

    /** The search, reads and writes of {@code r} by {@code c}, on the {@code k}th credential state's packages. */
    private static void remoteCells(Tally t, Cred c, int k, String r) {
        NpmLayersOracle.Holdings w = probes.holdings();
        t.n++;
        search(t, c, r, NpmMatrixOracle.search(c, r), Set.of());
        for (String s : SCOPES) {
            String name = NpmLayersWorld.remotePackage(s, k);
            for (ReadOp op : REMOTE_READS) {
                t.n++;
                boolean missing = op.kind() == Kind.DOC_MISSING;
                Read x = op.version() == null
                        ? remoteDocument(c, r, missing ? name + "-missing" : name, op.kind() != Kind.DOC_FULL, w)
                        : remoteTarball(c, r, name, op.version(), w);
                read(t, c, r, name, op, x);
            }
            for (Op op : WRITES) {
                t.n++;
                Http h = client(c, t.n);
                Http.Response resp = probes.write(h, op, r, name, t.n);
                List<String> effects = probes.settle(name, new NpmLayersOracle.Fetch());
                t.check(c, r, op + " " + name, refusedWrite(c, op, r, name), h, resp, effects);
            }
        }
    }

    /** The search, reads and writes through {@code v} by {@code c}. */
    private static void virtualCells(Tally t, Cred c, int k, String v) {
        NpmLayersOracle.Holdings w = probes.holdings();
        t.n++;
        search(t, c, v, NpmMatrixOracle.search(c, v), virtualListing(c, v, world.localPackages()));
        for (String s : SCOPES) {
            for (Map.Entry<String, List<String>> p :
                    NpmLayersWorld.virtualPackages(s, k).entrySet()) {
                String name = p.getKey();
                // the last holder's own version: the one most often skipped or shadowed
                String own =
                        NpmLayersWorld.OWN.get(p.getValue().get(p.getValue().size() - 1));
                for (ReadOp op : List.of(
                        new ReadOp(Kind.TARBALL_GET, own),
                        new ReadOp(Kind.TARBALL_GET, "1.0.0"),
                        new ReadOp(Kind.DOC_FULL, null),
                        new ReadOp(Kind.DOC_ABBREVIATED, null),
                        new ReadOp(Kind.DIST_TAGS, null))) {
                    t.n++;
                    Read x = op.version() == null
                            ? virtualDocument(c, v, name, op.kind() != Kind.DOC_FULL, w)
                            : virtualTarball(c, v, name, op.version(), w);
                    read(t, c, v, name, op, x);
                }
            }
            t.n++;
            String name = s + "v0";
            read(t, c, v, name, new ReadOp(Kind.DOC_MISSING, null), virtualDocument(c, v, name + "-missing", false, w));
            for (Op op : WRITES) {
                t.n++;
                virtualWrite(t, c, v, s, op);
            }
        }
    }

    private static void read(Tally t, Cred c, String repo, String name, ReadOp op, Read x) {
        Http h = client(c, t.n);
        Http.Response r = probes.read(h, op, repo, name, t.n);
        List<String> effects = new ArrayList<>(probes.answer(op, repo, name, x, r));
        effects.addAll(probes.settle(name, x.fetch()));
        t.check(c, repo, op + " " + name, x.status(), h, r, effects);
        if (x.status() == 200 && VIRTUALS.contains(repo)) {
            if (x.member() != null) {
                t.answeredBy.merge("tarball " + x.member(), 1, Integer::sum);
            }
            Set<String> from = new TreeSet<>(x.versions().values());
            from.forEach(m -> t.answeredBy.merge("document " + m, 1, Integer::sum));
            if (from.size() > 1) {
                t.answeredBy.merge("documents merged from " + String.join("+", from), 1, Integer::sum);
            }
        }
    }

    private static void search(Tally t, Cred c, String repo, int expected, Set<String> want) {
        Http h = client(c, t.n);
        Http.Response r = h.get(NpmProbes.registry(repo) + "-/v1/search?text=" + NpmLayersWorld.KEYWORD + "&size=250");
        List<String> effects = new ArrayList<>();
        if (expected == 200 && r.status() == 200) {
            List<String> got = NpmProbes.listed(r).stream().sorted().toList();
            if (!got.equals(List.copyOf(want)) || r.json().path("total").asInt() != want.size()) {
                effects.add("search listed " + got + " (total " + r.json().path("total") + ") instead of " + want);
            }
        }
        t.check(c, repo, "search", expected, h, r, effects);
    }

    /** A publish (of a new package, or over the write package's 1.0.0) or another write, of the write package. */
    private static void virtualWrite(Tally t, Cred c, String v, String scope, Op op) {
        boolean fresh = op == Op.PUBLISH_NEW;
        String name = fresh ? scope + "pn" + t.n : NpmLayersWorld.writable(scope);
        int expected = switch (op) {
            case PUBLISH_NEW -> virtualPublish(c, v, name, "9.0.0", false);
            case PUBLISH_EXISTING -> virtualPublish(c, v, name, "1.0.0", true);
            default -> refusedWrite(c, op, v, name);
        };
        Map<String, Optional<NpmStore.Stamp>> before = probes.stamps(name);
        Http h = client(c, t.n);
        Http.Response r = probes.write(h, op, v, name, t.n);
        List<String> effects = new ArrayList<>();
        if (fresh) {
            effects.addAll(probes.published(name, "9.0.0", expected == 201 ? DEPLOY.get(v) : null));
        } else if (!probes.stamps(name).equals(before)) {
            effects.add("the package changed: " + before + " -> " + probes.stamps(name));
        }
        t.check(c, v, op + " " + name, expected, h, r, effects);
    }
}
