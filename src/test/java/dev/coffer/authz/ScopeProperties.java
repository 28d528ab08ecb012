package dev.coffer.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.Action;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ScopeProperties {

    /** Names as Coffer accepts them: a letter or digit first, then letters, digits, '-', '_' or '.'. */
    private static final Arbitrary<String> NAMES = net.jqwik.api.Combinators.combine(
                    Arbitraries.strings().withChars("abz09").ofLength(1),
                    Arbitraries.strings().withChars("abz09-_.").ofMinLength(0).ofMaxLength(7))
            .as((a, b) -> a + b);

    private static Arbitrary<String> patterns() {
        Arbitrary<String> seg = Arbitraries.oneOf(
                Arbitraries.just("**"),
                Arbitraries.strings()
                        .withChars("ab*?.:é")
                        .ofMinLength(1)
                        .ofMaxLength(4)
                        .filter(s -> !s.contains("**") && !s.equals(".") && !s.equals("..")));
        return seg.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
    }

    private static Arbitrary<String> actionLists() {
        Arbitrary<String> letters = Arbitraries.of(Action.values())
                .set()
                .ofMinSize(1)
                .map(s -> s.stream().map(a -> String.valueOf(a.letter())).collect(Collectors.joining(",")));
        return Arbitraries.oneOf(letters, Arbitraries.just("*"));
    }

    @Provide
    Arbitrary<String> scopeTexts() {
        Arbitrary<String> item = Arbitraries.oneOf(
                Arbitraries.just("applied-permissions/user"),
                Arbitraries.just("applied-permissions/admin"),
                NAMES.set().ofMinSize(1).ofMaxSize(3).map(g -> "applied-permissions/groups:" + String.join(",", g)),
                Combinators.combine(NAMES, patterns(), actionLists())
                        .as((repo, pattern, actions) -> "artifact:" + repo + "/" + pattern + ":" + actions),
                Combinators.combine(NAMES, actionLists()).as((repo, actions) -> "artifact:" + repo + ":" + actions));
        Arbitrary<String> sep =
                Arbitraries.strings().withChars(' ').ofMinLength(1).ofMaxLength(3);
        return Combinators.combine(item.list().ofMinSize(1).ofMaxSize(5), sep, sep)
                .as((items, s, pad) -> pad + String.join(s, items) + pad);
    }

    @Property
    void canonicalFormRoundTrips(@ForAll("scopeTexts") String text) {
        Scope s = Scope.parse(text);
        Scope again = Scope.parse(s.toString());
        assertThat(again).isEqualTo(s).hasSameHashCodeAs(s);
        assertThat(again.toString()).isEqualTo(s.toString());
        assertThat(s.items()).hasSize(text.trim().split(" +").length);
    }

    @Property
    void requestedGroupsIsTheUnionOfGroupItems(@ForAll("scopeTexts") String text) {
        Scope s = Scope.parse(text);
        Set<String> expected = s.items().stream()
                .filter(i -> i instanceof ScopeItem.AppliedGroups)
                .flatMap(i -> ((ScopeItem.AppliedGroups) i).groups().stream())
                .collect(Collectors.toSet());
        assertThat(s.requestedGroups()).isEqualTo(expected);
        assertThat(s.requestsAdmin()).isEqualTo(List.of(text.trim().split(" +")).contains("applied-permissions/admin"));
    }

    @Property
    void garbageEitherParsesOrNamesAPartOfTheInput(@ForAll("garbage") String text) {
        try {
            Scope.parse(text);
        } catch (ScopeException e) {
            assertThat(text.trim().isEmpty() || List.of(text.trim().split(" +")).contains(e.part()))
                    .isTrue();
        }
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.strings().withChars("artifc:/*,rwdamxs lib-ped").ofMaxLength(30);
    }
}
