package dev.coffer.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.common.ArtifactPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

    private static ArtifactPath path(String p) {
        return p == null ? ArtifactPath.ROOT : ArtifactPath.of(p);
    }

    @ParameterizedTest(name = "{0} matches ''{1}'' = {2}")
    @CsvSource({
        // the README example: segment-wise, never a string prefix
        "test1/com/**,      test1/com,               true",
        "test1/com/**,      test1/com/x/y.jar,       true",
        "test1/com/**,      test1/com/x,             true",
        "test1/com/**,      test1/comm,              false",
        "test1/com/**,      test1/comm/x,            false",
        "test1/com/**,      test1,                   false",
        "test1/com/**,      test2/com/x,             false",
        // '**' everywhere
        "**,                a,                       true",
        "**,                a/b/c/d.jar,             true",
        "**,                ,                        true",
        "**/*.jar,          a.jar,                   true",
        "**/*.jar,          x/y/a.jar,               true",
        "**/*.jar,          x/y/a.jar.sha1,          false",
        "**/*.jar,          x/y.jar/z,               false",
        "a/**/z,            a/z,                     true",
        "a/**/z,            a/b/c/z,                 true",
        "a/**/z,            a/b/c/zz,                false",
        "a/**/z,            a/b/z/c,                 false",
        "a/**/b/**/c,       a/x/b/y/b/c,             true",
        "a/**/b/**/c,       a/c,                     false",
        "**/**,             x/y,                     true",
        "**/**,             ,                        true",
        "**/lib,            lib,                     true",
        "**/lib,            x/lib2,                  false",
        // '*' and '?' stay within one segment
        "com/*/lib,         com/acme/lib,            true",
        "com/*/lib,         com/acme/x/lib,          false",
        "com/*/lib,         com/lib,                 false",
        "com/*,             com/x,                   true",
        "com/*,             com,                     false",
        "com/*,             com/x/y,                 false",
        "*.jar,             a.jar,                   true",
        "*.jar,             .jar,                    true",
        "*.jar,             a.jar/b,                 false",
        "a*b*c,             abc,                     true",
        "a*b*c,             axxbyyc,                 true",
        "a*b*c,             axxbyy,                  false",
        "lib-?.jar,         lib-1.jar,               true",
        "lib-?.jar,         lib-12.jar,              false",
        "lib-?.jar,         lib-.jar,                false",
        "???,               abc,                     true",
        "???,               ab,                      false",
        "*?,                a,                       true",
        // case sensitivity
        "Com/Acme,          Com/Acme,                true",
        "Com/Acme,          com/acme,                false",
        "*.JAR,             a.jar,                   false",
        // unicode: '?' is one character, even outside the BMP
        "ünï/çødé/**,       ünï/çødé/日本.jar,        true",
        "ünï/?,             ünï/é,                   true",
        "x/?,               x/\uD83D\uDE00,          true",
        "x/??,              x/\uD83D\uDE00,          false",
        "x/*\uD83D\uDE00,   x/ab\uD83D\uDE00,        true",
        // other characters are literal
        "a[b]/c+d,          a[b]/c+d,                true",
        "a[b]/c+d,          ab/cd,                   false",
        "/leading/slash,    leading/slash,           true",
    })
    void matches(String pattern, String path, boolean expected) {
        assertThat(PathPattern.compile(pattern).matches(path(path))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "/",
                "a//b",
                "a/",
                "//a",
                "./a",
                "a/./b",
                "a/..",
                "a\\b",
                "a**b",
                "**b",
                "a**",
                "***",
                "x/**.jar",
                "a\u0000b",
                "a\nb",
                "a\u007fb",
                "a\u0085b",
                "a\uD800b"
            })
    void rejects(String pattern) {
        assertThatThrownBy(() -> PathPattern.compile(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid path pattern '" + pattern + "': ");
    }

    @ParameterizedTest(name = "{0} mayMatchUnder ''{1}'' = {2}")
    @CsvSource({
        "test1/com/**,  ,                 true",
        "test1/com/**,  test1,            true",
        "test1/com/**,  test1/com,        true",
        "test1/com/**,  test1/com/x/y,    true",
        "test1/com/**,  test1/comm,       false",
        "test1/com/**,  test2,            false",
        "**/*.jar,      a/b,              true",
        "com/*/lib,     com,              true",
        "com/*/lib,     com/acme,         true",
        "com/*/lib,     com/acme/lib,     true",
        "com/*/lib,     com/acme/lib/x,   false",
        "com/*/lib,     org,              false",
        "a/b,           a/b/c,            false",
        "a/b,           ,                 true",
        "**,            ,                 true",
    })
    void mayMatchUnder(String pattern, String folder, boolean expected) {
        assertThat(PathPattern.compile(pattern).mayMatchUnder(path(folder))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} matchesAllUnder ''{1}'' = {2}")
    @CsvSource({
        "a/**,          a/b,              true",
        "a/**,          a,                true",
        "a/**,          ,                 false",
        "a/**,          b,                false",
        "**,            ,                 true",
        "**,            x/y,              true",
        "**/*.jar,      a,                false",
        "**/*.jar,      a.jar,            false",
        "**/*,          a,                true",
        "**/*,          ,                 false",
        "**/?,          a,                false",
        "**/*?,         a,                true",
        "**/?*,         a/b/cc,           true",
        "**/*??,        ab,               false",
        "a/*/**,        a/b,              true",
        "a/*/**,        a,                false",
        "**/??,         ab,               false",
        "*/**,          x,                true",
        "a/*,           a/b,              false",
        "a/b/**/c/**,   a/b/c,            true",
        "a/b/**/c/**,   a/b/x,            false",
        "test1/com/**,  test1/comm,       false",
        "**/x/**,       a/x/b,            true",
        "**/x/**,       a/b,              false",
    })
    void matchesAllUnder(String pattern, String folder, boolean expected) {
        assertThat(PathPattern.compile(pattern).matchesAllUnder(path(folder))).isEqualTo(expected);
    }

    @Test
    void valueSemanticsOnTheSource() {
        assertThat(PathPattern.compile("a/**"))
                .isEqualTo(PathPattern.compile("a/**"))
                .hasSameHashCodeAs(PathPattern.compile("a/**"))
                .isNotEqualTo(PathPattern.compile("a/*"));
        assertThat(PathPattern.compile("a/**")).hasToString("a/**");
        assertThat(PathPattern.compile("/a/**")).hasToString("a/**").isEqualTo(PathPattern.compile("a/**"));
    }

    @Test
    void matchingIsNotExponential() {
        // Many '**' and a long path without a final match: an NFA is polynomial, backtracking is not.
        PathPattern p = PathPattern.compile("**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/b");
        ArtifactPath path = ArtifactPath.of("a/".repeat(200) + "c");
        long start = System.nanoTime();
        assertThat(p.matches(path)).isFalse();
        assertThat(p.mayMatchUnder(path)).isTrue();
        PathPattern glob = PathPattern.compile("*a*a*a*a*a*a*a*a*a*b");
        assertThat(glob.matches(ArtifactPath.of("a".repeat(250)))).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }
}
