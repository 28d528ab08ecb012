package dev.coffer.security;

import dev.coffer.testing.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The rule {@link AccessMatrixNpmTest} checks every npm cell against, written from API.md §3, §4,
 * §5 and §10 and ISSUE 19 alone (it never calls dev.coffer.authz): the world's repositories and
 * grants, and what each npm operation needs.
 *
 * <pre>
 *  may(R, p, a)     = a = r and R public, or owner's grants ∩ scope cover (R, p, a); a grant
 *                     covers p when it names R, one include pattern matches p, no exclude does
 *  doc GET (full, abbreviated), dist-tags GET      r on {name}                    200 / 404 missing
 *  tarball GET, HEAD                               r on {name}/-/{file}           200
 *  publish (new version)                           w on {name} and on its tarball 201
 *  publish over an existing version                the same                       409 version_exists
 *  dist-tag add, rm; deprecate (PUT /{name})       w on {name}                    200
 *  deprecate onto a revision (PUT /{name}/-rev/…)  d on {name} (the route's)      400 change_unsupported
 *  unpublish a version (PUT /{name}/-rev/{rev},
 *    DELETE /{name}/-/{file}/-rev/{rev})           d on {name} and its tarball    200
 *  unpublish the package (DELETE /{name}/-rev/…)   d on {name} and every tarball  200
 *  search                                          r somewhere in R               200, listing
 *                                                  exactly the packages p with may(R, p, r)
 *  refused: an invalid credential 401 (even where anonymous could read); no credential 401;
 *  a valid one 403 — whether or not the package exists.
 * </pre>
 */
final class NpmMatrixOracle {
    private NpmMatrixOracle() {}

    static final String PUB = "mxn-pub";
    static final String PRIV = "mxn-priv";
    static final String OTHER = "mxn-other";
    // the remote and virtual npm repositories of AccessMatrixNpmLayersTest (NpmLayersOracle)
    static final String RPUB = "mxn-rpub";
    static final String RPRIV = "mxn-rpriv";
    static final String VOPEN = "mxn-vopen";
    static final String VCLOSED = "mxn-vclosed";
    static final Map<String, Boolean> PUBLIC =
            Map.of(PUB, true, PRIV, false, OTHER, false, RPUB, true, RPRIV, false, VOPEN, true, VCLOSED, false);
    /** The package names of the matrix: a scope the patterns name, a sibling scope, no scope. */
    static final List<String> SCOPES = List.of("@acme/", "@acmefoo/", "");

    enum Kind {
        NONE,
        INVALID,
        ADMIN,
        VALID
    }

    /** A permission target's (or scope item's) repositories, include and exclude patterns, letters. */
    record Grant(Set<String> repos, List<String> includes, List<String> excludes, String actions) {
        static Grant of(Set<String> repos, String include, String actions) {
            return new Grant(repos, List.of(include), List.of(), actions);
        }

        boolean covers(String repo, String path, char a) {
            return repos.contains(repo)
                    && includes.stream().anyMatch(p -> MatrixGlob.of(p).matches(path))
                    && excludes.stream().noneMatch(p -> MatrixGlob.of(p).matches(path))
                    && (actions.equals("*") || actions.indexOf(a) >= 0);
        }

        /** Some path of {@code repo} with {@code a} (the patterns here all reach some path). */
        boolean somewhere(String repo, char a) {
            return repos.contains(repo) && (actions.equals("*") || actions.indexOf(a) >= 0);
        }
    }

    /** The local npm repositories; with the remote and the virtual ones, every npm repository of a world. */
    static final Set<String> BOTH = Set.of(PUB, PRIV);

    static final Set<String> REMOTES = Set.of(RPUB, RPRIV);
    static final Set<String> VIRTUALS = Set.of(VOPEN, VCLOSED);
    static final Set<String> MEMBERS = Set.of(PUB, PRIV, RPUB, RPRIV);
    static final Set<String> ALL = Set.of(PUB, PRIV, RPUB, RPRIV, VOPEN, VCLOSED);

    static final String GROUP = "mxn-acme-writers";
    /** What the target of {@link #GROUP} gives (so what applied-permissions/groups:GROUP covers). */
    static final Grant GROUP_GRANT = Grant.of(ALL, "@acme/**", "rw");

    /**
     * The owners' grants, as the permission targets of the world say. A world makes only the
     * targets' repositories it has: on the local ones these are the local matrix's grants; the
     * remote and virtual ones (the layers matrix) differ where noted.
     */
    static final Map<String, List<Grant>> OWNER = Map.of(
            "ndev",
            List.of(
                    Grant.of(ALL, "@acme/**", "rwd"),
                    new Grant(ALL, List.of("**"), List.of("@acme/**"), "r"),
                    Grant.of(Set.of(OTHER), "**", "rwd")),
            // nothing on the virtual repositories
            "nwrite",
            List.of(Grant.of(MEMBERS, "**", "rw")),
            "nread",
            List.of(Grant.of(ALL, "@acme/**", "r")),
            // on the virtual repositories everything (r, w), in the members tarballs only
            "nfiles",
            List.of(Grant.of(MEMBERS, "**/-/*.tgz", "rwd"), Grant.of(VIRTUALS, "**", "rw")),
            "nmeta",
            List.of(new Grant(ALL, List.of("**"), List.of("**/-/*.tgz"), "rwd")),
            // issued its key and token while it had rwd on everything, then its target was edited
            // down; reads all of the virtual repositories, of the members only @acme
            "nlost",
            List.of(Grant.of(MEMBERS, "@acme/**", "r"), Grant.of(VIRTUALS, "**", "r")),
            // reads everything itself (in the remote ones no 1.0.0 tarball), writes @acme through GROUP
            "ngroup",
            List.of(
                    Grant.of(Set.of(PUB, PRIV, VOPEN, VCLOSED), "**", "r"),
                    new Grant(REMOTES, List.of("**"), List.of("**/-/*-1.0.0.tgz"), "r"),
                    GROUP_GRANT));

    /** The users whose own targets are {@link #OWNER}'s; ngone has ndev's and is disabled. */
    static final List<String> USERS = List.of("ndev", "nwrite", "nread", "nfiles", "nmeta", "ngone");

    static final List<Grant> SCOPE_GROUP = List.of(GROUP_GRANT);

    static List<Grant> grantsOf(String user) {
        return OWNER.get(user.equals("ngone") ? "ndev" : user);
    }

    static final List<Grant> SCOPE_ACME_R = List.of(Grant.of(ALL, "@acme/**", "r"));
    static final List<Grant> SCOPE_ACME_RW = List.of(Grant.of(ALL, "@acme/**", "rw"));
    static final List<Grant> SCOPE_OTHER_REPO = List.of(Grant.of(Set.of(OTHER), "**", "*"));

    /** The scope as POST /access/api/v1/tokens takes it (its items on the world's repositories). */
    static String scopeText(List<Grant> scope, Set<String> world) {
        return scopeText(scope.stream()
                .map(g -> new Grant(
                        g.repos().stream().filter(world::contains).collect(java.util.stream.Collectors.toSet()),
                        g.includes(),
                        g.excludes(),
                        g.actions()))
                .filter(g -> !g.repos().isEmpty())
                .toList());
    }

    /** The scope as POST /access/api/v1/tokens takes it. */
    static String scopeText(List<Grant> scope) {
        List<String> items = new ArrayList<>();
        for (Grant g : scope) {
            String letters = g.actions().equals("*")
                    ? "*"
                    : String.join(
                            ",",
                            g.actions()
                                    .chars()
                                    .mapToObj(c -> String.valueOf((char) c))
                                    .toList());
            for (String r : g.repos().stream().sorted().toList()) {
                items.add("artifact:" + r + "/" + g.includes().get(0) + ":" + letters);
            }
        }
        return String.join(" ", items);
    }

    /** One credential state; scope null = applied-permissions/user. */
    record Cred(String name, Kind kind, String owner, List<Grant> scope, IntFunction<Http> client) {}

    static boolean may(Cred c, String repo, String path, char a) {
        if (a == 'r' && PUBLIC.get(repo)) {
            return true;
        }
        return switch (c.kind()) {
            case ADMIN -> true;
            case VALID ->
                grantsOf(c.owner()).stream().anyMatch(g -> g.covers(repo, path, a))
                        && (c.scope() == null || c.scope().stream().anyMatch(g -> g.covers(repo, path, a)));
            default -> false;
        };
    }

    /** r somewhere in the repository: what search needs to be admitted. */
    static boolean readsSomewhere(Cred c, String repo) {
        if (PUBLIC.get(repo) || c.kind() == Kind.ADMIN) {
            return true;
        }
        return c.kind() == Kind.VALID
                && grantsOf(c.owner()).stream().anyMatch(g -> g.somewhere(repo, 'r'))
                && (c.scope() == null || c.scope().stream().anyMatch(g -> g.somewhere(repo, 'r')));
    }

    /** The npm operations of the matrix, each with the action it needs and its status when allowed. */
    enum Op {
        DOC_FULL('r', 200),
        DOC_ABBREVIATED('r', 200),
        DOC_MISSING('r', 404),
        DIST_TAGS_GET('r', 200),
        TARBALL_GET('r', 200),
        TARBALL_HEAD('r', 200),
        PUBLISH_NEW('w', 201),
        PUBLISH_EXISTING('w', 409),
        TAG_ADD('w', 200),
        TAG_REMOVE('w', 200),
        DEPRECATE('w', 200),
        /** A deprecation sent onto a revision: admitted as the unpublish it could be, then refused. */
        DEPRECATE_REV('d', 400),
        UNPUBLISH_VERSION('d', 200),
        UNPUBLISH_TARBALL('d', 200),
        UNPUBLISH_PACKAGE('d', 200);

        final char action;
        final int allowed;

        Op(char action, int allowed) {
            this.action = action;
            this.allowed = allowed;
        }

        boolean writes() {
            return action != 'r';
        }
    }

    /**
     * The expected status of {@code op} on package {@code name} in {@code repo}; {@code tarballs}
     * are the tarball paths the operation reads, writes or removes (the package's own path is
     * always decided too, except for a tarball read).
     */
    static int expect(Cred c, Op op, String repo, String name, List<String> tarballs) {
        if (c.kind() == Kind.INVALID) {
            return 401;
        }
        boolean ok = (op == Op.TARBALL_GET || op == Op.TARBALL_HEAD || may(c, repo, name, op.action))
                && tarballs.stream().allMatch(t -> may(c, repo, t, op.action));
        if (ok) {
            return op.allowed;
        }
        return refused(c);
    }

    static int search(Cred c, String repo) {
        if (c.kind() == Kind.INVALID) {
            return 401;
        }
        return readsSomewhere(c, repo) ? 200 : refused(c);
    }

    static int refused(Cred c) {
        return c.kind() == Kind.NONE ? 401 : 403;
    }

    /** The code of a refusal's npm error body. */
    static String refusalCode(Cred c, int status) {
        return switch (status) {
            case 401 -> c.kind() == Kind.NONE ? "authentication_required" : "credentials_invalid";
            case 400 -> "change_unsupported";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "version_exists";
            default -> null;
        };
    }
}
