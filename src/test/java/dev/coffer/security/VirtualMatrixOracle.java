package dev.coffer.security;

import dev.coffer.testing.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The rule {@link AccessMatrixVirtualTest} checks every cell against, written from API.md §4, §5
 * and §9 alone (it never calls dev.coffer.authz): the world's repositories and grants, and what each
 * request must answer.
 *
 * <pre>
 *  on(V, a)       = a = r and V public, or owner's grants ∩ scope cover (V, path, a)
 *  through(M, a)  = a = r and M public, or owner's grants cover (M, path, a) and (no narrowing
 *                   scope, or a scope item naming V covers (path, a))
 *  GET/HEAD       invalid credential: 401. not on(V, r): 401 without credentials, else 403.
 *                 else the members in order, each one skipped unless through(M, r); the first
 *                 that holds the file answers: 200 with its bytes; none: 404. A remote member is
 *                 asked (its upstream gets a request for the path) exactly when it is reached and
 *                 not skipped and does not hold the file in its cache; no other request ever
 *                 reaches an upstream (a caller refused on the virtual, or skipped at the member,
 *                 never causes a fetch).
 *  PUT            invalid: 401. not on(V, w): 401/403. not through(D, w) for the deploy
 *                 repository D: 403. A file there already: also on(V, d) and through(D, d),
 *                 else 403. Else 201 (200 replaced), stored in D.
 *  DELETE         invalid: 401. not on(V, d): 401/403. Else 405, nothing deleted.
 * </pre>
 *
 * The matrix's paths ({@code test1/com/<file>}) have no Maven namespace ({@code groupId/artifactId}
 * needs a version folder below it), so namespace protection never applies to them.
 */
final class VirtualMatrixOracle {
    private VirtualMatrixOracle() {}

    static final String PRIV = "mxv-priv";
    static final String PUB = "mxv-pub";
    static final String RPRIV = "mxv-rpriv";
    static final String RPUB = "mxv-rpub";
    static final String OPEN = "mxv-open";
    static final String CLOSED = "mxv-closed";
    static final String COM = "test1/com/";
    static final String COMM = "test1/comm/";
    /** Both virtual repositories' members, in order: a remote member answers before a local one. */
    static final List<String> MEMBERS = List.of(PRIV, RPRIV, PUB, RPUB);

    static final Set<String> REMOTE = Set.of(RPRIV, RPUB);
    static final Map<String, Boolean> PUBLIC =
            Map.of(PRIV, false, PUB, true, RPRIV, false, RPUB, true, OPEN, true, CLOSED, false);
    /** Where each virtual repository deploys: one into the public member, one into the private. */
    static final Map<String, String> DEPLOY = Map.of(OPEN, PUB, CLOSED, PRIV);

    enum Kind {
        NONE,
        INVALID,
        VALID
    }

    /** A grant (of an owner, or of a scope item): repositories, include prefix, action letters. */
    record Grant(Set<String> repos, String prefix, String actions) {
        boolean covers(String repo, String path, char a) {
            return repos.contains(repo) && path.startsWith(prefix) && actions.indexOf(a) >= 0;
        }
    }

    /** vdev reads the private remote member too; vlost reads the virtual repositories only. */
    static final Map<String, List<Grant>> OWNER = Map.of(
            "vdev",
            List.of(
                    new Grant(Set.of(OPEN, CLOSED), COM, "rwd"),
                    new Grant(Set.of(PRIV), COM, "rwd"),
                    new Grant(Set.of(PUB), COM, "r"),
                    new Grant(Set.of(RPRIV), COM, "r")),
            "vlost",
            List.of(new Grant(Set.of(OPEN, CLOSED), COM, "r")));

    /** null scope: applied-permissions/user. */
    record Cred(String name, Kind kind, String owner, List<Grant> scope, IntFunction<Http> client) {}

    static final List<Grant> SCOPE_VIRTUAL =
            List.of(new Grant(Set.of(OPEN), COM, "rwd"), new Grant(Set.of(CLOSED), COM, "r"));
    static final List<Grant> SCOPE_MEMBERS = List.of(new Grant(Set.of(PRIV, PUB, RPRIV, RPUB), "", "rwd"));
    static final List<Grant> SCOPE_SIBLING = List.of(new Grant(Set.of(OPEN, CLOSED), COMM, "rwd"));

    static String scopeText(List<Grant> scope) {
        List<String> items = new ArrayList<>();
        for (Grant g : scope) {
            for (String r : g.repos()) {
                String letters = String.join(
                        ",",
                        g.actions()
                                .chars()
                                .mapToObj(c -> String.valueOf((char) c))
                                .toList());
                items.add("artifact:" + r + "/" + g.prefix() + "**:" + letters);
            }
        }
        return String.join(" ", items);
    }

    static boolean owner(Cred c, String repo, String path, char a) {
        return OWNER.get(c.owner()).stream().anyMatch(g -> g.covers(repo, path, a));
    }

    static boolean onVirtual(Cred c, String v, String path, char a) {
        if (a == 'r' && PUBLIC.get(v)) {
            return true;
        }
        if (c.kind() != Kind.VALID) {
            return false;
        }
        return owner(c, v, path, a) && (c.scope() == null || c.scope().stream().anyMatch(g -> g.covers(v, path, a)));
    }

    static boolean through(Cred c, String v, String member, String path, char a) {
        if (a == 'r' && PUBLIC.get(member)) {
            return true;
        }
        if (c.kind() != Kind.VALID || !owner(c, member, path, a)) {
            return false;
        }
        return c.scope() == null || c.scope().stream().anyMatch(g -> g.covers(v, path, a));
    }

    /** 401 without credentials, 403 with valid ones. */
    static int refused(Cred c) {
        return c.kind() == Kind.NONE ? 401 : 403;
    }

    /**
     * Expected status, for a 200 the member whose bytes come back, and the remote members whose
     * upstream is asked for the path.
     */
    record Expect(int status, String member, Set<String> asked) {}

    /**
     * @param holders the members that have the file (a remote one: its upstream has it)
     * @param cached whether the remote holders already have it in their cache
     */
    static Expect read(Cred c, String v, String path, Set<String> holders, boolean cached) {
        if (c.kind() == Kind.INVALID) {
            return new Expect(401, null, Set.of());
        }
        if (!onVirtual(c, v, path, 'r')) {
            return new Expect(refused(c), null, Set.of());
        }
        Set<String> asked = new java.util.TreeSet<>();
        for (String m : MEMBERS) {
            if (!through(c, v, m, path, 'r')) {
                continue;
            }
            boolean holds = holders.contains(m);
            if (REMOTE.contains(m) && !(holds && cached)) {
                asked.add(m);
            }
            if (holds) {
                return new Expect(200, m, asked);
            }
        }
        return new Expect(404, null, asked);
    }

    static int write(Cred c, String v, String path, boolean exists) {
        if (c.kind() == Kind.INVALID) {
            return 401;
        }
        if (!onVirtual(c, v, path, 'w')) {
            return refused(c);
        }
        String d = DEPLOY.get(v);
        if (!through(c, v, d, path, 'w')) {
            return 403;
        }
        if (exists) {
            return onVirtual(c, v, path, 'd') && through(c, v, d, path, 'd') ? 200 : 403;
        }
        return 201;
    }

    static int delete(Cred c, String v, String path) {
        if (c.kind() == Kind.INVALID) {
            return 401;
        }
        return onVirtual(c, v, path, 'd') ? 405 : refused(c);
    }
}
