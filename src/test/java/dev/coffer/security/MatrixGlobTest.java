package dev.coffer.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The route matrix oracle's own matcher (API.md §5 wording), checked on its own before it judges the server. */
class MatrixGlobTest {
    @ParameterizedTest(name = "{0} ~ ''{1}'' = {2}")
    @CsvSource({
        "test1/com/**, test1/com/x.jar, true",
        "test1/com/**, test1/com, true",
        "test1/com/**, test1/comm/x.jar, false",
        "**, '', true",
        "**, a/b/c, true",
        "com/**, '', false",
        "*, a, true",
        "*, a/b, false",
        "*/x?/**, com/x1/a.jar, true",
        "*/x?/**, com/x12/a.jar, false",
        "*/x?/**, com/x/a.jar, false",
        "**/*.jar, a.jar, true",
        "**/*.jar, a/b/c.jar, true",
        "**/*.jar, a/b/c.jar.sha1, false",
        "**/acme/**, com/acme, true",
        "**/acme/**, com/acmefoo/x, false",
        "com/acme*/**, com/acmefoo/x, true",
        "com/acme*/**, comm/acme/x, false",
        "**/*SNAPSHOT*/**, lib/1.0-SNAPSHOT/a.jar, true",
        "/com/*, com/a, true",
        "Com/*, com/a, false",
        "**/**/x, x, true",
    })
    void matchesSegmentBySegment(String pattern, String path, boolean expected) {
        assertThat(MatrixGlob.of(pattern).matches(path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} minus {1} reaches a path: {2}")
    @CsvSource({
        "com/**, '', true",
        "com/**, com/**, false",
        "com/**, **, false",
        "**/*.jar, **/*.jar, false",
        "**/*.jar, com/**, true",
        "com/x1/a.jar, **/*.jar, false",
        "com/*, com/*, false",
        "com/*, com/x?, true",
        "*/x?/**, */x?/**;**/acme/**, false",
        "c.jar, **/*.txt, true",
    })
    void someMatchFindsAWitnessWhenThereIsOne(String include, String excludes, boolean expected) {
        List<MatrixGlob> exc = excludes.isEmpty()
                ? List.of()
                : java.util.Arrays.stream(excludes.split(";"))
                        .map(MatrixGlob::of)
                        .toList();
        List<String> segments = new java.util.ArrayList<>(MatrixWorld.TOP);
        segments.addAll(MatrixWorld.MID);
        segments.addAll(MatrixWorld.NAMES);
        segments.addAll(MatrixWorld.GLOB_INSTANCES);
        assertThat(MatrixGlob.someMatch(MatrixGlob.of(include), exc, segments)).isEqualTo(expected);
    }
}
