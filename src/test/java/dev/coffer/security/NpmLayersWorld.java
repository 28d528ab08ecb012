package dev.coffer.security;

import static dev.coffer.security.NpmLayersOracle.ORDER;
import static dev.coffer.security.NpmLayersOracle.isRemote;
import static dev.coffer.security.NpmMatrixOracle.*;
import static dev.coffer.testing.Fixtures.expect;

import dev.coffer.audit.AuditQuery;
import dev.coffer.audit.StoredEvent;
import dev.coffer.common.ArtifactPath;
import dev.coffer.format.npm.NpmStore;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The remote and virtual npm repositories of {@link AccessMatrixNpmLayersTest} and what they hold
 * (what {@link NpmLayersOracle.Holdings} reads): an upstream Coffer whose private local npm repositories
 * {@code up-pub} and {@code up-priv} are the upstreams of the remotes RPUB and RPRIV; the virtual
 * repositories VOPEN (anonymousRead, no defaultDeployRepo) and VCLOSED (deploys to PRIV) over
 * {@link NpmLayersOracle#ORDER}. Every tarball says whose it is ({@link #content}).
 */
final class NpmLayersWorld {
    static final String KEYWORD = "layered";
    /** Each member's own version of a package it holds, besides the 1.0.0 they all have. */
    static final Map<String, String> OWN = Map.of(PRIV, "2.0.0", RPRIV, "3.0.0", PUB, "4.0.0", RPUB, "5.0.0");

    static final Map<String, String> UPSTREAM_OF = Map.of(RPUB, "up-pub", RPRIV, "up-priv");

    /**
     * Which members have the virtual reads' package {@code v<i>} (a remote member: its upstream):
     * each member alone, both remote ones, a local and a remote one both ways round, all four.
     */
    static final List<List<String>> HOLDINGS = List.of(
            List.of(PRIV),
            List.of(RPRIV),
            List.of(PUB),
            List.of(RPUB),
            List.of(RPRIV, RPUB),
            List.of(RPRIV, PUB),
            List.of(PRIV, RPUB),
            List.of(PRIV, RPRIV, PUB, RPUB));

    final TestServer server;
    final TestServer upstream;
    private final Http admin;
    /** member → package → versions in the order published (a remote member: its upstream's). */
    private final Map<String, Map<String, List<String>>> held = new TreeMap<>();

    private final Map<String, Map<String, Map<String, String>>> tagged = new TreeMap<>();

    NpmLayersWorld(TestServer server, TestServer upstream, Http admin) {
        this.server = server;
        this.upstream = upstream;
        this.admin = admin;
    }

    static String content(String member, String name, String version) {
        return "tarball of " + name + "@" + version + " in " + member;
    }

    /** The remotes, the virtual repositories, and the virtual matrix's packages (the local ones exist already). */
    void create() {
        for (String up : UPSTREAM_OF.values()) {
            expect(
                    upstream.admin().putJson("/api/repositories/" + up, "{\"packageType\":\"npm\"}"),
                    "upstream " + up,
                    201);
        }
        for (String r : REMOTES) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("packageType", "npm");
            body.put("rclass", "remote");
            body.put("url", upstream.base() + "/api/npm/" + UPSTREAM_OF.get(r));
            body.put("username", "admin");
            body.put("password", TestServer.ADMIN_PASSWORD);
            body.put("anonymousRead", PUBLIC.get(r));
            expect(admin.putJson("/api/repositories/" + r, Fixtures.json(body)), "remote " + r, 201);
        }
        for (String v : VIRTUALS) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("packageType", "npm");
            body.put("rclass", "virtual");
            body.put("repositories", ORDER);
            body.put("anonymousRead", PUBLIC.get(v));
            if (NpmLayersOracle.DEPLOY.containsKey(v)) {
                body.put("defaultDeployRepo", NpmLayersOracle.DEPLOY.get(v));
            }
            expect(admin.putJson("/api/repositories/" + v, Fixtures.json(body)), "virtual " + v, 201);
        }
        for (String s : SCOPES) {
            for (int i = 0; i < HOLDINGS.size(); i++) {
                for (String m : HOLDINGS.get(i)) {
                    seed(m, s + "v" + i, List.of("1.0.0", OWN.get(m)), KEYWORD, true);
                }
            }
            for (String m : List.of(PRIV, PUB)) {
                seed(m, writable(s), List.of("1.0.0", "1.1.0"), KEYWORD, true);
            }
        }
    }

    /** The package the writes through a virtual repository aim at: in both local members. */
    static String writable(String scope) {
        return scope + "vw";
    }

    /** The direct remote reads' package of the {@code k}th credential state: fresh, in both upstreams. */
    static String remotePackage(String scope, int k) {
        return scope + "r" + k;
    }

    /** Which members have the {@code k}th credential state's own virtual package: both remote ones. */
    static final List<String> PER_CREDENTIAL = List.of(RPRIV, RPUB);

    /**
     * The virtual reads' packages of the {@code k}th credential state in {@code scope}, each with
     * the members that have it: the shared ones of {@link #HOLDINGS} (cached by whoever reads them
     * first), and its own of {@link #PER_CREDENTIAL}, not cached before its cells: whether a member
     * skipped for it is asked shows in every credential state's cells.
     */
    static Map<String, List<String>> virtualPackages(String scope, int k) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < HOLDINGS.size(); i++) {
            out.put(scope + "v" + i, HOLDINGS.get(i));
        }
        out.put(scope + "vc" + k, PER_CREDENTIAL);
        return out;
    }

    /** Each credential state's fresh packages: its direct remote reads', and its own virtual one. */
    void seedPerCredential(int credentials) {
        for (int k = 0; k < credentials; k++) {
            for (String s : SCOPES) {
                for (String r : REMOTES) {
                    seed(r, remotePackage(s, k), List.of("1.0.0", "1.1.0"), "remote", false);
                }
                for (String m : PER_CREDENTIAL) {
                    seed(m, s + "vc" + k, List.of("1.0.0", OWN.get(m)), KEYWORD, false);
                }
            }
        }
    }

    /**
     * Publishes {@code versions} of {@code name} in {@code member} (a remote: in its upstream) in
     * order ('latest' is the last), and with {@code beta} the tag 'beta' on the first.
     */
    private void seed(String member, String name, List<String> versions, String keyword, boolean beta) {
        Http to = isRemote(member) ? upstream.admin() : admin;
        String repo = isRemote(member) ? UPSTREAM_OF.get(member) : member;
        Map<String, String> tags = new LinkedHashMap<>();
        for (String v : versions) {
            byte[] tgz = content(member, name, v).getBytes(StandardCharsets.UTF_8);
            expect(
                    to.putJson(
                            NpmProbes.registry(repo) + NpmProbes.url(name, 0),
                            NpmProbes.publishBody(name, v, keyword, tgz)),
                    "publish " + name + "@" + v + " in " + repo,
                    201);
            tags.put("latest", v);
        }
        if (beta) {
            expect(
                    to.putJson(
                            NpmProbes.registry(repo) + "-/package/" + NpmProbes.url(name, 0) + "/dist-tags/beta",
                            "\"" + versions.get(0) + "\""),
                    "tag " + name,
                    200);
            tags.put("beta", versions.get(0));
        }
        held.computeIfAbsent(member, m -> new TreeMap<>()).put(name, List.copyOf(versions));
        tagged.computeIfAbsent(member, m -> new TreeMap<>()).put(name, tags);
    }

    List<String> versions(String member, String name) {
        return held.getOrDefault(member, Map.of()).getOrDefault(name, List.of());
    }

    Map<String, String> tags(String member, String name) {
        return tagged.getOrDefault(member, Map.of()).getOrDefault(name, Map.of());
    }

    /** Whether the remote's cache holds {@code path} now: the store itself (the cache is the remote's storage). */
    boolean inStore(String remote, String path) {
        return server.coffer()
                .services()
                .artifacts()
                .find(remote, ArtifactPath.of(path))
                .isPresent();
    }

    /** What the remotes may ever cache of {@code name}: its document forms and the tarballs their upstream has. */
    List<String> cachePaths(String name) {
        List<String> out = new ArrayList<>();
        for (String r : new TreeSet<>(REMOTES)) {
            List<String> vs = versions(r, name);
            if (vs.isEmpty()) {
                continue;
            }
            out.add(r + ":" + NpmLayersOracle.docPath(name, false));
            out.add(r + ":" + NpmLayersOracle.docPath(name, true));
            vs.forEach(v -> out.add(r + ":" + NpmLayersOracle.tarball(name, v)));
        }
        return out;
    }

    /** The upstreams' packages and their revisions now. */
    Map<String, Optional<NpmStore.Stamp>> upstreamPackages() {
        NpmStore npm = upstream.coffer().services().npm();
        Map<String, Optional<NpmStore.Stamp>> out = new TreeMap<>();
        for (String up : UPSTREAM_OF.values()) {
            npm.names(up).forEach(p -> out.put(up + ":" + p, npm.stamp(up, p)));
        }
        return out;
    }

    /** Every remote.fetch the audit trail has ({@code repo:path}), sorted. */
    List<String> auditedFetches() {
        List<String> seen = new ArrayList<>();
        Long before = null;
        for (List<StoredEvent> page;
                !(page = server.coffer()
                                .audit()
                                .search(new AuditQuery(null, null, null, null, before, AuditQuery.MAX_LIMIT)))
                        .isEmpty(); ) {
            page.stream()
                    .map(StoredEvent::event)
                    .filter(e -> e.action().equals("remote.fetch"))
                    .forEach(e -> seen.add(e.repo() + ":" + e.path()));
            before = page.get(page.size() - 1).id();
        }
        return seen.stream().sorted().toList();
    }

    /** The packages of the local members that a search for {@link #KEYWORD} may list. */
    Map<String, Set<String>> localPackages() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String m : List.of(PRIV, PUB)) {
            out.put(m, new TreeSet<>(held.getOrDefault(m, Map.of()).keySet()));
        }
        return out;
    }
}
