package dev.coffer.virtual;

import static dev.coffer.virtual.Resolution.Outcome.ABSENT;
import static dev.coffer.virtual.Resolution.Outcome.ANSWERS;
import static dev.coffer.virtual.Resolution.Outcome.MISSING;
import static dev.coffer.virtual.Resolution.Outcome.NAMESPACE_PROTECTED;
import static dev.coffer.virtual.Resolution.Outcome.NOT_ASKED;
import static dev.coffer.virtual.Resolution.Outcome.NOT_READABLE;
import static dev.coffer.virtual.Resolution.Outcome.OUTSIDE_PATTERNS;
import static dev.coffer.virtual.Resolution.Outcome.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.authz.PermissionTarget;
import dev.coffer.authz.Principal;
import dev.coffer.authz.Scope;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.AuthMethod;
import dev.coffer.credential.Caller;
import dev.coffer.remote.Delivery;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.PathFilter;
import dev.coffer.repository.Repository;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The member walk of a virtual repository, on repositories in memory and the real authorizer. */
class VirtualResolverTest {
    static final String JAR = "com/acme/lib/1.0/lib-1.0.jar";
    final FakeMembers w = new FakeMembers();

    static Caller user(String name, Scope scope) {
        return new Caller(
                new Principal.User(name.hashCode(), name, false, Set.of(), scope),
                scope.equals(Scope.USER) ? AuthMethod.PASSWORD : AuthMethod.ACCESS_TOKEN,
                scope.equals(Scope.USER) ? null : "tok-1");
    }

    void grant(String user, String repo, String include, Action... actions) {
        w.targets.add(new PermissionTarget(
                "t" + w.targets.size(),
                List.of(repo),
                List.of(include),
                List.of(),
                Map.of(user, EnumSet.copyOf(List.of(actions))),
                Map.of()));
    }

    static List<Resolution.Outcome> outcomes(Resolution r) {
        return r.steps().stream().map(Resolution.Step::outcome).toList();
    }

    static ArtifactPath p(String path) {
        return ArtifactPath.of(path);
    }

    @Test
    void theFirstMemberThatHasTheFileAnswersAndLaterOnesAreNotAsked() {
        w.local("a");
        w.local("b");
        w.local("c");
        Repository v = w.virtual("v", PackageType.MAVEN, false, null, "a", "b", "c");
        w.file("b", JAR, "from b");
        w.file("c", JAR, "from c");
        Caller alice = user("alice", Scope.USER);
        grant("alice", "*", "**", Action.READ);

        Resolution r = w.resolver().first(v, alice, p(JAR));

        assertThat(r.first().orElseThrow().member().name()).isEqualTo("b");
        assertThat(outcomes(r)).containsExactly(ABSENT, ANSWERS, NOT_ASKED);
        assertThat(w.asked).containsExactly("a:" + JAR, "b:" + JAR);
        assertThat(w.resolver().all(v, alice, p(JAR)).hits()).hasSize(2);
    }

    @Test
    void aMemberWhosePatternsLeaveThePathOutIsNotAsked() {
        w.local("internal", false, new PathFilter(List.of("com/acme/**"), List.of("com/acme/secret/**")));
        w.local("all");
        Repository v = w.virtual("v", PackageType.MAVEN, false, null, "internal", "all");
        for (String path : List.of(JAR, "org/x/y/1/y-1.jar", "com/acme/secret/s/1/s-1.jar")) {
            w.file("internal", path, "internal");
            w.file("all", path, "all");
        }
        grant("alice", "*", "**", Action.READ);
        VirtualResolver resolver = w.resolver();
        Caller alice = user("alice", Scope.USER);

        assertThat(resolver.first(v, alice, p(JAR))
                        .first()
                        .orElseThrow()
                        .member()
                        .name())
                .isEqualTo("internal");
        Resolution other = resolver.first(v, alice, p("org/x/y/1/y-1.jar"));
        assertThat(outcomes(other)).containsExactly(OUTSIDE_PATTERNS, ANSWERS);
        Resolution excluded = resolver.first(v, alice, p("com/acme/secret/s/1/s-1.jar"));
        assertThat(outcomes(excluded)).containsExactly(OUTSIDE_PATTERNS, ANSWERS);
        assertThat(w.asked).doesNotContain("internal:org/x/y/1/y-1.jar", "internal:com/acme/secret/s/1/s-1.jar");
    }

    @Test
    void aMemberTheCallerMayNotReadIsSkippedAsIfAbsent() {
        w.local("private");
        w.local("open");
        Repository v = w.virtual("v", PackageType.MAVEN, false, null, "private", "open");
        w.file("private", JAR, "secret build");
        w.file("open", JAR, "public build");
        grant("bob", "v", "**", Action.READ);
        grant("bob", "open", "**", Action.READ);

        Resolution r = w.resolver().first(v, user("bob", Scope.USER), p(JAR));

        assertThat(outcomes(r)).containsExactly(NOT_READABLE, ANSWERS);
        assertThat(r.first().orElseThrow().member().name()).isEqualTo("open");
        // the unreadable member was never asked: its content is not even looked up
        assertThat(w.asked).containsExactly("open:" + JAR);
    }

    @Test
    void aScopedTokenReadsMembersOnlyWhereItsVirtualItemReaches() {
        w.local("libs");
        Repository v = w.virtual("maven-virtual", PackageType.MAVEN, false, null, "libs");
        w.file("libs", JAR, "acme");
        w.file("libs", "com/other/x/1/x-1.jar", "other");
        grant("carol", "*", "**", Action.READ);
        VirtualResolver resolver = w.resolver();
        Caller viaVirtual = user("carol", Scope.parse("artifact:maven-virtual/com/acme/**:r"));
        Caller viaMember = user("carol", Scope.parse("artifact:libs/**:r"));
        Caller viaOther = user("carol", Scope.parse("artifact:other-virtual/**:r"));

        assertThat(outcomes(resolver.first(v, viaVirtual, p(JAR)))).containsExactly(ANSWERS);
        assertThat(outcomes(resolver.first(v, viaVirtual, p("com/other/x/1/x-1.jar"))))
                .containsExactly(NOT_READABLE);
        assertThat(outcomes(resolver.first(v, viaMember, p(JAR)))).containsExactly(NOT_READABLE);
        assertThat(outcomes(resolver.first(v, viaOther, p(JAR)))).containsExactly(NOT_READABLE);
    }

    @Test
    void anonymousReadsThroughTheVirtualOnlyFromPublicMembers() {
        w.local("private");
        w.local("public", true, PathFilter.ALL);
        Repository v = w.virtual("v", PackageType.MAVEN, true, null, "private", "public");
        w.file("private", JAR, "private");
        w.file("public", JAR, "public");
        w.file("private", "only/in/private.txt", "private");

        VirtualResolver resolver = w.resolver();
        assertThat(outcomes(resolver.first(v, Caller.ANONYMOUS, p(JAR)))).containsExactly(NOT_READABLE, ANSWERS);
        assertThat(resolver.first(v, Caller.ANONYMOUS, p("only/in/private.txt")).first())
                .isEmpty();
    }

    @Test
    void aRemoteMemberIsNotAskedForANamespaceALocalMemberHolds() {
        w.local("libs");
        w.remote("central", true);
        Repository v = w.virtual("v", PackageType.MAVEN, false, null, "libs", "central");
        w.file("libs", "com/acme/lib/1.0/lib-1.0.jar", "ours");
        // the upstream has a "newer" version of our coordinates, and an unrelated library
        w.file("central", "com/acme/lib/9.9/lib-9.9.jar", "theirs");
        w.file("central", "org/junit/junit/4.13/junit-4.13.jar", "junit");
        grant("alice", "*", "**", Action.READ);
        VirtualResolver resolver = w.resolver();
        Caller alice = user("alice", Scope.USER);

        Resolution confused = resolver.first(v, alice, p("com/acme/lib/9.9/lib-9.9.jar"));
        assertThat(outcomes(confused)).containsExactly(ABSENT, NAMESPACE_PROTECTED);
        assertThat(confused.first()).isEmpty();
        assertThat(w.asked).doesNotContain("central:com/acme/lib/9.9/lib-9.9.jar");
        assertThat(outcomes(resolver.first(v, alice, p("com/acme/lib/maven-metadata.xml"))))
                .containsExactly(ABSENT, NAMESPACE_PROTECTED);
        assertThat(outcomes(resolver.first(v, alice, p("org/junit/junit/4.13/junit-4.13.jar"))))
                .containsExactly(ABSENT, ANSWERS);
        // a sibling artifactId is its own namespace
        w.file("central", "com/acme/lib-extras/1.0/lib-extras-1.0.jar", "extras");
        assertThat(outcomes(resolver.first(v, alice, p("com/acme/lib-extras/1.0/lib-extras-1.0.jar"))))
                .containsExactly(ABSENT, ANSWERS);
    }

    @Test
    void namespaceProtectionCountsLocalMembersTheCallerCannotReadOrThatPatternsLeaveOut() {
        w.local("hidden", false, new PathFilter(List.of("org/**"), List.of()));
        w.remote("central", true);
        Repository v = w.virtual("v", PackageType.MAVEN, true, null, "hidden", "central");
        w.file("hidden", "com/acme/lib/1.0/lib-1.0.jar", "ours");
        w.file("central", "com/acme/lib/1.0/lib-1.0.jar", "theirs");

        Resolution r = w.resolver().first(v, Caller.ANONYMOUS, p("com/acme/lib/1.0/lib-1.0.jar"));
        assertThat(outcomes(r)).containsExactly(OUTSIDE_PATTERNS, NAMESPACE_PROTECTED);
    }

    @Test
    void genericVirtualRepositoriesHaveNoNamespacesMemberOrderDecides() {
        w.local("libs");
        w.remote("upstream", true);
        Repository v = w.virtual("v", PackageType.GENERIC, false, null, "libs", "upstream");
        w.file("libs", "com/acme/lib/1.0/lib-1.0.jar", "ours");
        w.file("upstream", "com/acme/lib/9.9/lib-9.9.jar", "theirs");
        grant("alice", "*", "**", Action.READ);
        assertThat(outcomes(w.resolver().first(v, user("alice", Scope.USER), p("com/acme/lib/9.9/lib-9.9.jar"))))
                .containsExactly(ABSENT, ANSWERS);
    }

    @Test
    void anOutageIsNotAbsence() {
        w.remote("flaky", true);
        w.local("libs");
        // generic: no namespace protection, so the remote member is asked first
        Repository v = w.virtual("v", PackageType.GENERIC, false, null, "flaky", "libs", "gone");
        w.file("libs", "org/x/y/1/y-1.jar", "y");
        w.down.add("flaky");
        grant("alice", "*", "**", Action.READ);
        VirtualResolver resolver = w.resolver();
        Caller alice = user("alice", Scope.USER);

        Resolution served = resolver.first(v, alice, p("org/x/y/1/y-1.jar"));
        assertThat(outcomes(served)).containsExactly(UNAVAILABLE, ANSWERS, NOT_ASKED);
        Resolution failed = resolver.first(v, alice, p("org/x/z/1/z-1.jar"));
        assertThat(outcomes(failed)).containsExactly(UNAVAILABLE, ABSENT, MISSING);
        assertThat(failed.first()).isEmpty();
        assertThat(failed.outage().orElseThrow().failure()).isInstanceOf(Failure.Unavailable.class);
    }

    @Test
    void aFailureAfterAMemberBeganTheResponseEndsTheWalkThere() {
        w.remote("cutting", true);
        w.local("libs");
        Repository v = w.virtual("v", PackageType.GENERIC, false, null, "cutting", "libs");
        w.file("libs", "org/x/y/1/y-1.jar", "y");
        w.cutMidway.add("cutting");
        grant("alice", "*", "**", Action.READ);
        Caller alice = user("alice", Scope.USER);
        List<String> calls = new ArrayList<>();
        Delivery response = new Delivery() {
            @Override
            public OutputStream begin(long size, String sha1) {
                calls.add("begin");
                return OutputStream.nullOutputStream();
            }

            @Override
            public void abort(Throwable cause) {
                calls.add("abort");
            }
        };

        // the response carries the first member's bytes already: no later member may answer into it
        assertThatThrownBy(() -> w.resolver().first(v, alice, p("org/x/y/1/y-1.jar"), response))
                .isInstanceOf(CofferException.class);
        assertThat(calls).containsExactly("begin", "abort");
        assertThat(w.asked).containsExactly("cutting:org/x/y/1/y-1.jar");

        // without a response to carry it, the member is passed over as an outage and the next answers
        assertThat(outcomes(w.resolver().first(v, alice, p("org/x/y/1/y-1.jar"))))
                .containsExactly(UNAVAILABLE, ANSWERS);
    }

    @Test
    void listingsMergeTheReadableMembersChildren() {
        w.local("a");
        w.local("b", false, new PathFilter(List.of("**"), List.of("com/acme/secret/**")));
        w.local("c");
        w.remote("central", true);
        Repository v = w.virtual("v", PackageType.MAVEN, false, null, "a", "b", "c", "central");
        w.file("a", "com/acme/lib/1.0/lib-1.0.jar", "a");
        w.file("b", "com/acme/app/1.0/app-1.0.jar", "b");
        w.file("b", "com/acme/secret/1.0/s.jar", "excluded by b's patterns");
        w.file("c", "com/acme/hidden/1.0/h.jar", "c is not readable");
        w.file("central", "com/acme/lib/2.0/lib-2.0.jar", "protected namespace");
        w.file("central", "com/acme/public/1.0/p.jar", "central");
        grant("alice", "v", "**", Action.READ);
        grant("alice", "a", "**", Action.READ);
        grant("alice", "b", "**", Action.READ);
        VirtualListing listing = new VirtualListing(w.resolver());
        Caller alice = user("alice", Scope.USER);

        List<String> acme = listing.children(v, alice, p("com/acme")).orElseThrow().stream()
                .map(ArtifactService.Child::name)
                .toList();
        assertThat(acme).containsExactly("app", "lib", "public");
        List<String> lib = listing.children(v, alice, p("com/acme/lib")).orElseThrow().stream()
                .map(ArtifactService.Child::name)
                .toList();
        assertThat(lib).containsExactly("1.0");
        assertThat(listing.children(v, alice, p("com/acme/hidden"))).isEmpty();
        assertThat(listing.children(v, alice, p("com/acme/secret"))).isEmpty();
        assertThat(listing.children(v, alice, ArtifactPath.ROOT).orElseThrow())
                .extracting(ArtifactService.Child::name)
                .containsExactly("com");
    }

    @Test
    void aListingNeedsTheVirtualRepositoryReadableAtEachFileToo() {
        w.local("a");
        Repository v = w.virtual("v", PackageType.MAVEN, false, null, "a");
        w.file("a", "com/acme/lib/1.0/lib-1.0.jar", "a");
        w.file("a", "com/acme/app/1.0/app-1.0.jar", "a");
        grant("alice", "v", "com/acme/lib/**", Action.READ);
        grant("alice", "a", "**", Action.READ);

        List<ArtifactService.Child> acme = new VirtualListing(w.resolver())
                .children(v, user("alice", Scope.USER), p("com/acme"))
                .orElseThrow();
        assertThat(acme).extracting(ArtifactService.Child::name).containsExactly("lib");
    }

    @Test
    void deploysGoToTheDefaultDeployRepositoryWithTheRightThereAsWell() {
        w.local("libs");
        w.local("releases");
        Repository v = w.virtual("v", PackageType.MAVEN, false, "releases", "libs", "releases");
        Repository noTarget = w.virtual("nowhere", PackageType.MAVEN, false, null, "libs");
        grant("dev", "v", "**", Action.WRITE, Action.DELETE);
        grant("dev", "releases", "com/**", Action.WRITE);
        VirtualDeploys deploys = new VirtualDeploys(w.resolver());
        Caller dev = user("dev", Scope.USER);

        VirtualDeploys.Target t = deploys.target(v, dev, p(JAR));
        assertThat(t.member().name()).isEqualTo("releases");
        assertThat(t.mayOverwrite())
                .as("d on the virtual but not on the member")
                .isFalse();
        assertThat(deploys.target(v, dev, p("com/acme/lib/maven-metadata.xml")).mayOverwrite())
                .isTrue();
        assertThatThrownBy(() -> deploys.target(v, dev, p("org/x/1/x-1.jar")))
                .isInstanceOfSatisfying(
                        CofferException.class, e -> assertThat(e.failure()).isInstanceOf(Failure.Denied.class));
        assertThatThrownBy(() -> deploys.target(noTarget, dev, p(JAR)))
                .isInstanceOfSatisfying(CofferException.class, e -> {
                    assertThat(e.failure()).isInstanceOf(Failure.MethodNotAllowed.class);
                    assertThat(e.getMessage()).contains("libs");
                });
        // a scoped token: the virtual repository's item reaches the deploy repository, nothing else does
        assertThat(deploys.target(v, user("dev", Scope.parse("artifact:v/com/**:w")), p(JAR))
                        .member()
                        .name())
                .isEqualTo("releases");
        assertThatThrownBy(() -> deploys.target(v, user("dev", Scope.parse("artifact:releases/**:w")), p(JAR)))
                .isInstanceOf(CofferException.class);
        assertThat(deploys.deleteRefused(v).getMessage()).contains("libs, releases");
    }
}
