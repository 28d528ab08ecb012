package dev.coffer.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.ArtifactPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Reach}: a path that the includes grant and the excludes leave, at or below a folder.
 * Table cases from the route matrix's findings (an include that its exclude cancels granted rights
 * "somewhere"), and a property against a brute-force search over a finite universe of paths.
 */
class ReachTest {

    private static PathPattern[] patterns(String list) {
        if (list.isBlank()) {
            return new PathPattern[0];
        }
        return java.util.Arrays.stream(list.split(" "))
                .map(PathPattern::compile)
                .toArray(PathPattern[]::new);
    }

    private static ArtifactPath folder(String f) {
        return f.equals("/") ? ArtifactPath.ROOT : ArtifactPath.of(f);
    }

    @ParameterizedTest(name = "{0} minus [{1}] under {2}: {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "lib/**                   | lib/**                      | /      | false",
                "lib/**                   | lib/** **/*SNAPSHOT*/**     | /      | false",
                "com/acme*/**             | lib/** **/*SNAPSHOT*/**     | /      | true",
                "org/1.0-SNAPSHOT/c.jar   | **/*SNAPSHOT*/**            | /      | false",
                "org/1.0-SNAPSHOT/c.jar   | maven-metadata.xml.sha1     | /      | true",
                "**                       | **/*-SNAPSHOT.jar **/maven-metadata.xml | / | true",
                "**                       | **                          | /      | false",
                "**                       | *                           | /      | true",
                "**                       | * */*                       | /      | true",
                "*/x?/**                  | */x?/**                     | /      | false",
                "lib/**                   | */x?/**                     | /      | true",
                "lib/**                   | */x?/**                     | lib/x1 | false",
                "lib/**                   | */x?/**                     | lib/x12 | true",
                "**                       | **/*.key                    | keys   | true",
                "keys/*.key               | **/*.key                    | keys   | false",
                "a*                       | ab*                         | /      | true",
                "ab*                      | a*                          | /      | false",
                "a*b                      | ab                          | /      | true",
                "?                        | a                           | /      | true",
                "?                        | ? a                         | /      | false",
                "x/**                     |                             | y      | false",
                "x/**                     |                             | x/y/z  | true",
                // found by the property in CI: every short fill of the star is cancelled ("xb" by ??)
                "*b                       | b ??                        | /      | true",
                "*b                       | b ?? ??? ????               | /      | true",
                "a*                       | a ?? ab*                    | /      | true",
            })
    void cancelledIncludesReachNothing(String includes, String excludes, String folder, boolean expected) {
        Optional<List<String>> w =
                Reach.witness(folder(folder), patterns(includes), patterns(excludes == null ? "" : excludes.trim()));
        assertThat(w.isPresent()).isEqualTo(expected);
        w.ifPresent(path -> assertGranted(
                path, folder(folder), patterns(includes), patterns(excludes == null ? "" : excludes.trim())));
    }

    /** A witness is a real path at or below the folder that an include matches and no exclude does. */
    private static void assertGranted(List<String> segments, ArtifactPath folder, PathPattern[] in, PathPattern[] ex) {
        assertThat(segments).isNotEmpty().hasSizeGreaterThanOrEqualTo(folder.depth());
        assertThat(segments.subList(0, folder.depth())).isEqualTo(folder.segments());
        ArtifactPath p = ArtifactPath.of(String.join("/", segments));
        assertThat(java.util.Arrays.stream(in).anyMatch(i -> i.matches(p)))
                .as("an include matches %s", p)
                .isTrue();
        assertThat(java.util.Arrays.stream(ex).noneMatch(e -> e.matches(p)))
                .as("no exclude matches %s", p)
                .isTrue();
    }

    // ---- against brute force

    private static final List<String> SEGMENT_PATTERNS =
            List.of("lib", "libx", "a", "b", "x1", "*", "?", "a*", "*b", "*SNAPSHOT*", "x?", "**", "??");
    private static final List<String> UNIVERSE =
            List.of("lib", "libx", "a", "b", "x1", "x12", "ab", "zz", "1.0-SNAPSHOT", "q");

    record World(List<String> includes, List<String> excludes, String folder) {}

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<String> pattern = Arbitraries.of(SEGMENT_PATTERNS)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(l -> String.join("/", l));
        Arbitrary<String> folder = Arbitraries.of("/", "lib", "a", "lib/x1", "zz/a");
        return Combinators.combine(
                        pattern.list().ofMinSize(1).ofMaxSize(2), pattern.list().ofMaxSize(2), folder)
                .as(World::new);
    }

    private static List<List<String>> universe(int depth) {
        List<List<String>> out = new ArrayList<>();
        List<List<String>> level = List.of(List.of());
        for (int d = 1; d <= depth; d++) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> p : level) {
                for (String s : UNIVERSE) {
                    List<String> q = new ArrayList<>(p);
                    q.add(s);
                    next.add(q);
                }
            }
            out.addAll(next);
            level = next;
        }
        return out;
    }

    private static final List<List<String>> PATHS = universe(4);

    @Property(tries = 300)
    void findsAGrantedPathExactlyWhenTheUniverseHasOne(@ForAll("worlds") World w) {
        PathPattern[] in = w.includes().stream().map(PathPattern::compile).toArray(PathPattern[]::new);
        PathPattern[] ex = w.excludes().stream().map(PathPattern::compile).toArray(PathPattern[]::new);
        ArtifactPath f = folder(w.folder());
        Optional<List<String>> found = Reach.witness(f, in, ex);
        found.ifPresent(path -> assertGranted(path, f, in, ex));
        boolean brute = false;
        for (List<String> segments : PATHS) {
            if (!segments.subList(0, Math.min(segments.size(), f.depth())).equals(f.segments())
                    || segments.size() < f.depth()) {
                continue;
            }
            ArtifactPath p = ArtifactPath.of(String.join("/", segments));
            if (java.util.Arrays.stream(in).anyMatch(i -> i.matches(p))
                    && java.util.Arrays.stream(ex).noneMatch(e -> e.matches(p))) {
                brute = true;
                break;
            }
        }
        if (brute) {
            assertThat(found)
                    .as("the universe has a granted path, so the search must find one: %s", w)
                    .isPresent();
        }
    }
}
