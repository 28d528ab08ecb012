package dev.coffer.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
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
 * The caller seen through a virtual repository (API.md §9, {@link Principal#throughVirtual}) over
 * random worlds: permission targets on the virtual repository {@value #V}, its member {@value #M},
 * another virtual repository {@value #V2} and an unrelated {@value #O} (and "*"), users with and
 * without groups and admin, token scopes mixing every kind of item over those repositories.
 *
 * <p>Each property compares the authorizer's answer for the member with one derived from the
 * rule's words: an {@code artifact:} item naming the virtual repository covers the same patterns
 * and actions in the member, nothing else does, {@code applied-permissions/*} items are unchanged,
 * and the owner's own rights on the member always apply.
 */
class ThroughVirtualProperties {
    static final String V = "maven-virtual";
    static final String M = "libs-local";
    static final String V2 = "other-virtual";
    static final String O = "other-local";
    private static final Authorizer AUTHZ = new Authorizer();
    private static final List<String> PATHS = List.of(
            "com/acme/lib/1.0/lib-1.0.jar",
            "com/acme/lib/maven-metadata.xml",
            "com/acmecorp/x/1/x-1.jar",
            "com/other/y/2/y-2.pom",
            "org/z/3/z-3.jar",
            "top.txt");
    private static final List<String> PATTERNS =
            List.of("**", "com/**", "com/acme/**", "com/acme*/**", "com/*/lib/**", "**/*.jar", "org/**", "*.txt");

    /** A world: the targets, the principal (its scope included), whether the member is public. */
    record World(PermissionIndex index, Principal.User user, boolean memberPublic) {}

    private static Arbitrary<PermissionTarget> targets() {
        Arbitrary<List<String>> repos =
                Arbitraries.of(V, M, V2, O, "*").set().ofMinSize(1).ofMaxSize(3).map(ArrayList::new);
        Arbitrary<List<String>> includes =
                Arbitraries.of(PATTERNS).list().ofMinSize(1).ofMaxSize(2);
        Arbitrary<List<String>> excludes = Arbitraries.of(PATTERNS).list().ofMaxSize(1);
        Arbitrary<Set<Action>> actions = Arbitraries.of(Action.values()).set().ofMinSize(1);
        Arbitrary<String> who = Arbitraries.of("user:u", "group:g1", "group:g2", "user:somebody");
        return Combinators.combine(repos, includes, excludes, actions, who).as((r, i, e, a, w) -> {
            String name = w.substring(w.indexOf(':') + 1);
            Map<String, Set<Action>> grant = Map.of(name, EnumSet.copyOf(a));
            return w.startsWith("user:")
                    ? new PermissionTarget("t", r, i, e, grant, Map.of())
                    : new PermissionTarget("t", r, i, e, Map.of(), grant);
        });
    }

    private static Arbitrary<String> artifactItems(List<String> repos) {
        Arbitrary<String> actions = Arbitraries.oneOf(
                Arbitraries.just("*"),
                Arbitraries.of(Action.values())
                        .set()
                        .ofMinSize(1)
                        .map(s -> String.join(
                                ",",
                                Action.letters(s)
                                        .chars()
                                        .mapToObj(c -> String.valueOf((char) c))
                                        .toList())));
        return Combinators.combine(Arbitraries.of(repos), Arbitraries.of(PATTERNS), actions)
                .as((r, p, a) -> "artifact:" + r + "/" + p + ":" + a);
    }

    private static Arbitrary<Scope> scopes() {
        Arbitrary<String> item = Arbitraries.oneOf(
                artifactItems(List.of(V, M, V2, O)),
                artifactItems(List.of(V)),
                Arbitraries.of(
                        "applied-permissions/user",
                        "applied-permissions/admin",
                        "applied-permissions/groups:g1",
                        "applied-permissions/groups:g2"));
        return item.list().ofMinSize(1).ofMaxSize(4).map(items -> Scope.parse(String.join(" ", items)));
    }

    @Provide
    Arbitrary<World> worlds() {
        return worlds(scopes());
    }

    @Provide
    Arbitrary<World> artifactScopedWorlds() {
        return worlds(artifactItems(List.of(V, M, V2, O))
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(items -> Scope.parse(String.join(" ", items))));
    }

    /** Worlds whose tokens name only other repositories than the virtual one: the member directly, others. */
    @Provide
    Arbitrary<World> elsewhereScopedWorlds() {
        return worlds(artifactItems(List.of(M, V2, O))
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(items -> Scope.parse(String.join(" ", items))));
    }

    private static Arbitrary<World> worlds(Arbitrary<Scope> scopes) {
        Arbitrary<PermissionIndex> index = targets().list().ofMaxSize(5).map(PermissionIndex::of);
        Arbitrary<Set<String>> groups = Arbitraries.of("g1", "g2").set();
        Arbitrary<Boolean> admin = Arbitraries.integers().between(0, 9).map(n -> n == 0);
        return Combinators.combine(index, groups, admin, scopes, Arbitraries.of(true, false))
                .as((i, g, a, s, pub) -> new World(i, new Principal.User(7, "u", a, g, s), pub));
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(PATHS);
    }

    private static boolean allows(Principal p, Action a, String repo, boolean pub, String path, PermissionIndex i) {
        return AUTHZ.allows(p, a, new RepoAccess(repo, pub), ArtifactPath.of(path), i);
    }

    /** The owner's rights, without a narrowing scope. */
    private static Principal.User owner(Principal.User u) {
        return new Principal.User(u.userId(), u.username(), u.admin(), u.groups(), Scope.USER);
    }

    /** What one scope item allows on the member through the virtual repository, in the rule's words. */
    private static boolean itemCovers(ScopeItem item, Action a, String path, PermissionIndex index) {
        if (item instanceof ScopeItem.AppliedUser || item instanceof ScopeItem.AppliedAdmin) {
            return true;
        }
        if (item instanceof ScopeItem.AppliedGroups g) {
            // the groups' own grants on the member, whoever holds them
            Principal groupsOnly = new Principal.User(99, "nobody-else", false, g.groups(), Scope.USER);
            return allows(groupsOnly, a, M, false, path, index);
        }
        ScopeItem.ArtifactGrant g = (ScopeItem.ArtifactGrant) item;
        return g.repo().equals(V) && g.actions().contains(a) && g.pattern().matches(ArtifactPath.of(path));
    }

    @Property(tries = 2000)
    void theMemberAnswersAsTheRuleSays(@ForAll("worlds") World w, @ForAll Action a, @ForAll("paths") String path) {
        Principal through = w.user().throughVirtual(V, M);
        boolean ownerHas = allows(owner(w.user()), a, M, false, path, w.index());
        boolean scopeHas = w.user().scope().items().stream().anyMatch(i -> itemCovers(i, a, path, w.index()));
        boolean expected = (a == Action.READ && w.memberPublic()) || (ownerHas && scopeHas);
        Statistics.label("allowed").collect(expected);

        assertThat(allows(through, a, M, w.memberPublic(), path, w.index()))
                .as("%s %s %s/%s", w.user().scope(), a, M, path)
                .isEqualTo(expected);
        assertThat(AUTHZ.decide(through, a, new RepoAccess(M, w.memberPublic()), ArtifactPath.of(path), w.index())
                        .allowed())
                .as("decide() agrees with allows()")
                .isEqualTo(expected);
    }

    @Property(tries = 2000)
    void neverMoreThanTheScopeOnTheVirtualAndTheOwnersRightsOnTheMember(
            @ForAll("artifactScopedWorlds") World w, @ForAll Action a, @ForAll("paths") String path) {
        Principal through = w.user().throughVirtual(V, M);
        if (!allows(through, a, M, false, path, w.index())) {
            return;
        }
        // the scope on the virtual repository, for an owner who may do everything there
        Principal.User scopeOnly =
                new Principal.User(8, "any-admin", true, Set.of(), w.user().scope());
        assertThat(allows(scopeOnly, a, V, false, path, w.index()))
                .as("the scope covers %s on the virtual repository", a)
                .isTrue();
        assertThat(allows(owner(w.user()), a, M, false, path, w.index()))
                .as("the owner has %s on the member", a)
                .isTrue();
    }

    @Property(tries = 1000)
    void aTokenScopedElsewhereReachesNothingThroughTheVirtual(
            @ForAll("elsewhereScopedWorlds") World w, @ForAll Action a, @ForAll("paths") String path) {
        // scoped to the member directly, to another virtual repository, to an unrelated one: the
        // virtual repository does not admit it, and its members see nothing through it
        assertThat(allows(w.user(), a, V, false, path, w.index())).isFalse();
        assertThat(allows(w.user().throughVirtual(V, M), a, M, false, path, w.index()))
                .isFalse();
        // the other way round too: through the other virtual repository, the items naming V count for nothing
        Principal.User namingV =
                new Principal.User(7, "u", w.user().admin(), w.user().groups(), Scope.parse("artifact:" + V + "/**:*"));
        assertThat(allows(namingV.throughVirtual(V2, M), a, M, false, path, w.index()))
                .isFalse();
    }

    @Property(tries = 500)
    void credentialsWithoutANarrowingScopeAndAnonymousAreUnchanged(
            @ForAll("worlds") World w, @ForAll Action a, @ForAll("paths") String path) {
        Principal.User full = owner(w.user());
        assertThat(full.throughVirtual(V, M)).isSameAs(full);
        assertThat(Principal.ANONYMOUS.throughVirtual(V, M)).isSameAs(Principal.ANONYMOUS);
        assertThat(allows(Principal.ANONYMOUS.throughVirtual(V, M), a, M, w.memberPublic(), path, w.index()))
                .isEqualTo(a == Action.READ && w.memberPublic());
    }

    @Property(tries = 500)
    void aScopeSeenThroughAVirtualOnlyNarrows(
            @ForAll("worlds") World w, @ForAll Action a, @ForAll("paths") String path) {
        // on the member, through the virtual repository, never more than the owner's own rights
        if (allows(w.user().throughVirtual(V, M), a, M, false, path, w.index())) {
            assertThat(allows(owner(w.user()), a, M, false, path, w.index())).isTrue();
        }
        // and the virtual repository's own items are not lost: the rewritten scope keeps their count
        Map<String, Integer> namingV = new LinkedHashMap<>();
        for (ScopeItem i : w.user().scope().items()) {
            if (i instanceof ScopeItem.ArtifactGrant g && g.repo().equals(V)) {
                namingV.merge(g.pattern() + ":" + g.actions(), 1, Integer::sum);
            }
        }
        Map<String, Integer> namingM = new LinkedHashMap<>();
        for (ScopeItem i : w.user().scope().throughVirtual(V, M).items()) {
            if (i instanceof ScopeItem.ArtifactGrant g) {
                assertThat(g.repo()).isEqualTo(M);
                namingM.merge(g.pattern() + ":" + g.actions(), 1, Integer::sum);
            }
        }
        assertThat(namingM).isEqualTo(namingV);
    }
}
