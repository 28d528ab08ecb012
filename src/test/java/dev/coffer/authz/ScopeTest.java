package dev.coffer.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.common.Action;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScopeTest {

    @Test
    void constants() {
        assertThat(Scope.USER).hasToString("applied-permissions/user");
        assertThat(Scope.ADMIN).hasToString("applied-permissions/admin");
        assertThat(Scope.parse("applied-permissions/user")).isEqualTo(Scope.USER);
        assertThat(Scope.parse("applied-permissions/admin")).isEqualTo(Scope.ADMIN);
        assertThat(Scope.ADMIN.requestsAdmin()).isTrue();
        assertThat(Scope.USER.requestsAdmin()).isFalse();
        assertThat(Scope.USER.items()).containsExactly(new ScopeItem.AppliedUser());
    }

    @Test
    void apiExamples() {
        Scope s = Scope.parse("artifact:example-repo-local/test1/com/**:r");
        assertThat(s.items())
                .containsExactly(new ScopeItem.ArtifactGrant(
                        "example-repo-local", PathPattern.compile("test1/com/**"), Set.of(Action.READ)));

        Scope whole = Scope.parse("artifact:libs/**:r,w");
        ScopeItem.ArtifactGrant g = (ScopeItem.ArtifactGrant) whole.items().get(0);
        assertThat(g.repo()).isEqualTo("libs");
        assertThat(g.pattern()).isEqualTo(PathPattern.compile("**"));
        assertThat(g.actions()).containsExactly(Action.READ, Action.WRITE);
        assertThat(whole).hasToString("artifact:libs/**:r,w");

        Scope groups = Scope.parse("applied-permissions/groups:g1,g2");
        assertThat(groups.items()).containsExactly(new ScopeItem.AppliedGroups(Set.of("g1", "g2")));
        assertThat(groups.requestedGroups()).containsExactlyInAnyOrder("g1", "g2");
    }

    @Test
    void severalItemsSeparatedByRunsOfSpaces() {
        Scope s = Scope.parse("  artifact:libs/a/**:r   artifact:libs/b/**:w applied-permissions/groups:x "
                + "applied-permissions/groups:y,x  ");
        assertThat(s.items()).hasSize(4);
        assertThat(s.requestedGroups()).containsExactly("x", "y");
        assertThat(s)
                .hasToString("artifact:libs/a/**:r artifact:libs/b/**:w applied-permissions/groups:x "
                        + "applied-permissions/groups:y,x");
        assertThat(Scope.parse(s.toString())).isEqualTo(s).hasSameHashCodeAs(s);
    }

    @Test
    void actionsStarAndShorthands() {
        ScopeItem.ArtifactGrant all = (ScopeItem.ArtifactGrant)
                Scope.parse("artifact:libs/**:*").items().get(0);
        assertThat(all.actions()).isEqualTo(Action.all());
        assertThat(all).hasToString("artifact:libs/**:*");
        // no '/' after the repository: the whole repository
        assertThat(Scope.parse("artifact:libs:r")).isEqualTo(Scope.parse("artifact:libs/**:r"));
        // the actions come after the last ':', so patterns may contain ':'
        ScopeItem.ArtifactGrant colon = (ScopeItem.ArtifactGrant)
                Scope.parse("artifact:libs/a:b/*.jar:d,r").items().get(0);
        assertThat(colon.pattern()).hasToString("a:b/*.jar");
        assertThat(colon.actions()).isEqualTo(EnumSet.of(Action.READ, Action.DELETE));
        assertThat(colon).hasToString("artifact:libs/a:b/*.jar:r,d");
        assertThat(Scope.parse("artifact:libs/**:s,x,m,a,d,w,r").items().get(0)).hasToString("artifact:libs/**:*");
    }

    @ParameterizedTest(name = "''{0}'' is invalid at ''{1}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "artifact:libs                          | artifact:libs",
                "artifact:libs/**                       | artifact:libs/**",
                "artifact:libs/**:                      | artifact:libs/**:",
                "artifact:libs/**:q                     | artifact:libs/**:q",
                "artifact:libs/**:r,                    | artifact:libs/**:r,",
                "artifact:libs/**:r,,w                  | artifact:libs/**:r,,w",
                "artifact:libs/**:rw                    | artifact:libs/**:rw",
                "artifact:libs/**:R                     | artifact:libs/**:R",
                "artifact:/**:r                         | artifact:/**:r",
                "artifact::r                            | artifact::r",
                "artifact:*/**:r                        | artifact:*/**:r",
                "artifact:li*bs/**:r                    | artifact:li*bs/**:r",
                "artifact:libs/:r                       | artifact:libs/:r",
                "artifact:libs//a:r                     | artifact:libs//a:r",
                "artifact:libs/a//b:r                   | artifact:libs/a//b:r",
                "artifact:libs/../x:r                   | artifact:libs/../x:r",
                "artifact:libs/a**b:r                   | artifact:libs/a**b:r",
                "artifact:libs/a\\b:r                   | artifact:libs/a\\b:r",
                "applied-permissions/groups:            | applied-permissions/groups:",
                "applied-permissions/groups:a,,b        | applied-permissions/groups:a,,b",
                "applied-permissions/groups:a,          | applied-permissions/groups:a,",
                "applied-permissions/groups             | applied-permissions/groups",
                "applied-permissions/foo                | applied-permissions/foo",
                "applied-permissions/User               | applied-permissions/User",
                "api:*                                  | api:*",
                "member-of-groups:x                     | member-of-groups:x",
                "applied-permissions/user api:*         | api:*",
                "artifact:libs/**:r artifact:libs       | artifact:libs",
                "Artifact:libs/**:r                     | Artifact:libs/**:r",
            })
    void invalidFormsNameTheOffendingPart(String text, String part) {
        assertThatThrownBy(() -> Scope.parse(text)).isInstanceOfSatisfying(ScopeException.class, e -> {
            assertThat(e.part()).isEqualTo(part);
            assertThat(e.getMessage()).startsWith("scope part '" + part + "' is invalid: ");
        });
    }

    @Test
    void blankScopesAreInvalid() {
        for (String blank : List.of("", " ", "    ")) {
            assertThatThrownBy(() -> Scope.parse(blank)).isInstanceOf(ScopeException.class);
        }
    }

    @Test
    void messageOfTheArtifactFormIsHelpful() {
        assertThatThrownBy(() -> Scope.parse("artifact:libs"))
                .hasMessage("scope part 'artifact:libs' is invalid: expected artifact:<repo>/<path-pattern>:<actions>");
    }
}
