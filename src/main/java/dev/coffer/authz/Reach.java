package dev.coffer.authz;

import dev.coffer.common.ArtifactPath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Does a permission target reach any path at or below a folder: one that an include pattern
 * matches and no exclude pattern does? Rights "somewhere" (the repository list, the manage right,
 * a folder that may lead to readable files) must not count an include that the excludes cancel
 * ({@code lib/**} minus {@code lib/**}), or a target would grant a right it never grants on any path.
 *
 * <p>The search runs the patterns' automata side by side over sample segments: the literal
 * segments of all the patterns, each glob segment filled in (stars empty, one fresh character
 * each, and the first star at every length up to one past the longest fixed-length segment), and runs of a character no pattern uses at every length where a '?' count changes the
 * answer. A path that it finds is a real one that the target grants; when it finds none, or gives
 * up past {@link #MAX_STATES} combined states, the answer is no. So it never grants more than the
 * target does, and in the rare case its samples miss a kind of segment it grants less ("somewhere"
 * answers only ever widen what a caller may see or do, never narrow it).
 */
final class Reach {
    static final int MAX_STATES = 4096;
    /** Candidates for the fresh character, the first one no pattern uses is taken. */
    private static final int[] FRESH = {'~', 'q', 'Z', 0x00e6, 0x2603, 0xe000, 0xe001, 0xe002};

    private Reach() {}

    static boolean somePath(ArtifactPath folder, PathPattern[] includes, PathPattern[] excludes) {
        return witness(folder, includes, excludes).isPresent();
    }

    /** A path at or below {@code folder} that the target grants (its segments), if the search finds one. */
    static Optional<List<String>> witness(ArtifactPath folder, PathPattern[] includes, PathPattern[] excludes) {
        List<PathPattern> all = new ArrayList<>(List.of(includes));
        all.addAll(List.of(excludes));
        int fresh = fresh(all);
        if (fresh < 0) {
            return Optional.empty(); // every candidate is used: give up, conservatively
        }
        int longestFixed = 0;
        for (PathPattern p : all) {
            longestFixed = Math.max(longestFixed, p.longestFixedSegment());
        }
        Set<String> samples = new LinkedHashSet<>();
        for (PathPattern p : all) {
            p.addSamples(samples, fresh, longestFixed);
        }
        for (PathPattern include : includes) {
            Optional<List<String>> found = reaches(folder, include, excludes, samples);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static int fresh(List<PathPattern> patterns) {
        for (int c : FRESH) {
            if (patterns.stream().noneMatch(p -> p.uses(c))) {
                return c;
            }
        }
        return -1;
    }

    /** Breadth-first over the combined states: the include's, then each exclude's (empty once dead). */
    private static Optional<List<String>> reaches(
            ArtifactPath folder, PathPattern include, PathPattern[] excludes, Set<String> samples) {
        List<BitSet> start = new ArrayList<>(excludes.length + 1);
        start.add(include.statesAfter(folder.segments()));
        if (start.get(0) == null) {
            return Optional.empty();
        }
        for (PathPattern e : excludes) {
            start.add(orEmpty(e.statesAfter(folder.segments())));
        }
        if (!folder.isRoot() && granted(start, include, excludes)) {
            return Optional.of(folder.segments());
        }
        // each combined state with the path that first reached it
        Map<List<BitSet>, List<String>> seen = new HashMap<>();
        Deque<List<BitSet>> work = new ArrayDeque<>();
        seen.put(start, folder.segments());
        work.add(start);
        while (!work.isEmpty()) {
            List<BitSet> states = work.poll();
            List<String> path = seen.get(states);
            for (String segment : samples) {
                BitSet in = include.next(states.get(0), segment);
                if (in == null) {
                    continue;
                }
                List<BitSet> next = new ArrayList<>(states.size());
                next.add(in);
                for (int i = 0; i < excludes.length; i++) {
                    BitSet e = states.get(i + 1);
                    next.add(e.isEmpty() ? e : orEmpty(excludes[i].next(e, segment)));
                }
                List<String> longer = new ArrayList<>(path);
                longer.add(segment);
                if (granted(next, include, excludes)) {
                    return Optional.of(longer);
                }
                if (seen.putIfAbsent(next, longer) == null) {
                    if (seen.size() > MAX_STATES) {
                        return Optional.empty();
                    }
                    work.add(next);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean granted(List<BitSet> states, PathPattern include, PathPattern[] excludes) {
        if (!include.accepting(states.get(0))) {
            return false;
        }
        for (int i = 0; i < excludes.length; i++) {
            if (excludes[i].accepting(states.get(i + 1))) {
                return false;
            }
        }
        return true;
    }

    private static BitSet orEmpty(BitSet b) {
        return b == null ? new BitSet() : b;
    }
}
