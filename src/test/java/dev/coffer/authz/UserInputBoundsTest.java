package dev.coffer.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (findings 7 and 20): the size of what a user puts in a path pattern, a token scope or a
 * permission target is bounded, refusals name the problem without quoting the whole input, and a
 * 403 quotes only the start of a scope.
 */
class UserInputBoundsTest {

    // ---- path patterns

    @Test
    void aPatternOfFortyThousandQuestionMarksIsRefusedWithAShortMessage() {
        // compiling it used to build 40,001 probe strings of up to 40,001 characters (800 MB, kept
        // for as long as the token's scope was cached)
        assertThatThrownBy(() -> PathPattern.compile("?".repeat(40_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 1024 bytes")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void patternLengthIsBoundedLikeAPath() {
        String longest = ("a".repeat(254) + "/").repeat(4) + "a".repeat(1024 - 255 * 4);
        assertThat(longest).hasSize(1024);
        assertThat(PathPattern.compile(longest).matches(ArtifactPath.of(longest)))
                .isTrue();
        assertThatThrownBy(() -> PathPattern.compile(longest + "a")).hasMessageContaining("longer than 1024 bytes");
        // bytes, as for paths: 513 two-byte characters are 1026 bytes
        assertThatThrownBy(() -> PathPattern.compile("é".repeat(200) + "/" + "é".repeat(200) + "/" + "é".repeat(113)))
                .hasMessageContaining("longer than 1024 bytes");
        assertThat(PathPattern.compile("x".repeat(255)).matches(ArtifactPath.of("x".repeat(255))))
                .isTrue();
        // four bytes each: 63 fit in a segment, 64 do not
        assertThat(PathPattern.compile("\uD83D\uDE00".repeat(63)).matches(ArtifactPath.of("\uD83D\uDE00".repeat(63))))
                .isTrue();
        assertThatThrownBy(() -> PathPattern.compile("\uD83D\uDE00".repeat(64)))
                .hasMessageContaining("a segment is longer than 255 bytes");
        assertThatThrownBy(() -> PathPattern.compile("a/" + "x".repeat(256)))
                .hasMessageContaining("a segment is longer than 255 bytes");
    }

    @Test
    void wildcardsAreCapped() {
        String q32 = "?".repeat(32);
        assertThat(PathPattern.compile(q32).matches(ArtifactPath.of("x".repeat(32))))
                .isTrue();
        assertThatThrownBy(() -> PathPattern.compile("?".repeat(33))).hasMessageContaining("more than 32 wildcards");
        assertThatThrownBy(() -> PathPattern.compile("**/".repeat(16) + "*?".repeat(9)))
                .hasMessageContaining("more than 32 wildcards");
        assertThat(PathPattern.compile("**/".repeat(16) + "*?".repeat(8))).isNotNull();
    }

    @Test
    void matchesAllUnderStaysRightWithManyQuestionMarks() {
        // the probe lengths now stand for every segment length; check the edges of each '?' count
        PathPattern p = PathPattern.compile("**/" + "?".repeat(20) + "/**");
        assertThat(p.matchesAllUnder(ArtifactPath.of("a/" + "b".repeat(20)))).isTrue();
        assertThat(p.matchesAllUnder(ArtifactPath.of("a/" + "b".repeat(19)))).isFalse();
        PathPattern fixed = PathPattern.compile("**/" + "?".repeat(10) + "*");
        assertThat(fixed.matchesAllUnder(ArtifactPath.of("a"))).isFalse(); // a short last segment escapes it
        PathPattern last = PathPattern.compile("a/**/*?*?*");
        assertThat(last.matchesAllUnder(ArtifactPath.of("a/bb"))).isFalse(); // a one-character segment escapes it
        PathPattern mid = PathPattern.compile("a/*?*?*/**");
        assertThat(mid.matchesAllUnder(ArtifactPath.of("a/bb"))).isTrue();
        assertThat(mid.matchesAllUnder(ArtifactPath.of("a/b"))).isFalse();
        PathPattern mixed = PathPattern.compile("**/??/**/???*/**");
        assertThat(mixed.matchesAllUnder(ArtifactPath.of("x/ab/y/abc"))).isTrue();
        assertThat(mixed.matchesAllUnder(ArtifactPath.of("x/ab/y"))).isFalse();
    }

    // ---- token scopes

    private static String items(int n, int width) {
        return IntStream.range(0, n)
                .mapToObj(i -> "artifact:libs/" + pad(i, width) + "/**:r")
                .collect(Collectors.joining(" "));
    }

    private static String pad(int i, int width) {
        String s = Integer.toString(i);
        return "p".repeat(Math.max(0, width - s.length())) + s;
    }

    @Test
    void aScopeHoldsAtMostAHundredItems() {
        assertThat(Scope.parse(items(100, 3)).items()).hasSize(100);
        assertThatThrownBy(() -> Scope.parse(items(101, 3))).isInstanceOfSatisfying(ScopeException.class, e -> {
            assertThat(e.getMessage()).contains("more than 100 items").contains("100 items and 4096 characters");
            assertThat(e.part()).isEqualTo("artifact:libs/100/**:r");
        });
    }

    @Test
    void aScopeHoldsAtMost4096Characters() {
        String fits = items(79, 30) + " artifact:libs/" + "q".repeat(127) + "/**:r";
        assertThat(fits).hasSize(4096);
        assertThat(Scope.parse("  " + fits + "  ").items()).hasSize(80);
        String tooLong = "artifact:libs/" + "a/".repeat(4000) + "**:r";
        assertThatThrownBy(() -> Scope.parse(tooLong)).isInstanceOfSatisfying(ScopeException.class, e -> {
            assertThat(e.getMessage()).contains("longer than 4096 characters").hasSizeLessThan(300);
            assertThat(e.part()).isEqualTo(tooLong);
        });
    }

    @Test
    void aMegabyteScopeIsRefusedWithoutQuotingIt() {
        // finding 20: 36,000 items, 1 MB; each listing cost 1.2 s of CPU
        String huge = items(36_000, 20);
        assertThat(huge.length()).isGreaterThan(1_000_000);
        assertThatThrownBy(() -> Scope.parse(huge))
                .isInstanceOfSatisfying(
                        ScopeException.class, e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void aRefusalQuotesOnlyTheStartOfTheScope() {
        Scope big = Scope.parse(items(100, 20));
        assertThat(big.toString().length()).isGreaterThan(3900);
        assertThat(big.summary())
                .hasSizeLessThan(160)
                .endsWith("(100 items)")
                .startsWith(big.toString().substring(0, 100));
        assertThat(Scope.parse("artifact:libs/a/**:r").summary()).isEqualTo("artifact:libs/a/**:r");

        PermissionIndex index = PermissionIndex.of(List.of(new PermissionTarget(
                "all", List.of("libs"), List.of("**"), List.of(), Map.of("alice", Action.all()), Map.of())));
        Principal alice = new Principal.User(1, "alice", false, Set.of(), big);
        Decision d = new Authorizer()
                .decide(alice, Action.WRITE, new RepoAccess("libs", false), ArtifactPath.of("x/y.jar"), index);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("token's scope does not cover").hasSizeLessThan(300);
    }

    @Test
    void aHugeRepositoryNameInAScopeIsRefused() {
        assertThatThrownBy(() -> Scope.parse("artifact:" + "r".repeat(256) + "/**:r"))
                .hasMessageContaining("longer than 255 characters");
    }

    // ---- permission targets

    private static PermissionTarget target(
            List<String> repos,
            List<String> includes,
            List<String> excludes,
            Map<String, Set<Action>> users,
            Map<String, Set<Action>> groups) {
        return new PermissionTarget("t", repos, includes, excludes, users, groups);
    }

    private static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private static Map<String, Set<Action>> grants(int n) {
        Map<String, Set<Action>> out = new LinkedHashMap<>();
        names("u", n).forEach(u -> out.put(u, EnumSet.of(Action.READ)));
        return out;
    }

    @Test
    void permissionTargetListsAreCappedNamingTheField() {
        List<String> one = List.of("libs");
        assertThat(target(names("r", 1000), names("p", 100), names("x", 100), grants(1000), grants(1000)))
                .isNotNull();
        assertThatThrownBy(() -> target(names("r", 1001), List.of(), List.of(), Map.of(), Map.of()))
                .hasMessageContaining("'repositories' has more than 1000 entries");
        assertThatThrownBy(() -> target(one, names("p", 101), List.of(), Map.of(), Map.of()))
                .hasMessageContaining("'includePatterns' has more than 100 entries");
        assertThatThrownBy(() -> target(one, List.of(), names("p", 101), Map.of(), Map.of()))
                .hasMessageContaining("'excludePatterns' has more than 100 entries");
        assertThatThrownBy(() -> target(one, List.of(), List.of(), grants(1001), Map.of()))
                .hasMessageContaining("'users' has more than 1000 entries");
        assertThatThrownBy(() -> target(one, List.of(), List.of(), Map.of(), grants(1001)))
                .hasMessageContaining("'groups' has more than 1000 entries");
        assertThatThrownBy(() -> target(List.of("r".repeat(256)), List.of(), List.of(), Map.of(), Map.of()))
                .hasMessageContaining("a name in 'repositories' is longer than 255 characters");
        assertThatThrownBy(() -> target(one, List.of(), List.of(), Map.of("u".repeat(256), Action.all()), Map.of()))
                .hasMessageContaining("a name in 'users' is longer than 255 characters");
        assertThatThrownBy(() -> target(one, List.of(), List.of("?".repeat(40_000)), Map.of(), Map.of()))
                .hasMessageContaining("'excludePatterns'")
                .hasMessageContaining("longer than 1024 bytes")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }
}
