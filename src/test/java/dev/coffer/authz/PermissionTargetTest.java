package dev.coffer.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionTargetTest {

    private static PermissionTarget target(List<String> repos, List<String> includes, List<String> excludes) {
        return new PermissionTarget("t", repos, includes, excludes, Map.of("alice", EnumSet.of(Action.READ)), Map.of());
    }

    @Test
    void defaultsToEverythingAndCopiesDefensively() {
        Set<Action> actions = EnumSet.of(Action.READ);
        Map<String, Set<Action>> users = new HashMap<>(Map.of("alice", actions));
        List<String> repos = new ArrayList<>(List.of("libs"));
        PermissionTarget t = new PermissionTarget("t", repos, List.of(), List.of(), users, Map.of());
        actions.add(Action.WRITE);
        users.put("bob", actions);
        repos.add("other");
        assertThat(t.includePatterns()).containsExactly("**");
        assertThat(t.users()).containsOnlyKeys("alice");
        assertThat(t.users().get("alice")).containsExactly(Action.READ);
        assertThat(t.repositories()).containsExactly("libs");
        assertThatThrownBy(() -> t.users().get("alice").add(Action.DELETE))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void appliesTo() {
        PermissionTarget t = target(List.of("libs"), List.of("test1/com/**", "**/*.pom"), List.of("**/*-SNAPSHOT.pom"));
        assertThat(t.appliesTo("libs", ArtifactPath.of("test1/com/x.jar"))).isTrue();
        assertThat(t.appliesTo("libs", ArtifactPath.of("a/b/x.pom"))).isTrue();
        assertThat(t.appliesTo("libs", ArtifactPath.of("a/b/x-SNAPSHOT.pom"))).isFalse();
        assertThat(t.appliesTo("libs", ArtifactPath.of("test1/comm/x.jar"))).isFalse();
        assertThat(t.appliesTo("other", ArtifactPath.of("test1/com/x.jar"))).isFalse();
        assertThat(target(List.of("*"), List.of(), List.of()).appliesTo("anything", ArtifactPath.ROOT))
                .isTrue();
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> new PermissionTarget(" ", List.of("libs"), List.of(), List.of(), Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> target(List.of(), List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> target(List.of(""), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> target(List.of("libs"), List.of("a//b"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a//b'");
        assertThatThrownBy(() -> target(List.of("libs"), List.of(), List.of("x**")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x**'");
        assertThatThrownBy(() -> target(null, List.of(), List.of())).isInstanceOf(NullPointerException.class);
    }

    @Test
    void indexKeepsTargetsInOrder() {
        PermissionTarget a =
                new PermissionTarget("a", List.of("libs", "libs"), List.of(), List.of(), Map.of(), Map.of());
        PermissionTarget b = target(List.of("*"), List.of(), List.of());
        assertThat(PermissionIndex.of(List.of(a, b)).targets()).containsExactly(a, b);
        assertThat(PermissionIndex.of(List.of())).isSameAs(PermissionIndex.EMPTY);
        assertThat(PermissionIndex.EMPTY.targets()).isEmpty();
    }
}
