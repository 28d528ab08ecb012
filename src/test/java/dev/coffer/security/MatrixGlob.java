package dev.coffer.security;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The route matrix oracle's own path pattern, written from API.md §3/§5 and never from
 * dev.coffer.authz: a pattern is matched segment by segment; a whole segment {@code **} is any
 * number of segments (zero included), {@code *} inside a segment is any run of characters within
 * it, {@code ?} exactly one character; everything else is literal and case-sensitive.
 *
 * <p>Matching runs the pattern as a small automaton over segments (a state is "how many pattern
 * segments are consumed"), which also lets {@link #someMatch} decide by a breadth-first search
 * whether an include pattern minus some exclude patterns still matches any path at all.
 */
final class MatrixGlob {
    private final String source;
    private final String[] segs;

    private MatrixGlob(String source) {
        this.source = source;
        String p = source.startsWith("/") ? source.substring(1) : source;
        this.segs = p.split("/", -1);
    }

    static MatrixGlob of(String pattern) {
        return new MatrixGlob(pattern);
    }

    @Override
    public String toString() {
        return source;
    }

    /** {@code path} is "" for the repository root (zero segments), else segments joined by '/'. */
    boolean matches(String path) {
        BitSet s = start();
        if (!path.isEmpty()) {
            for (String seg : path.split("/", -1)) {
                s = step(s, seg);
                if (s.isEmpty()) {
                    return false;
                }
            }
        }
        return accepts(s);
    }

    BitSet start() {
        BitSet s = new BitSet();
        s.set(0);
        return closure(s);
    }

    boolean accepts(BitSet s) {
        return s.get(segs.length);
    }

    BitSet step(BitSet states, String segment) {
        BitSet next = new BitSet();
        for (int i = states.nextSetBit(0); i >= 0 && i < segs.length; i = states.nextSetBit(i + 1)) {
            if (segs[i].equals("**")) {
                next.set(i);
            } else if (segmentMatches(segs[i], segment)) {
                next.set(i + 1);
            }
        }
        return closure(next);
    }

    /** A {@code **} segment may also be skipped: zero segments. */
    private BitSet closure(BitSet s) {
        for (int i = s.nextSetBit(0); i >= 0 && i < segs.length; i = s.nextSetBit(i + 1)) {
            if (segs[i].equals("**")) {
                s.set(i + 1);
            }
        }
        return s;
    }

    /** Glob within one segment: '*' any run, '?' one character. */
    static boolean segmentMatches(String glob, String s) {
        boolean[][] m = new boolean[glob.length() + 1][s.length() + 1];
        m[glob.length()][s.length()] = true;
        for (int g = glob.length() - 1; g >= 0; g--) {
            char c = glob.charAt(g);
            for (int i = s.length(); i >= 0; i--) {
                if (c == '*') {
                    m[g][i] = m[g + 1][i] || (i < s.length() && m[g][i + 1]);
                } else if (i < s.length() && (c == '?' || c == s.charAt(i))) {
                    m[g][i] = m[g + 1][i + 1];
                }
            }
        }
        return m[0][0];
    }

    /**
     * True when some path of at least one segment, built from {@code segments}, matches
     * {@code include} and none of {@code excludes}. The caller passes every segment name of the
     * world plus an instance of every glob segment of its pattern vocabulary, so that each class of
     * segment the patterns can tell apart has a representative.
     */
    static boolean someMatch(MatrixGlob include, List<MatrixGlob> excludes, Collection<String> segments) {
        List<MatrixGlob> all = new ArrayList<>();
        all.add(include);
        all.addAll(excludes);
        List<BitSet> first = new ArrayList<>();
        for (MatrixGlob g : all) {
            first.add(g.start());
        }
        Set<List<BitSet>> seen = new HashSet<>();
        Deque<List<BitSet>> todo = new ArrayDeque<>();
        seen.add(first);
        todo.add(first);
        while (!todo.isEmpty()) {
            List<BitSet> state = todo.poll();
            for (String seg : segments) {
                List<BitSet> next = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    next.add(all.get(i).step(state.get(i), seg));
                }
                if (next.get(0).isEmpty()) {
                    continue;
                }
                boolean excluded = false;
                for (int i = 1; i < all.size(); i++) {
                    excluded |= all.get(i).accepts(next.get(i));
                }
                if (all.get(0).accepts(next.get(0)) && !excluded) {
                    return true;
                }
                if (seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        return false;
    }
}
