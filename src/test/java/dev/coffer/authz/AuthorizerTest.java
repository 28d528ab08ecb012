package dev.coffer.authz;

import static dev.coffer.common.Action.DELETE;
import static dev.coffer.common.Action.READ;
import static dev.coffer.common.Action.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthorizerTest {

    private static final Authorizer AUTHZ = new Authorizer();

    static final PermissionIndex INDEX = PermissionIndex.of(List.of(
            new PermissionTarget(
                    "readers",
                    List.of("libs"),
                    List.of("test1/com/**"),
                    List.of("test1/com/secret/**"),
                    Map.of("alice", EnumSet.of(READ)),
                    Map.of()),
            new PermissionTarget(
                    "deployers",
                    List.of("libs"),
                    List.of("test1/com/**"),
                    List.of("test1/com/secret/**"),
                    Map.of(),
                    Map.of("devs", EnumSet.of(READ, WRITE, DELETE))),
            new PermissionTarget(
                    "elsewhere",
                    List.of("other"),
                    List.of(),
                    List.of(),
                    Map.of("alice", Action.all(), "dave", Action.all()),
                    Map.of("devs", Action.all()))));

    enum PathKind {
        MATCHING("test1/com/acme/lib.jar"),
        EXCLUDED("test1/com/secret/key.txt"),
        SIBLING_PREFIX("test1/comm/acme/lib.jar");

        final ArtifactPath path;

        PathKind(String p) {
            this.path = ArtifactPath.of(p);
        }
    }

    private static final Set<Action> NONE = EnumSet.noneOf(Action.class);
    private static final Set<Action> R = EnumSet.of(READ);
    private static final Set<Action> RWD = EnumSet.of(READ, WRITE, DELETE);
    private static final Set<Action> ALL = Action.all();

    /** A kind of principal and what it may do on each kind of path of repository libs, before anonymous read. */
    enum Case {
        ANONYMOUS(Principal.ANONYMOUS, NONE, NONE, NONE),
        USER_GRANT(user("alice", false, Set.of(), Scope.USER), R, NONE, NONE),
        GROUP_GRANT(user("carol", false, Set.of("devs"), Scope.USER), RWD, NONE, NONE),
        ADMIN(user("root", true, Set.of(), Scope.USER), ALL, ALL, ALL),
        NO_GRANT(user("dave", false, Set.of("nobody"), Scope.USER), NONE, NONE, NONE),
        SCOPE_NARROWER(
                user("carol", false, Set.of("devs"), Scope.parse("artifact:libs/test1/com/acme/**:r")), R, NONE, NONE),
        SCOPE_WIDER_OWNER_WINS(user("alice", false, Set.of(), Scope.parse("artifact:libs/**:*")), R, NONE, NONE),
        GROUPS_SCOPE(
                user("carol", false, Set.of("devs"), Scope.parse("applied-permissions/groups:devs")), RWD, NONE, NONE),
        GROUPS_SCOPE_NOT_A_MEMBER(
                user("alice", false, Set.of(), Scope.parse("applied-permissions/groups:devs")), R, NONE, NONE),
        GROUPS_SCOPE_OTHER_GROUP(
                user("carol", false, Set.of("devs"), Scope.parse("applied-permissions/groups:qa")), NONE, NONE, NONE),
        ADMIN_SCOPED(
                user("root", true, Set.of(), Scope.parse("artifact:libs/test1/**:r,w")),
                EnumSet.of(READ, WRITE),
                EnumSet.of(READ, WRITE),
                EnumSet.of(READ, WRITE)),
        SCOPE_OTHER_REPO(user("carol", false, Set.of("devs"), Scope.parse("artifact:other/**:*")), NONE, NONE, NONE),
        SCOPE_UNION(
                user(
                        "carol",
                        false,
                        Set.of("devs"),
                        Scope.parse("artifact:libs/test1/com/acme/*.jar:w artifact:libs/**:d")),
                EnumSet.of(WRITE, DELETE),
                NONE,
                NONE),
        ADMIN_SCOPE_ITEM(user("carol", false, Set.of("devs"), Scope.ADMIN), RWD, NONE, NONE);

        final Principal principal;
        final Map<PathKind, Set<Action>> rights;

        Case(Principal principal, Set<Action> matching, Set<Action> excluded, Set<Action> sibling) {
            this.principal = principal;
            this.rights =
                    Map.of(PathKind.MATCHING, matching, PathKind.EXCLUDED, excluded, PathKind.SIBLING_PREFIX, sibling);
        }
    }

    private static Principal user(String name, boolean admin, Set<String> groups, Scope scope) {
        return new Principal.User(name.hashCode(), name, admin, groups, scope);
    }

    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (Case c : Case.values()) {
            for (boolean anonymousRead : new boolean[] {false, true}) {
                for (Action a : Action.values()) {
                    for (PathKind k : PathKind.values()) {
                        rows.add(Arguments.of(c, anonymousRead, a, k));
                    }
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} anonymousRead={1} {2} {3}")
    @MethodSource("table")
    void exhaustiveTable(Case c, boolean anonymousRead, Action action, PathKind kind) {
        RepoAccess repo = new RepoAccess("libs", anonymousRead);
        boolean expected = c.rights.get(kind).contains(action) || (anonymousRead && action == READ);

        Decision d = AUTHZ.decide(c.principal, action, repo, kind.path, INDEX);

        assertThat(d.allowed()).as(d.reason()).isEqualTo(expected);
        assertThat(AUTHZ.allows(c.principal, action, repo, kind.path, INDEX))
                .as("allows()")
                .isEqualTo(expected);
        assertThat(d.matchedBy().isEmpty()).as("matchedBy %s", d.matchedBy()).isEqualTo(!d.allowed());
        assertThat(d.reason()).isNotBlank();
        if (d.allowed()) {
            assertThat(AUTHZ.mayActUnder(c.principal, action, repo, kind.path, INDEX))
                    .isTrue();
            assertThat(AUTHZ.mayActUnder(c.principal, action, repo, ArtifactPath.ROOT, INDEX))
                    .isTrue();
            assertThat(AUTHZ.actionsSomewhereIn(c.principal, repo, INDEX)).contains(action);
        }
        // Another repository never borrows the grants of libs.
        Decision elsewhere = AUTHZ.decide(c.principal, action, new RepoAccess("nowhere", false), kind.path, INDEX);
        assertThat(elsewhere.allowed()).isEqualTo(c == Case.ADMIN);
        assertThat(AUTHZ.allows(c.principal, action, new RepoAccess("nowhere", false), kind.path, INDEX))
                .isEqualTo(c == Case.ADMIN);
    }

    @Test
    void reasonsAndMatchedBy() {
        RepoAccess libs = new RepoAccess("libs", false);
        ArtifactPath jar = PathKind.MATCHING.path;

        Decision viaGroup = AUTHZ.decide(Case.GROUP_GRANT.principal, WRITE, libs, jar, INDEX);
        assertThat(viaGroup.matchedBy()).containsExactly("target:deployers(group:devs)");
        assertThat(viaGroup.reason()).isEqualTo("granted by permission target 'deployers' via group 'devs'");

        Decision viaUser = AUTHZ.decide(Case.USER_GRANT.principal, READ, libs, jar, INDEX);
        assertThat(viaUser.matchedBy()).containsExactly("target:readers(user:alice)");

        Decision admin = AUTHZ.decide(Case.ADMIN.principal, Action.MANAGE, libs, jar, INDEX);
        assertThat(admin.matchedBy()).containsExactly("admin");
        assertThat(admin.reason()).isEqualTo("user is an administrator");

        Decision scoped = AUTHZ.decide(Case.SCOPE_NARROWER.principal, READ, libs, jar, INDEX);
        assertThat(scoped.matchedBy())
                .containsExactly("target:deployers(group:devs)", "scope:artifact:libs/test1/com/acme/**:r");

        Decision anon = AUTHZ.decide(Principal.ANONYMOUS, READ, new RepoAccess("oss", true), jar, INDEX);
        assertThat(anon.matchedBy()).containsExactly("anonymousRead");
        assertThat(anon.reason()).isEqualTo("repository 'oss' allows anonymous read");

        Decision noGrant = AUTHZ.decide(Case.USER_GRANT.principal, WRITE, libs, ArtifactPath.of("libs/a/b.jar"), INDEX);
        assertThat(noGrant.reason()).isEqualTo("no permission target grants 'w' on libs/libs/a/b.jar to alice");
        assertThat(noGrant.matchedBy()).isEmpty();

        Decision outOfScope = AUTHZ.decide(Case.SCOPE_NARROWER.principal, WRITE, libs, jar, INDEX);
        assertThat(outOfScope.reason())
                .startsWith("the token's scope does not cover 'w' on libs/test1/com/acme/lib.jar");

        // the narrowest token still reads a public repository
        Decision publicRead = AUTHZ.decide(
                Case.SCOPE_OTHER_REPO.principal,
                READ,
                new RepoAccess("libs", true),
                PathKind.SIBLING_PREFIX.path,
                INDEX);
        assertThat(publicRead.allowed()).isTrue();
        assertThat(publicRead.matchedBy()).containsExactly("anonymousRead");
    }

    @Test
    void mayActUnderFolders() {
        RepoAccess libs = new RepoAccess("libs", false);
        Principal alice = Case.USER_GRANT.principal;
        assertThat(AUTHZ.mayActUnder(alice, READ, libs, ArtifactPath.ROOT, INDEX))
                .isTrue();
        assertThat(AUTHZ.mayActUnder(alice, READ, libs, ArtifactPath.of("test1"), INDEX))
                .isTrue();
        assertThat(AUTHZ.mayActUnder(alice, READ, libs, ArtifactPath.of("test1/com"), INDEX))
                .isTrue();
        assertThat(AUTHZ.mayActUnder(alice, READ, libs, ArtifactPath.of("test1/comm"), INDEX))
                .isFalse();
        assertThat(AUTHZ.mayActUnder(alice, READ, libs, ArtifactPath.of("test1/com/secret"), INDEX))
                .isFalse();
        assertThat(AUTHZ.mayActUnder(alice, READ, libs, ArtifactPath.of("test1/com/secret/x"), INDEX))
                .isFalse();
        assertThat(AUTHZ.mayActUnder(alice, WRITE, libs, ArtifactPath.of("test1"), INDEX))
                .isFalse();
        assertThat(AUTHZ.mayActUnder(alice, READ, new RepoAccess("libs", true), ArtifactPath.of("test1/comm"), INDEX))
                .isTrue();
        assertThat(AUTHZ.mayActUnder(Principal.ANONYMOUS, READ, libs, ArtifactPath.ROOT, INDEX))
                .isFalse();
        assertThat(AUTHZ.mayActUnder(Case.ADMIN.principal, Action.SYNC, libs, ArtifactPath.of("x/y"), INDEX))
                .isTrue();

        Principal narrow = Case.SCOPE_NARROWER.principal;
        assertThat(AUTHZ.mayActUnder(narrow, READ, libs, ArtifactPath.of("test1"), INDEX))
                .isTrue();
        assertThat(AUTHZ.mayActUnder(narrow, READ, libs, ArtifactPath.of("test1/com/other"), INDEX))
                .isFalse();
        assertThat(AUTHZ.mayActUnder(narrow, WRITE, libs, ArtifactPath.of("test1"), INDEX))
                .isFalse();
    }

    @Test
    void actionsSomewhereIn() {
        RepoAccess libs = new RepoAccess("libs", false);
        RepoAccess oss = new RepoAccess("oss", true);
        assertThat(AUTHZ.actionsSomewhereIn(Principal.ANONYMOUS, libs, INDEX)).isEmpty();
        assertThat(AUTHZ.actionsSomewhereIn(Principal.ANONYMOUS, oss, INDEX)).containsExactly(READ);
        assertThat(AUTHZ.actionsSomewhereIn(Case.USER_GRANT.principal, libs, INDEX))
                .containsExactly(READ);
        assertThat(AUTHZ.actionsSomewhereIn(Case.GROUP_GRANT.principal, libs, INDEX))
                .containsExactlyInAnyOrderElementsOf(RWD);
        assertThat(AUTHZ.actionsSomewhereIn(Case.ADMIN.principal, libs, INDEX)).isEqualTo(ALL);
        assertThat(AUTHZ.actionsSomewhereIn(Case.NO_GRANT.principal, libs, INDEX))
                .isEmpty();
        assertThat(AUTHZ.actionsSomewhereIn(Case.NO_GRANT.principal, oss, INDEX))
                .containsExactly(READ);
        assertThat(AUTHZ.actionsSomewhereIn(Case.SCOPE_NARROWER.principal, libs, INDEX))
                .containsExactly(READ);
        assertThat(AUTHZ.actionsSomewhereIn(Case.SCOPE_OTHER_REPO.principal, libs, INDEX))
                .isEmpty();
        assertThat(AUTHZ.actionsSomewhereIn(Case.SCOPE_OTHER_REPO.principal, new RepoAccess("other", false), INDEX))
                .isEqualTo(ALL);
        assertThat(AUTHZ.actionsSomewhereIn(Case.ADMIN_SCOPED.principal, libs, INDEX))
                .containsExactly(READ, WRITE);
        assertThat(AUTHZ.actionsSomewhereIn(Case.USER_GRANT.principal, new RepoAccess("other", false), INDEX))
                .isEqualTo(ALL);
    }

    @Test
    void anyRepositoryTargetsApplyEverywhere() {
        PermissionIndex index = PermissionIndex.of(List.of(new PermissionTarget(
                "all-read",
                List.of("*"),
                List.of(),
                List.of("**/*.key"),
                Map.of(),
                Map.of("staff", EnumSet.of(READ)))));
        Principal bob = user("bob", false, Set.of("staff"), Scope.USER);
        for (String repo : List.of("a", "b", "libs")) {
            assertThat(AUTHZ.decide(bob, READ, new RepoAccess(repo, false), ArtifactPath.of("x/y.jar"), index)
                            .allowed())
                    .isTrue();
            assertThat(AUTHZ.decide(bob, READ, new RepoAccess(repo, false), ArtifactPath.of("x/y.key"), index)
                            .allowed())
                    .isFalse();
        }
        assertThat(AUTHZ.decide(bob, READ, new RepoAccess("a", false), ArtifactPath.ROOT, index)
                        .allowed())
                .isTrue();
    }

    @Test
    void decideOnlyLooksAtTargetsOfThePrincipal() {
        List<PermissionTarget> targets = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            // every thousandth target covers every repository
            List<String> repos = i % 1000 == 0 ? List.of("*") : List.of("repo" + (i % 100));
            targets.add(new PermissionTarget(
                    "t" + i,
                    repos,
                    List.of("org/p" + i + "/**"),
                    List.of(),
                    Map.of("user" + i, EnumSet.of(READ)),
                    Map.of("group" + (i % 5000), R)));
        }
        PermissionIndex index = PermissionIndex.of(targets);
        assertThat(index.targets()).hasSize(100_000);
        Principal u = user("user4242", false, Set.of("group1"), Scope.USER);
        RepoAccess repo = new RepoAccess("repo42", false);
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            assertThat(AUTHZ.decide(u, READ, repo, ArtifactPath.of("org/p4242/a.jar"), index)
                            .allowed())
                    .isTrue();
        }
        assertThat(AUTHZ.decide(u, READ, repo, ArtifactPath.of("org/p4243/a.jar"), index)
                        .allowed())
                .isFalse();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
