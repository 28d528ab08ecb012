package dev.coffer.security;

import static dev.coffer.security.NpmMatrixOracle.*;

import dev.coffer.security.NpmMatrixOracle.Cred;
import dev.coffer.security.NpmMatrixOracle.Grant;
import dev.coffer.security.NpmMatrixOracle.Kind;
import dev.coffer.security.NpmMatrixOracle.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rule {@link AccessMatrixNpmLayersTest} checks remote and virtual npm cells against, written
 * from API.md §4, §5, §9, §10 and docs/npm.md alone (it never calls dev.coffer.authz, nor the npm
 * code): {@link NpmMatrixOracle}'s grants and {@code may}, and
 *
 * <pre>
 *  through(V, M, p, a) = a = r and M public; or admin; or the owner's grants cover (M, p, a) and
 *                        (no narrowing scope, or a scope item naming V covers (p, a))
 *  guarded(V, p)       = a local member of V holds the package p (whoever asks: namespace protection)
 *
 *  remote R            documents, dist-tags, tarball GET and HEAD need what they need in a local
 *                      repository; 200, or 404 where the upstream has no such package or version.
 *                      An allowed read fetches (caches, audits remote.fetch) what R's cache lacks: the
 *                      document form asked for (dist-tags: the abbreviated one); for a tarball, the
 *                      tarball and, when neither form of its document is cached, one of them. A
 *                      refused read fetches nothing.
 *  writes to R         admission decides the route's action on {name} first (every write route
 *                      names the package, an unpublish of one tarball too): invalid credential 401,
 *                      without the action 401/403; with it 405 method_not_allowed. Nothing is
 *                      fetched or cached, the upstream keeps its packages.
 *  search on R         r somewhere in R: 200 listing nothing (Coffer searches no upstream).
 *
 *  virtual V           members in order PRIV, RPRIV, PUB, RPUB. A read needs may(V, its path, r)
 *                      first (401/403). A member is skipped for a path when it is remote and
 *                      guarded(V, p), or not through(V, M, path, r); a skipped member is not asked.
 *  document, dist-tags the versions v of the members not skipped for p with may(V, t(v), r) and
 *                      through(V, M, t(v), r) (t(v): v's tarball), each from the first member that
 *                      has it; a tag from the first member, of those that gave a version, whose tag
 *                      names a version given so far; no version: 404. A remote member not skipped
 *                      that has p fetches the form asked for if uncached (also when none of its
 *                      versions may be shown).
 *  tarball GET         the first member not skipped for t that has it answers (a remote one as a
 *                      direct read of it would: fetching what it lacks); none: 404.
 *  publish through V   may(V, p, w) and may(V, t, w) (else 401/403); no defaultDeployRepo: 405;
 *                      through(V, D, p, w) and through(V, D, t, w) for its deploy repository D (what
 *                      a publish needs, in D seen through V), else 403; 409 when D has the version;
 *                      else 201, in D only.
 *  other writes to V   the route's action on V's {name}: 405, else 401/403; nothing changes.
 *  search on V         r somewhere in V; lists exactly the local members' packages p for which some
 *                      local member M that has p gives may(V, p, r) and through(V, M, p, r).
 * </pre>
 */
final class NpmLayersOracle {
    private NpmLayersOracle() {}

    /** Both virtual repositories' members, in order: a remote member before a local one. */
    static final List<String> ORDER = List.of(PRIV, RPRIV, PUB, RPUB);

    /** Where each virtual repository deploys (VOPEN: nowhere). */
    static final Map<String, String> DEPLOY = Map.of(VCLOSED, PRIV);

    static final List<Grant> SCOPE_VIRTUALS = List.of(Grant.of(VIRTUALS, "**", "rwd"));
    static final List<Grant> SCOPE_MEMBERS = List.of(Grant.of(MEMBERS, "**", "rwd"));

    /** What the world holds: the members' packages (a remote one: its upstream's), and the remotes' caches. */
    interface Holdings {
        /** The versions {@code member} has of {@code name}, in the order they were published; empty: none. */
        List<String> versions(String member, String name);

        /** The member's dist-tags of {@code name}, in its document's order. */
        Map<String, String> tags(String member, String name);

        boolean cached(String remote, String path);
    }

    static boolean isRemote(String repo) {
        return REMOTES.contains(repo);
    }

    static String tarball(String name, String version) {
        return NpmProbes.tarballPath(name, version);
    }

    /** The cache paths of a remote's document forms (docs/npm.md). */
    static String docPath(String name, boolean abbreviated) {
        return name + (abbreviated ? "/-/package.abbreviated.json" : "/-/package.json");
    }

    static boolean through(Cred c, String v, String member, String path, char a) {
        if (a == 'r' && PUBLIC.get(member) || c.kind() == Kind.ADMIN) {
            return true;
        }
        return c.kind() == Kind.VALID
                && grantsOf(c.owner()).stream().anyMatch(g -> g.covers(member, path, a))
                && (c.scope() == null || c.scope().stream().anyMatch(g -> g.covers(v, path, a)));
    }

    /**
     * A read's expected answer: status; a document's versions (version → member) and tags; a
     * tarball's member; the remote cache paths ({@code repo:path}) it fetches; and the packages
     * ({@code repo:name}) of which it fetches exactly one document form.
     */
    record Read(int status, Map<String, String> versions, Map<String, String> tags, String member, Fetch fetch) {
        static Read refused(int status) {
            return new Read(status, Map.of(), Map.of(), null, new Fetch());
        }
    }

    /** What a read fetches into remote caches. */
    record Fetch(Set<String> paths, Set<String> oneDocumentOf) {
        Fetch() {
            this(new TreeSet<>(), new TreeSet<>());
        }

        /** A remote's tarball {@code v}, read as a direct read of it would be; true when it has it. */
        boolean tarball(Holdings w, String remote, String name, String version) {
            String t = NpmLayersOracle.tarball(name, version);
            if (w.cached(remote, t)) {
                return true;
            }
            if (w.versions(remote, name).isEmpty()) {
                return false;
            }
            if (!w.cached(remote, docPath(name, true)) && !w.cached(remote, docPath(name, false))) {
                oneDocumentOf.add(remote + ":" + name);
            }
            if (!w.versions(remote, name).contains(version)) {
                return false;
            }
            paths.add(remote + ":" + t);
            return true;
        }

        void document(Holdings w, String remote, String name, boolean abbreviated) {
            if (!w.versions(remote, name).isEmpty() && !w.cached(remote, docPath(name, abbreviated))) {
                paths.add(remote + ":" + docPath(name, abbreviated));
            }
        }
    }

    /** Document (full or abbreviated) or dist-tags (abbreviated) of {@code name} in remote {@code r}. */
    static Read remoteDocument(Cred c, String r, String name, boolean abbreviated, Holdings w) {
        if (c.kind() == Kind.INVALID) {
            return Read.refused(401);
        }
        if (!may(c, r, name, 'r')) {
            return Read.refused(refused(c));
        }
        Fetch f = new Fetch();
        f.document(w, r, name, abbreviated);
        List<String> vs = w.versions(r, name);
        Map<String, String> versions = new LinkedHashMap<>();
        vs.forEach(v -> versions.put(v, r));
        return new Read(vs.isEmpty() ? 404 : 200, versions, w.tags(r, name), null, f);
    }

    static Read remoteTarball(Cred c, String r, String name, String version, Holdings w) {
        if (c.kind() == Kind.INVALID) {
            return Read.refused(401);
        }
        if (!may(c, r, tarball(name, version), 'r')) {
            return Read.refused(refused(c));
        }
        Fetch f = new Fetch();
        boolean has = f.tarball(w, r, name, version);
        return new Read(has ? 200 : 404, Map.of(), Map.of(), has ? r : null, f);
    }

    /** Any write to a remote repository, and a write other than a publish through a virtual one. */
    static int refusedWrite(Cred c, Op op, String repo, String name) {
        if (c.kind() == Kind.INVALID) {
            return 401;
        }
        return may(c, repo, name, op.action) ? 405 : refused(c);
    }

    static boolean guarded(String name, Holdings w) {
        return ORDER.stream().anyMatch(m -> !isRemote(m) && !w.versions(m, name).isEmpty());
    }

    /** The members asked for {@code path} (a package's or a tarball's) of package {@code name}. */
    static List<String> asked(Cred c, String v, String name, String path, Holdings w) {
        boolean guarded = guarded(name, w);
        return ORDER.stream()
                .filter(m -> !(isRemote(m) && guarded) && through(c, v, m, path, 'r'))
                .toList();
    }

    static Read virtualDocument(Cred c, String v, String name, boolean abbreviated, Holdings w) {
        if (c.kind() == Kind.INVALID) {
            return Read.refused(401);
        }
        if (!may(c, v, name, 'r')) {
            return Read.refused(refused(c));
        }
        Fetch f = new Fetch();
        Map<String, String> versions = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        for (String m : asked(c, v, name, name, w)) {
            if (isRemote(m)) {
                f.document(w, m, name, abbreviated);
            }
            boolean gave = false;
            for (String ver : w.versions(m, name)) {
                String t = tarball(name, ver);
                if (!versions.containsKey(ver) && may(c, v, t, 'r') && through(c, v, m, t, 'r')) {
                    versions.put(ver, m);
                    gave = true;
                }
            }
            if (gave) {
                w.tags(m, name).forEach((tag, ver) -> {
                    if (!tags.containsKey(tag) && versions.containsKey(ver)) {
                        tags.put(tag, ver);
                    }
                });
            }
        }
        return new Read(versions.isEmpty() ? 404 : 200, versions, tags, null, f);
    }

    static Read virtualTarball(Cred c, String v, String name, String version, Holdings w) {
        if (c.kind() == Kind.INVALID) {
            return Read.refused(401);
        }
        String t = tarball(name, version);
        if (!may(c, v, t, 'r')) {
            return Read.refused(refused(c));
        }
        Fetch f = new Fetch();
        for (String m : asked(c, v, name, t, w)) {
            boolean has = isRemote(m)
                    ? f.tarball(w, m, name, version)
                    : w.versions(m, name).contains(version);
            if (has) {
                return new Read(200, Map.of(), Map.of(), m, f);
            }
        }
        return new Read(404, Map.of(), Map.of(), null, f);
    }

    /** npm publish of {@code name@version} through {@code v}; {@code inDeploy}: its deploy repository has that version. */
    static int virtualPublish(Cred c, String v, String name, String version, boolean inDeploy) {
        if (c.kind() == Kind.INVALID) {
            return 401;
        }
        String t = tarball(name, version);
        if (!may(c, v, name, 'w')) {
            return refused(c);
        }
        if (!may(c, v, t, 'w')) {
            return 403;
        }
        String d = DEPLOY.get(v);
        if (d == null) {
            return 405;
        }
        if (!through(c, v, d, name, 'w') || !through(c, v, d, t, 'w')) {
            return 403;
        }
        return inDeploy ? 409 : 201;
    }

    /** The packages a search through {@code v} lists, of those the local members have. */
    static Set<String> virtualListing(Cred c, String v, Map<String, Set<String>> localPackages) {
        Set<String> out = new TreeSet<>();
        localPackages.forEach((m, names) -> names.stream()
                .filter(p -> may(c, v, p, 'r') && through(c, v, m, p, 'r'))
                .forEach(out::add));
        return out;
    }
}
