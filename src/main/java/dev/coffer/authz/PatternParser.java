package dev.coffer.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a path pattern as a user wrote it into {@link PatternSegment}s, refusing what the grammar
 * of {@link PathPattern} does not allow with a message that names the pattern and the problem.
 * Kept apart from the matching, which never sees anything but compiled segments.
 */
final class PatternParser {
    private static final int MAX_BYTES = PathPattern.MAX_BYTES;
    private static final int MAX_SEGMENT_BYTES = PathPattern.MAX_SEGMENT_BYTES;
    private static final int MAX_WILDCARDS = PathPattern.MAX_WILDCARDS;

    /** The pattern without its leading '/', and its segments. */
    record Parsed(String source, PatternSegment[] segments) {}

    private PatternParser() {}

    /** @throws IllegalArgumentException with a message naming the pattern (a prefix of it) and the problem */
    static Parsed parse(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        String p = pattern.startsWith("/") ? pattern.substring(1) : pattern;
        if (p.isEmpty()) {
            throw bad(pattern, "the pattern is empty (use '**' for everything)");
        }
        // the character count first: a huge pattern is refused before anything is copied out of it
        if (p.length() > MAX_BYTES || utf8Length(p) > MAX_BYTES) {
            throw bad(pattern, "the pattern is longer than " + MAX_BYTES + " bytes");
        }
        String[] parts = p.split("/", -1);
        PatternSegment[] segs = new PatternSegment[parts.length];
        int wildcards = 0;
        for (int i = 0; i < parts.length; i++) {
            segs[i] = segment(pattern, parts[i]);
            wildcards += segs[i].wildcards();
        }
        if (wildcards > MAX_WILDCARDS) {
            throw bad(pattern, "more than " + MAX_WILDCARDS + " wildcards ('**', '*' and '?')");
        }
        return new Parsed(p, segs);
    }

    private static PatternSegment segment(String pattern, String s) {
        if (utf8Length(s) > MAX_SEGMENT_BYTES) {
            throw bad(pattern, "a segment is longer than " + MAX_SEGMENT_BYTES + " bytes");
        }
        if (s.isEmpty()) {
            throw bad(pattern, "empty segment");
        }
        if (s.equals(".") || s.equals("..")) {
            throw bad(pattern, "'.' and '..' segments are not allowed");
        }
        if (s.equals("**")) {
            return PatternSegment.ANY_SEGMENTS;
        }
        if (s.contains("**")) {
            throw bad(pattern, "'**' must be a whole segment, not part of '" + s + "'");
        }
        boolean wild = false;
        List<Integer> tokens = new ArrayList<>();
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw bad(pattern, "control characters are not allowed");
            }
            if (c == '\\') {
                throw bad(pattern, "backslashes are not allowed");
            }
            int cp = s.codePointAt(i);
            if (Character.isSurrogate(c) && cp == c) {
                throw bad(pattern, "unpaired surrogate character");
            }
            if (c == '*') {
                tokens.add(PatternSegment.STAR);
                wild = true;
            } else if (c == '?') {
                tokens.add(PatternSegment.QMARK);
                wild = true;
            } else {
                tokens.add(cp);
            }
            i += Character.charCount(cp);
        }
        if (!wild) {
            return new PatternSegment(false, s, null);
        }
        return new PatternSegment(
                false, null, tokens.stream().mapToInt(Integer::intValue).toArray());
    }

    /** UTF-8 length, counted here because authorization stays within java.lang and java.util. */
    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static IllegalArgumentException bad(String pattern, String why) {
        return new IllegalArgumentException("invalid path pattern '" + PathPattern.abbreviate(pattern) + "': " + why);
    }
}
