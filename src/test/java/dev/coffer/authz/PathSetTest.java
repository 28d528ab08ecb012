package dev.coffer.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.ArtifactPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A repository's include/exclude patterns, matched as permission targets match them. */
class PathSetTest {
    static ArtifactPath p(String s) {
        return ArtifactPath.of(s);
    }

    @Test
    void includesMinusExcludesSegmentBySegment() {
        PathSet s = PathSet.of(List.of("com/acme/**", "org/*/x.jar"), List.of("com/acme/secret/**"));
        assertThat(s.contains(p("com/acme/lib/1.0/lib-1.0.jar"))).isTrue();
        assertThat(s.contains(p("com/acmecorp/lib/1.0/lib-1.0.jar"))).isFalse();
        assertThat(s.contains(p("com/acme/secret/k.txt"))).isFalse();
        assertThat(s.contains(p("org/a/x.jar"))).isTrue();
        assertThat(s.contains(p("org/a/b/x.jar"))).isFalse();
        assertThat(s.isEverything()).isFalse();
    }

    @Test
    void aFolderIsReachedWhenSomePathBelowItIsInTheSet() {
        PathSet s = PathSet.of(List.of("com/acme/**"), List.of("com/acme/secret/**"));
        assertThat(s.reachesUnder(ArtifactPath.ROOT)).isTrue();
        assertThat(s.reachesUnder(p("com"))).isTrue();
        assertThat(s.reachesUnder(p("com/acme/lib"))).isTrue();
        assertThat(s.reachesUnder(p("com/acme/secret"))).isFalse();
        assertThat(s.reachesUnder(p("org"))).isFalse();
        // an include that the excludes cancel reaches nothing
        assertThat(PathSet.of(List.of("lib/**"), List.of("lib/**")).reachesUnder(ArtifactPath.ROOT))
                .isFalse();
    }

    @Test
    void everythingIsTheDefault() {
        PathSet all = PathSet.of(List.of("**"), List.of());
        assertThat(all.isEverything()).isTrue();
        assertThat(all.contains(p("any/where.jar"))).isTrue();
        assertThat(all.reachesUnder(p("any"))).isTrue();
        PathSet none = PathSet.of(List.of(), List.of());
        assertThat(none.contains(p("a"))).isFalse();
        assertThat(none.reachesUnder(ArtifactPath.ROOT)).isFalse();
    }
}
