package dev.coffer.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.ArtifactPath;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PathPatternProperties {

    /** Literal segments: no wildcards, never '.' or '..' (the leading letter sees to that). */
    @Provide
    Arbitrary<List<String>> literalPaths() {
        Arbitrary<String> seg = Arbitraries.strings()
                .withChars("abcXYZ019-_.é日")
                .ofMinLength(0)
                .ofMaxLength(6)
                .map(s -> "s" + s);
        return seg.list().ofMinSize(1).ofMaxSize(6);
    }

    /** Segments as a path may hold them, including characters that are wildcards in a pattern. */
    @Provide
    Arbitrary<List<String>> anyPaths() {
        Arbitrary<String> seg = Arbitraries.strings()
                .withChars("ab*?.[]:é日-")
                .ofMinLength(1)
                .ofMaxLength(5)
                .filter(s -> !s.equals(".") && !s.equals(".."));
        return seg.list().ofMinSize(0).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> patterns() {
        Arbitrary<String> seg = Arbitraries.oneOf(
                Arbitraries.just("**"),
                Arbitraries.strings()
                        .withChars("ab*?.")
                        .ofMinLength(1)
                        .ofMaxLength(4)
                        .filter(s -> !s.contains("**") && !s.equals(".") && !s.equals("..")));
        return seg.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("/", l));
    }

    private static ArtifactPath path(List<String> segments) {
        return ArtifactPath.of(String.join("/", segments));
    }

    @Property
    void aLiteralPathMatchesExactlyItself(
            @ForAll("literalPaths") List<String> p, @ForAll("literalPaths") List<String> other) {
        PathPattern pattern = PathPattern.compile(String.join("/", p));
        assertThat(pattern.matches(path(p))).isTrue();
        assertThat(pattern.matches(path(other))).isEqualTo(p.equals(other));
    }

    @Property
    void doubleStarSuffixMatchesTheFolderAndBelowButNoStringPrefixSibling(
            @ForAll("literalPaths") List<String> p, @ForAll("literalPaths") List<String> below) {
        PathPattern pattern = PathPattern.compile(String.join("/", p) + "/**");
        assertThat(pattern.matches(path(p))).isTrue();
        List<String> child = new ArrayList<>(p);
        child.addAll(below);
        assertThat(pattern.matches(path(child))).isTrue();
        assertThat(pattern.matchesAllUnder(path(p))).isTrue();

        List<String> sibling = new ArrayList<>(p);
        sibling.set(sibling.size() - 1, sibling.get(sibling.size() - 1) + "x");
        assertThat(pattern.matches(path(sibling))).isFalse();
        List<String> siblingChild = new ArrayList<>(sibling);
        siblingChild.addAll(below);
        assertThat(pattern.matches(path(siblingChild))).isFalse();
        assertThat(pattern.mayMatchUnder(path(sibling))).isFalse();
    }

    @Property
    void doubleStarMatchesEverything(@ForAll("anyPaths") List<String> p) {
        PathPattern all = PathPattern.compile("**");
        assertThat(all.matches(path(p))).isTrue();
        assertThat(all.mayMatchUnder(path(p))).isTrue();
        assertThat(all.matchesAllUnder(path(p))).isTrue();
    }

    @Property
    void matchingNeverThrowsAndIsConsistent(@ForAll("patterns") String pattern, @ForAll("anyPaths") List<String> p) {
        PathPattern compiled = PathPattern.compile(pattern);
        ArtifactPath ap = path(p);
        boolean matches = compiled.matches(ap);
        boolean may = compiled.mayMatchUnder(ap);
        boolean all = compiled.matchesAllUnder(ap);
        // matching a path implies something at or below it may match; matching everything below implies matching it
        if (matches) {
            assertThat(may).isTrue();
        }
        if (all) {
            assertThat(matches).isTrue();
            assertThat(compiled.matches(ap.child("zz"))).isTrue();
            assertThat(compiled.matches(ap.child("q").child("r"))).isTrue();
        }
        if (!may) {
            assertThat(compiled.matches(ap.child("a"))).isFalse();
        }
        if (compiled.matches(ap.child("a.b"))) {
            assertThat(may).isTrue();
        }
    }

    @Property
    void agreesWithANaiveRecursiveMatcher(@ForAll("patterns") String pattern, @ForAll("anyPaths") List<String> p) {
        List<String> segs = List.of(pattern.split("/"));
        assertThat(PathPattern.compile(pattern).matches(path(p))).isEqualTo(naive(segs, 0, p, 0));
    }

    /** Reference semantics: obviously correct, exponential, fine for small inputs. */
    private static boolean naive(List<String> pat, int i, List<String> path, int j) {
        if (i == pat.size()) {
            return j == path.size();
        }
        if (pat.get(i).equals("**")) {
            return naive(pat, i + 1, path, j) || (j < path.size() && naive(pat, i, path, j + 1));
        }
        return j < path.size()
                && segmentRegex(pat.get(i)).matcher(path.get(j)).matches()
                && naive(pat, i + 1, path, j + 1);
    }

    private static java.util.regex.Pattern segmentRegex(String glob) {
        StringBuilder re = new StringBuilder();
        glob.codePoints().forEach(c -> {
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append(".");
            } else {
                re.append(java.util.regex.Pattern.quote(new String(Character.toChars(c))));
            }
        });
        return java.util.regex.Pattern.compile(re.toString(), java.util.regex.Pattern.DOTALL);
    }
}
