package dev.coffer.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of {@link Authorizer#coversWholeRepository} over random permission targets,
 * principals and token scopes: it is never more generous than {@link Authorizer#allows} on any
 * path, it ignores the repository's anonymous read, it decides action by action, and narrowing
 * a grant never turns a refusal into a yes.
 */
class CoversWholeRepositoryProperties {
    private static final Authorizer AUTHZ = new Authorizer();
    private static final String REPO = "mrepo";
    private static final List<String> USERS = List.of("u1", "u2");
    private static final List<String> GROUPS = List.of("g1", "g2");
    private static final List<String> INCLUDES =
            List.of("**", "/**", "settings/**", "private/**", "*", "**/*.csv", "**/**", "a/*/b");
    private static final List<String> EXCLUDES = List.of("private/**", "**/*.csv", "settings/**", "zzz/**", "*");
    private static final Set<Action> SOME = EnumSet.of(Action.READ, Action.MANAGE, Action.WRITE);
    /** Fixed paths that the patterns above tell apart, besides random ones. */
    private static final List<String> PATHS =
            List.of("settings/app.yml", "private/payroll.csv", "a.jar", "a/x/b", "zzz/q", "x.csv", "deep/er/y.csv");

    private static Arbitrary<Set<Action>> actions() {
        return Arbitraries.of(SOME).set().ofMinSize(1);
    }

    private static Arbitrary<PermissionTarget> targets() {
        Arbitrary<List<String>> repos =
                Arbitraries.of(REPO, "other", "*").set().ofMinSize(1).map(List::copyOf);
        Arbitrary<List<String>> includes =
                Arbitraries.of(INCLUDES).set().ofMinSize(0).ofMaxSize(2).map(List::copyOf);
        Arbitrary<List<String>> excludes =
                Arbitraries.of(EXCLUDES).set().ofMaxSize(1).map(List::copyOf);
        Arbitrary<Map<String, Set<Action>>> who =
                Arbitraries.maps(Arbitraries.of(USERS), actions()).ofMaxSize(2);
        Arbitrary<Map<String, Set<Action>>> groups =
                Arbitraries.maps(Arbitraries.of(GROUPS), actions()).ofMaxSize(2);
        return Combinators.combine(Arbitraries.integers().between(0, 1_000_000), repos, includes, excludes, who, groups)
                .as((n, r, i, e, u, g) -> new PermissionTarget("t" + n, r, i, e, u, g));
    }

    @Provide
    Arbitrary<PermissionIndex> indexes() {
        return targets().list().ofMaxSize(5).map(ts -> {
            // names must differ, as the store keeps them
            java.util.Map<String, PermissionTarget> byName = new java.util.LinkedHashMap<>();
            ts.forEach(t -> byName.putIfAbsent(t.name(), t));
            return PermissionIndex.of(byName.values());
        });
    }

    @Provide
    Arbitrary<Principal> principals() {
        Arbitrary<String> scopeItem = Arbitraries.oneOf(
                Arbitraries.just("applied-permissions/user"),
                Arbitraries.just("applied-permissions/admin"),
                Arbitraries.of(GROUPS).map(g -> "applied-permissions/groups:" + g),
                Combinators.combine(
                                Arbitraries.of(REPO, "other"),
                                Arbitraries.of(INCLUDES),
                                Arbitraries.of("m", "r", "m,r", "*", "w"))
                        .as((repo, p, a) ->
                                "artifact:" + repo + "/" + (p.startsWith("/") ? p.substring(1) : p) + ":" + a));
        Arbitrary<Scope> scopes = scopeItem.list().ofMinSize(1).ofMaxSize(3).map(l -> Scope.parse(String.join(" ", l)));
        Arbitrary<Principal> users = Combinators.combine(
                        Arbitraries.of(USERS),
                        Arbitraries.of(true, false, false),
                        Arbitraries.of(GROUPS).set(),
                        scopes)
                .as((name, admin, groups, scope) -> new Principal.User(name.hashCode(), name, admin, groups, scope));
        return Arbitraries.oneOf(users, Arbitraries.just(Principal.ANONYMOUS));
    }

    @Provide
    Arbitrary<ArtifactPath> paths() {
        Arbitrary<String> seg = Arbitraries.oneOf(
                Arbitraries.of("settings", "private", "a", "b", "zzz", "x.csv"),
                Arbitraries.strings()
                        .withChars("abcsv.")
                        .ofMinLength(1)
                        .ofMaxLength(4)
                        .filter(s -> !s.equals(".") && !s.equals("..")));
        return Arbitraries.oneOf(
                        Arbitraries.of(PATHS),
                        seg.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l)))
                .map(ArtifactPath::of);
    }

    @Property(tries = 2000)
    void coveringMeansAllowedOnEveryPath(
            @ForAll("principals") Principal p,
            @ForAll("indexes") PermissionIndex index,
            @ForAll("paths") ArtifactPath path) {
        boolean covered = AUTHZ.coversWholeRepository(p, SOME, new RepoAccess(REPO, false), index);
        Statistics.label("covered").collect(covered);
        Statistics.label("covered").coverage(c -> c.check(true).percentage(pct -> pct > 2));
        Statistics.label("covered through grants").collect(covered && !isAdmin(p));
        Statistics.label("covered through grants").coverage(c -> c.check(true).percentage(pct -> pct > 0.5));
        if (covered) {
            for (Action a : SOME) {
                assertThat(AUTHZ.allows(p, a, new RepoAccess(REPO, false), path, index))
                        .as("%s on %s", a, path)
                        .isTrue();
                assertThat(AUTHZ.decide(p, a, new RepoAccess(REPO, false), path, index)
                                .allowed())
                        .isTrue();
            }
            for (String fixed : PATHS) {
                for (Action a : SOME) {
                    assertThat(AUTHZ.allows(p, a, new RepoAccess(REPO, false), ArtifactPath.of(fixed), index))
                            .as("%s on %s", a, fixed)
                            .isTrue();
                }
            }
        }
    }

    @Property(tries = 2000)
    void anonymousReadChangesNothing(@ForAll("principals") Principal p, @ForAll("indexes") PermissionIndex index) {
        for (Action a : Action.values()) {
            assertThat(AUTHZ.coversWholeRepository(p, Set.of(a), new RepoAccess(REPO, true), index))
                    .isEqualTo(AUTHZ.coversWholeRepository(p, Set.of(a), new RepoAccess(REPO, false), index));
        }
        assertThat(AUTHZ.coversWholeRepository(
                        Principal.ANONYMOUS, Set.of(Action.READ), new RepoAccess(REPO, true), index))
                .isFalse();
    }

    @Property(tries = 2000)
    void aSetIsCoveredExactlyWhenEachOfItsActionsIs(
            @ForAll("principals") Principal p, @ForAll("indexes") PermissionIndex index) {
        RepoAccess repo = new RepoAccess(REPO, false);
        boolean each = SOME.stream().allMatch(a -> AUTHZ.coversWholeRepository(p, Set.of(a), repo, index));
        assertThat(AUTHZ.coversWholeRepository(p, SOME, repo, index)).isEqualTo(each);
    }

    @Property(tries = 1000)
    void anExcludeOrANarrowerIncludeNeverAddsCoverage(
            @ForAll("principals") Principal p,
            @ForAll("indexes") PermissionIndex index,
            @ForAll("narrowing") String exclude) {
        RepoAccess repo = new RepoAccess(REPO, false);
        List<PermissionTarget> narrowed = index.targets().stream()
                .map(t -> new PermissionTarget(
                        t.name(),
                        t.repositories(),
                        t.includePatterns(),
                        append(t.excludePatterns(), exclude),
                        t.users(),
                        t.groups()))
                .toList();
        if (AUTHZ.coversWholeRepository(p, SOME, repo, PermissionIndex.of(narrowed))) {
            assertThat(AUTHZ.coversWholeRepository(p, SOME, repo, index)).isTrue();
        }
        // an exclude, any exclude, takes the target out: only administrators still cover
        assertThat(AUTHZ.coversWholeRepository(p, SOME, repo, PermissionIndex.of(narrowed)))
                .isEqualTo(isAdmin(p));
    }

    /** An administrator whose credential carries admin rights (as Caller.isAdmin). */
    private static boolean isAdmin(Principal p) {
        return p instanceof Principal.User u
                && u.admin()
                && u.scope().items().stream()
                        .anyMatch(i -> i instanceof ScopeItem.AppliedUser || i instanceof ScopeItem.AppliedAdmin);
    }

    @Provide
    Arbitrary<String> narrowing() {
        return Arbitraries.of(EXCLUDES);
    }

    private static List<String> append(List<String> list, String more) {
        List<String> out = new java.util.ArrayList<>(list);
        out.add(more);
        return out;
    }
}
