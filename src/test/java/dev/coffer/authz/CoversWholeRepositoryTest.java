package dev.coffer.authz;

import static dev.coffer.common.Action.MANAGE;
import static dev.coffer.common.Action.READ;
import static dev.coffer.common.Action.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/**
 * {@link Authorizer#coversWholeRepository}: the test of a change that widens a repository's
 * exposure (API.md §3, issue 15 finding 2). Every principal of the table is asked for {m,r},
 * {m} and {r} on repository {@code mrepo}, with its anonymous read off and on.
 */
class CoversWholeRepositoryTest {
    private static final Authorizer AUTHZ = new Authorizer();
    private static final String REPO = "mrepo";
    private static final Set<Action> MR = EnumSet.of(MANAGE, READ);
    private static final Set<Action> M = EnumSet.of(MANAGE);
    private static final Set<Action> R = EnumSet.of(READ);
    private static final Set<Action> NONE = EnumSet.noneOf(Action.class);

    private static PermissionTarget target(
            String name,
            List<String> repos,
            List<String> includes,
            List<String> excludes,
            Map<String, Set<Action>> users,
            Map<String, Set<Action>> groups) {
        return new PermissionTarget(name, repos, includes, excludes, users, groups);
    }

    private static PermissionTarget forUser(
            String name, List<String> includes, List<String> excludes, String user, Set<Action> actions) {
        return target(name, List.of(REPO), includes, excludes, Map.of(user, actions), Map.of());
    }

    static final PermissionIndex INDEX = PermissionIndex.of(List.of(
            // the finding: m on a settings folder only
            forUser("settings-m", List.of("settings/**"), List.of(), "sub", M),
            forUser("whole-mr", List.of("**"), List.of(), "whole", MR),
            forUser("whole-mrw", List.of(), List.of(), "nopattern", EnumSet.of(MANAGE, READ, WRITE)),
            forUser("leading-slash", List.of("/**"), List.of(), "slash", MR),
            forUser("two-includes", List.of("settings/**", "**"), List.of(), "multi", MR),
            forUser("excluding", List.of("**"), List.of("private/**"), "excl", MR),
            forUser("excluding-nothing-real", List.of("**"), List.of("no/such/folder/**"), "exclnone", MR),
            forUser("double-star", List.of("**/**"), List.of(), "dbl", MR),
            forUser("only-m", List.of("**"), List.of(), "monly", M),
            forUser("only-r", List.of("**"), List.of(), "ronly", R),
            // each action through its own whole-repository target: covered
            forUser("split-m", List.of("**"), List.of(), "split", M),
            forUser("split-r", List.of("**"), List.of(), "split", R),
            // m everywhere but r only on part: not covered
            forUser("partial-r-m", List.of("**"), List.of(), "partr", M),
            forUser("partial-r-r", List.of("settings/**"), List.of(), "partr", R),
            // two targets whose union is everything: refused (no single grant covers it)
            forUser("half-1", List.of("**"), List.of("private/**"), "halves", MR),
            forUser("half-2", List.of("private/**"), List.of(), "halves", MR),
            target("any-repo", List.of("*"), List.of("**"), List.of(), Map.of("star", MR), Map.of()),
            target("other-repo", List.of("other"), List.of("**"), List.of(), Map.of("otherrepo", MR), Map.of()),
            target("listed", List.of("other", REPO), List.of("**"), List.of(), Map.of("listed", MR), Map.of()),
            target("group-whole", List.of(REPO), List.of("**"), List.of(), Map.of(), Map.of("wg", MR)),
            target("group-part", List.of(REPO), List.of("settings/**"), List.of(), Map.of(), Map.of("pg", MR))));

    private static Principal user(String name, Set<String> groups, String scope) {
        return new Principal.User(name.hashCode(), name, false, groups, Scope.parse(scope));
    }

    private static Principal user(String name, String scope) {
        return user(name, Set.of(), scope);
    }

    private static Principal admin(String scope) {
        return new Principal.User(1, "root", true, Set.of(), Scope.parse(scope));
    }

    private static final String USER = "applied-permissions/user";

    /** A principal and which of {m,r}, {m}, {r} it covers on the whole of mrepo. */
    enum Row {
        ANONYMOUS(Principal.ANONYMOUS, false, false, false),
        ADMIN_PASSWORD(admin(USER), true, true, true),
        ADMIN_ADMIN_SCOPE(admin("applied-permissions/admin"), true, true, true),
        ADMIN_USER_SCOPE_AND_MORE(admin("artifact:mrepo/settings/**:m " + USER), true, true, true),
        // a narrowed token of an administrator is not an administrator, and admins hold no grants
        ADMIN_NARROW_SCOPE(admin("artifact:mrepo/settings/**:m,r"), false, false, false),
        ADMIN_WHOLE_REPO_SCOPE(admin("artifact:mrepo/**:m,r"), false, false, false),
        ADMIN_GROUPS_SCOPE(admin("applied-permissions/groups:wg"), false, false, false),
        SETTINGS_M_ONLY(user("sub", USER), false, false, false),
        WHOLE(user("whole", USER), true, true, true),
        WHOLE_NO_PATTERN_MEANS_EVERYTHING(user("nopattern", USER), true, true, true),
        WHOLE_LEADING_SLASH(user("slash", USER), true, true, true),
        WHOLE_AMONG_INCLUDES(user("multi", USER), true, true, true),
        EXCLUDE(user("excl", USER), false, false, false),
        EXCLUDE_OF_NOTHING_STILL_AN_EXCLUDE(user("exclnone", USER), false, false, false),
        DOUBLE_STAR_SPELLING(user("dbl", USER), false, false, false),
        M_ONLY(user("monly", USER), false, true, false),
        R_ONLY(user("ronly", USER), false, false, true),
        SPLIT_OVER_TWO_TARGETS(user("split", USER), true, true, true),
        PARTIAL_R(user("partr", USER), false, true, false),
        UNION_OF_HALVES(user("halves", USER), false, false, false),
        ANY_REPOSITORY_TARGET(user("star", USER), true, true, true),
        OTHER_REPOSITORY(user("otherrepo", USER), false, false, false),
        LISTED_AMONG_REPOSITORIES(user("listed", USER), true, true, true),
        NO_GRANT(user("nobody", USER), false, false, false),
        GROUP_WHOLE(user("gina", Set.of("wg"), USER), true, true, true),
        GROUP_PART(user("gina", Set.of("pg"), USER), false, false, false),
        // scopes of a covering user
        WHOLE_ADMIN_ITEM(user("whole", "applied-permissions/admin"), true, true, true),
        WHOLE_ARTIFACT_SCOPE(user("whole", "artifact:mrepo/**:m,r"), true, true, true),
        WHOLE_ARTIFACT_SCOPE_NO_PATH(user("whole", "artifact:mrepo:m,r"), true, true, true),
        WHOLE_ARTIFACT_SCOPE_STAR(user("whole", "artifact:mrepo/**:*"), true, true, true),
        WHOLE_SCOPE_UNION_PER_ACTION(user("whole", "artifact:mrepo/**:m artifact:mrepo/**:r"), true, true, true),
        WHOLE_SCOPE_NARROW_PATH(user("whole", "artifact:mrepo/settings/**:m,r"), false, false, false),
        WHOLE_SCOPE_M_ONLY(user("whole", "artifact:mrepo/**:m"), false, true, false),
        WHOLE_SCOPE_DOUBLE_STAR(user("whole", "artifact:mrepo/**/**:m,r"), false, false, false),
        WHOLE_SCOPE_OTHER_REPO(user("whole", "artifact:other/**:m,r"), false, false, false),
        WHOLE_SCOPE_WHOLE_AND_NARROW(
                user("whole", "artifact:mrepo/settings/**:m artifact:mrepo/**:r"), false, false, true),
        // a scope never adds to the owner's rights
        SETTINGS_M_WIDE_SCOPE(user("sub", "artifact:mrepo/**:*"), false, false, false),
        GROUP_SCOPE_WHOLE(user("gina", Set.of("wg"), "applied-permissions/groups:wg"), true, true, true),
        GROUP_SCOPE_PART(user("whole", Set.of("pg"), "applied-permissions/groups:pg"), false, false, false),
        GROUP_SCOPE_NOT_A_MEMBER(user("whole", "applied-permissions/groups:wg"), true, true, true),
        GROUP_SCOPE_OTHER_GROUP(user("gina", Set.of("wg"), "applied-permissions/groups:nothere"), false, false, false);

        final Principal principal;
        final boolean mr;
        final boolean m;
        final boolean r;

        Row(Principal principal, boolean mr, boolean m, boolean r) {
            this.principal = principal;
            this.mr = mr;
            this.m = m;
            this.r = r;
        }
    }

    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (Row row : Row.values()) {
            for (boolean anonymousRead : new boolean[] {false, true}) {
                rows.add(Arguments.of(row, anonymousRead));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} anonymousRead={1}")
    @MethodSource("table")
    void exhaustiveTable(Row row, boolean anonymousRead) {
        RepoAccess repo = new RepoAccess(REPO, anonymousRead);
        assertThat(AUTHZ.coversWholeRepository(row.principal, MR, repo, INDEX))
                .as("{m,r}")
                .isEqualTo(row.mr);
        assertThat(AUTHZ.coversWholeRepository(row.principal, M, repo, INDEX))
                .as("{m}")
                .isEqualTo(row.m);
        assertThat(AUTHZ.coversWholeRepository(row.principal, R, repo, INDEX))
                .as("{r}")
                .isEqualTo(row.r);
        // a repository nobody named borrows nothing, except from "*" targets and administrators
        boolean elsewhere = row == Row.ANY_REPOSITORY_TARGET
                || row == Row.ADMIN_PASSWORD
                || row == Row.ADMIN_ADMIN_SCOPE
                || row == Row.ADMIN_USER_SCOPE_AND_MORE;
        assertThat(AUTHZ.coversWholeRepository(row.principal, MR, new RepoAccess("unnamed", anonymousRead), INDEX))
                .as("another repository")
                .isEqualTo(elsewhere);
        // whoever covers it may do those actions on any path of it, whatever the path
        if (row.mr) {
            for (String p : List.of(
                    "settings/app.yml", "private/payroll.csv", "a.jar", "deep/er/still/x", "no/such/folder/y")) {
                for (Action a : MR) {
                    assertThat(AUTHZ.allows(row.principal, a, new RepoAccess(REPO, false), ArtifactPath.of(p), INDEX))
                            .as("%s on %s", a, p)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void theRepositorysOwnAnonymousReadIsNotTheCallersRead() {
        Principal monly = user("monly", USER);
        RepoAccess publicRepo = new RepoAccess(REPO, true);
        // decide() lets anyone read a public repository...
        assertThat(AUTHZ.allows(monly, READ, publicRepo, ArtifactPath.of("private/payroll.csv"), INDEX))
                .isTrue();
        assertThat(AUTHZ.actionsSomewhereIn(monly, publicRepo, INDEX)).contains(READ, MANAGE);
        // ...but that read is everyone's, not a right of the caller's that could be passed on
        assertThat(AUTHZ.coversWholeRepository(monly, MR, publicRepo, INDEX)).isFalse();
        assertThat(AUTHZ.coversWholeRepository(Principal.ANONYMOUS, R, publicRepo, INDEX))
                .isFalse();
    }

    @Test
    void anEmptySetOfActionsIsAMistakeNotAYes() {
        assertThatThrownBy(() ->
                        AUTHZ.coversWholeRepository(user("whole", USER), NONE, new RepoAccess(REPO, false), INDEX))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyIndexCoversNothingButAdministrators() {
        RepoAccess repo = new RepoAccess(REPO, false);
        assertThat(AUTHZ.coversWholeRepository(user("whole", USER), MR, repo, PermissionIndex.EMPTY))
                .isFalse();
        assertThat(AUTHZ.coversWholeRepository(admin(USER), MR, repo, PermissionIndex.EMPTY))
                .isTrue();
        assertThat(AUTHZ.coversWholeRepository(admin("artifact:mrepo/**:*"), MR, repo, PermissionIndex.EMPTY))
                .isFalse();
    }
}
