package dev.coffer.authz;

import dev.coffer.common.ArtifactPath;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Artifactory-style path pattern matched segment by segment: {@code **} as a whole segment is any
 * number (including zero) of segments, {@code *} inside a segment any run of characters within that
 * segment, {@code ?} exactly one character; everything else is literal and case-sensitive.
 *
 * <p>Matching is segment-wise on purpose: a string glob would let {@code test1/com*} leak into
 * {@code test1/comm}. Patterns are compiled once; matching simulates an NFA over the pattern
 * segments (no regular expressions, no backtracking across segments), so it is O(pattern × path).
 *
 * <p>Patterns come from users (token scopes, permission targets), so their size is bounded like a
 * path's ({@link #MAX_BYTES}, {@link #MAX_SEGMENT_BYTES}) and so is their number of wildcards
 * ({@link #MAX_WILDCARDS}): what compiling and matching keep and do is linear in the pattern.
 */
public final class PathPattern {
    /** Longest pattern, in UTF-8 bytes: as long as the longest path. */
    public static final int MAX_BYTES = ArtifactPath.MAX_PATH_BYTES;
    /** Longest pattern segment, in UTF-8 bytes: as long as the longest path segment. */
    public static final int MAX_SEGMENT_BYTES = ArtifactPath.MAX_SEGMENT_BYTES;
    /** Most wildcards in one pattern, each '**' segment, '*' and '?' counting one. */
    public static final int MAX_WILDCARDS = 32;

    private static final int MAX_EXPLORED = 1024;

    private final String source;
    private final PatternSegment[] segs;
    private final boolean hasAnySegments;
    /**
     * The lengths of the probe segments of {@link #matchesAllUnder}: a probe is a segment of
     * characters that occur nowhere in the pattern, so it can only be taken by '**' and by
     * segments made of '*' and '?' alone, and whether such a segment takes it depends only on its
     * length. Only lengths at the '?' counts of those segments (and one above each) behave
     * differently, so these few lengths stand for every probe; a real segment advances the NFA at
     * least as far as the probe of its length. At most 2 × {@link #MAX_WILDCARDS} + 1 of them.
     */
    private final int[] probeLengths;

    private PathPattern(String source, PatternSegment[] segs) {
        this.source = source;
        this.segs = segs;
        boolean any = false;
        Set<Integer> lengths = new TreeSet<>();
        lengths.add(1);
        for (PatternSegment s : segs) {
            any |= s.anySegments;
            if (s.onlyWildcards) {
                lengths.add(Math.max(1, s.qmarks));
                lengths.add(s.qmarks + 1);
            }
        }
        this.hasAnySegments = any;
        this.probeLengths = lengths.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Reads a pattern (see {@link PatternParser} for what is refused).
     *
     * @throws IllegalArgumentException with a message naming the pattern (a prefix of it) and the problem
     */
    public static PathPattern compile(String pattern) {
        PatternParser.Parsed parsed = PatternParser.parse(pattern);
        return new PathPattern(parsed.source(), parsed.segments());
    }

    /** A message quotes at most the start of what a user sent (a pattern may be a kilobyte long). */
    static String abbreviate(String text) {
        return abbreviate(text, 64);
    }

    /** The first {@code max} characters (one fewer rather than half a surrogate pair) and '…', or all of a short text. */
    static String abbreviate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "…";
    }

    public boolean matches(ArtifactPath path) {
        Objects.requireNonNull(path, "path");
        List<String> in = path.segments();
        if (!hasAnySegments) {
            // Fast path: a pattern without '**' matches only paths of exactly its length.
            if (in.size() != segs.length) {
                return false;
            }
            for (int i = 0; i < segs.length; i++) {
                if (!segs[i].matches(in.get(i))) {
                    return false;
                }
            }
            return true;
        }
        BitSet states = run(in);
        return states != null && states.get(segs.length);
    }

    /** true if {@code folder} itself or some path below it could match (used to decide what a folder listing may show). */
    public boolean mayMatchUnder(ArtifactPath folder) {
        Objects.requireNonNull(folder, "folder");
        // Every live NFA state can still reach acceptance: '**' takes zero segments, every other
        // pattern segment is matched by some valid path segment.
        return run(folder.segments()) != null;
    }

    /** true if every path at or below {@code folder} matches (e.g. pattern "a/**" and folder "a/b"). */
    public boolean matchesAllUnder(ArtifactPath folder) {
        Objects.requireNonNull(folder, "folder");
        BitSet start = run(folder.segments());
        if (start == null) {
            return false;
        }
        // Explore the state sets reachable with the probe segments only: every real segment's
        // transitions include those of some probe, so if all probe sequences keep accepting, every
        // extension does; and a probe sequence that fails is a real counterexample.
        Set<BitSet> seen = new HashSet<>();
        Deque<BitSet> work = new ArrayDeque<>();
        seen.add(start);
        work.push(start);
        while (!work.isEmpty()) {
            BitSet states = work.pop();
            if (!states.get(segs.length)) {
                return false;
            }
            for (int probe : probeLengths) {
                BitSet next = stepProbe(states, probe);
                if (next == null) {
                    return false;
                }
                if (seen.add(next)) {
                    if (seen.size() > MAX_EXPLORED) {
                        return false; // give up conservatively: "not everything" never hides too much
                    }
                    work.push(next);
                }
            }
        }
        return true;
    }

    // ---- for Reach: the NFA as a step function over state sets

    /** The states after {@code in} (null once none is alive). */
    BitSet statesAfter(List<String> in) {
        return run(in);
    }

    /** The states after one more segment (null once none is alive). */
    BitSet next(BitSet states, String segment) {
        return step(states, segment);
    }

    boolean accepting(BitSet states) {
        return states != null && states.get(segs.length);
    }

    /** See {@link PatternSegment#addSamples}; also a run of {@code fresh} at every probe length. */
    void addSamples(Set<String> out, int fresh, int longestFixed) {
        for (PatternSegment s : segs) {
            s.addSamples(out, fresh, longestFixed);
        }
        for (int length : probeLengths) {
            out.add(new String(new int[] {fresh}, 0, 1).repeat(length));
        }
    }

    /** The longest segment of a fixed length in this pattern (0 when none). */
    int longestFixedSegment() {
        int longest = 0;
        for (PatternSegment s : segs) {
            longest = Math.max(longest, s.fixedLength());
        }
        return longest;
    }

    boolean uses(int codePoint) {
        for (PatternSegment s : segs) {
            if (s.uses(codePoint)) {
                return true;
            }
        }
        return false;
    }

    /** The NFA state set after consuming {@code in}, or null once no state is alive. */
    private BitSet run(List<String> in) {
        BitSet states = new BitSet(segs.length + 1);
        states.set(0);
        close(states);
        for (String s : in) {
            states = step(states, s);
            if (states == null) {
                return null;
            }
        }
        return states;
    }

    private BitSet step(BitSet states, String segment) {
        BitSet next = new BitSet(segs.length + 1);
        for (int i = states.nextSetBit(0); i >= 0 && i < segs.length; i = states.nextSetBit(i + 1)) {
            PatternSegment s = segs[i];
            if (s.anySegments) {
                next.set(i);
            } else if (s.matches(segment)) {
                next.set(i + 1);
            }
        }
        if (next.isEmpty()) {
            return null;
        }
        close(next);
        return next;
    }

    /** {@link #step} for a probe segment of {@code length} characters found nowhere in the pattern. */
    private BitSet stepProbe(BitSet states, int length) {
        BitSet next = new BitSet(segs.length + 1);
        for (int i = states.nextSetBit(0); i >= 0 && i < segs.length; i = states.nextSetBit(i + 1)) {
            PatternSegment s = segs[i];
            if (s.anySegments) {
                next.set(i);
            } else if (s.onlyWildcards && (length == s.qmarks || (s.star && length >= s.qmarks))) {
                next.set(i + 1);
            }
        }
        if (next.isEmpty()) {
            return null;
        }
        close(next);
        return next;
    }

    /** Epsilon closure: a '**' may also match zero segments. Ascending order handles runs of '**'. */
    private void close(BitSet states) {
        for (int i = 0; i < segs.length; i++) {
            if (segs[i].anySegments && states.get(i)) {
                states.set(i + 1);
            }
        }
    }

    /** The pattern as written, without a leading '/'. */
    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathPattern other && other.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }
}
