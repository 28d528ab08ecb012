package dev.coffer.authz;

import static dev.coffer.common.Action.DELETE;
import static dev.coffer.common.Action.READ;
import static dev.coffer.common.Action.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Examples of the caller seen through a virtual repository (API.md §9), as the issue states them. */
class ThroughVirtualTest {
    private static final Authorizer AUTHZ = new Authorizer();
    private static final String V = "maven-virtual";
    private static final String M = "libs-local";

    /** alice reads and writes everything in the member and in the virtual repository. */
    private static final PermissionIndex INDEX = PermissionIndex.of(List.of(
            new PermissionTarget(
                    "alice-all",
                    List.of(M, V),
                    List.of("**"),
                    List.of(),
                    Map.of("alice", EnumSet.of(READ, WRITE)),
                    Map.of()),
            new PermissionTarget(
                    "devs-acme", List.of(M), List.of("com/acme/**"), List.of(), Map.of(), Map.of("devs", Set.of(READ))),
            new PermissionTarget(
                    "bob-virtual-only", List.of(V), List.of("**"), List.of(), Map.of("bob", Set.of(READ)), Map.of())));

    private static Principal alice(String scope) {
        return new Principal.User(1, "alice", false, Set.of("devs"), Scope.parse(scope));
    }

    private static boolean onMember(Principal p, Action a, String path) {
        return AUTHZ.allows(p.throughVirtual(V, M), a, new RepoAccess(M, false), ArtifactPath.of(path), INDEX);
    }

    private static boolean direct(Principal p, Action a, String repo, String path) {
        return AUTHZ.allows(p, a, new RepoAccess(repo, false), ArtifactPath.of(path), INDEX);
    }

    @ParameterizedTest(name = "{0} | {1} {2} -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // the example: the virtual repository's item covers the same paths in the member
                "artifact:maven-virtual/com/acme/**:r | r | com/acme/lib/1.0/lib-1.0.jar | true",
                "artifact:maven-virtual/com/acme/**:r | r | com/acmecorp/lib/1.0/lib-1.0.jar | false",
                "artifact:maven-virtual/com/acme/**:r | r | com/other/x/1/x-1.jar | false",
                "artifact:maven-virtual/com/acme/**:r | w | com/acme/lib/1.0/lib-1.0.jar | false",
                // the same actions: w through the virtual repository needs w in the item
                "artifact:maven-virtual/com/acme/**:r,w | w | com/acme/lib/1.0/lib-1.0.jar | true",
                // and the owner's rights still apply: alice has no d anywhere
                "artifact:maven-virtual/**:* | d | com/acme/lib/1.0/lib-1.0.jar | false",
                // a token scoped to the member directly does not pass through the virtual repository
                "artifact:libs-local/**:r | r | com/acme/lib/1.0/lib-1.0.jar | false",
                // a token scoped to another virtual repository does not reach the member through this one
                "artifact:other-virtual/**:r | r | com/acme/lib/1.0/lib-1.0.jar | false",
                // applied-permissions items are unchanged: the owner's, or the groups', rights on the member
                "applied-permissions/user | r | com/other/x/1/x-1.jar | true",
                "applied-permissions/groups:devs | r | com/acme/lib/1.0/lib-1.0.jar | true",
                "applied-permissions/groups:devs | r | com/other/x/1/x-1.jar | false",
                "applied-permissions/groups:devs | w | com/acme/lib/1.0/lib-1.0.jar | false",
            })
    void aliceThroughTheVirtual(String scope, String action, String path, boolean expected) {
        assertThat(onMember(alice(scope), Action.fromLetter(action), path)).isEqualTo(expected);
    }

    @Test
    void aScopedTokenReadsTheMemberOnlyThroughTheVirtual() {
        Principal token = alice("artifact:maven-virtual/com/acme/**:r");
        String path = "com/acme/lib/1.0/lib-1.0.jar";
        assertThat(direct(token, READ, V, path)).as("admission on the virtual").isTrue();
        assertThat(onMember(token, READ, path))
                .as("the member through the virtual")
                .isTrue();
        assertThat(direct(token, READ, M, path)).as("the member directly").isFalse();
    }

    @Test
    void aScopeNeverWidensTheOwnersRightsOnTheMember() {
        // bob may read the virtual repository but holds nothing in the member
        Principal bob = new Principal.User(2, "bob", false, Set.of(), Scope.USER);
        Principal bobToken = new Principal.User(2, "bob", false, Set.of(), Scope.parse("artifact:maven-virtual/**:*"));
        for (Principal p : List.of(bob, bobToken)) {
            assertThat(direct(p, READ, V, "com/acme/a.jar")).isTrue();
            assertThat(onMember(p, READ, "com/acme/a.jar")).isFalse();
        }
    }

    @Test
    void anAdministratorsNarrowedTokenIsNarrowedOnTheMemberToo() {
        Principal root = new Principal.User(3, "root", true, Set.of(), Scope.parse("artifact:maven-virtual/com/**:r"));
        assertThat(onMember(root, READ, "com/acme/a.jar")).isTrue();
        assertThat(onMember(root, READ, "org/a.jar")).isFalse();
        assertThat(onMember(root, DELETE, "com/acme/a.jar")).isFalse();
        Principal full = new Principal.User(3, "root", true, Set.of(), Scope.USER);
        assertThat(onMember(full, DELETE, "org/a.jar")).isTrue();
    }

    @Test
    void anonymousReadsAMemberOnlyWhenItIsPublic() {
        ArtifactPath p = ArtifactPath.of("com/acme/a.jar");
        Principal anon = Principal.ANONYMOUS.throughVirtual(V, M);
        assertThat(AUTHZ.allows(anon, READ, new RepoAccess(M, true), p, INDEX)).isTrue();
        assertThat(AUTHZ.allows(anon, READ, new RepoAccess(M, false), p, INDEX)).isFalse();
        assertThat(AUTHZ.allows(anon, WRITE, new RepoAccess(M, true), p, INDEX)).isFalse();
    }

    @Test
    void theRewrittenScopeNamesTheMemberAndKeepsEverythingElseOfTheVirtualItems() {
        Scope s =
                Scope.parse("artifact:maven-virtual/com/acme/**:r,w artifact:libs-local/**:d applied-permissions/user");
        assertThat(s.throughVirtual(V, M).toString())
                .isEqualTo("artifact:libs-local/com/acme/**:r,w applied-permissions/user");
        assertThat(Scope.USER.throughVirtual(V, M)).isSameAs(Scope.USER);
        assertThat(Scope.parse("artifact:libs-local/**:r").throughVirtual(V, M).items())
                .isEmpty();
    }
}
