package dev.coffer.authz;

import java.util.Set;

/**
 * One compiled segment of a {@link PathPattern}: '**' (any number of segments), a literal, or a
 * glob of code points, {@link #STAR} and {@link #QMARK}.
 */
final class PatternSegment {
    static final int STAR = -1;
    static final int QMARK = -2;

    static final PatternSegment ANY_SEGMENTS = new PatternSegment(true, null, null);

    final boolean anySegments;
    final String literal;
    final int[] glob;
    /** A glob of '*' and '?' only (no literal character): it takes any segment of a fitting length. */
    final boolean onlyWildcards;

    final int qmarks;
    final boolean star;

    PatternSegment(boolean anySegments, String literal, int[] glob) {
        this.anySegments = anySegments;
        this.literal = literal;
        this.glob = glob;
        int q = 0;
        boolean st = false;
        boolean only = glob != null;
        if (glob != null) {
            for (int t : glob) {
                q += t == QMARK ? 1 : 0;
                st |= t == STAR;
                only &= t == STAR || t == QMARK;
            }
        }
        this.onlyWildcards = only;
        this.qmarks = q;
        this.star = st;
    }

    int wildcards() {
        if (anySegments) {
            return 1;
        }
        int n = 0;
        if (glob != null) {
            for (int t : glob) {
                n += t == STAR || t == QMARK ? 1 : 0;
            }
        }
        return n;
    }

    boolean matches(String segment) {
        if (literal != null) {
            return literal.equals(segment);
        }
        return globMatch(glob, segment);
    }

    /** Classic single-star backtracking: O(pattern × text) worst case, no recursion. */
    private static boolean globMatch(int[] p, String s) {
        int pi = 0;
        int si = 0;
        int starP = -1;
        int starS = -1;
        int n = s.length();
        while (si < n) {
            if (pi < p.length) {
                int t = p[pi];
                if (t == STAR) {
                    starP = pi++;
                    starS = si;
                    continue;
                }
                int c = s.codePointAt(si);
                if (t == QMARK || t == c) {
                    pi++;
                    si += Character.charCount(c);
                    continue;
                }
            }
            if (starP >= 0) {
                pi = starP + 1;
                starS += Character.charCount(s.codePointAt(starS));
                si = starS;
                continue;
            }
            return false;
        }
        while (pi < p.length && p[pi] == STAR) {
            pi++;
        }
        return pi == p.length;
    }

    /**
     * Segments this one takes, for {@link Reach}'s search: the literal itself, or the glob with its
     * stars empty and with each star one {@code fresh} character, every '?' a {@code fresh}
     * character. Together with the literals of the other patterns they stand for the segments the
     * patterns can tell apart (see Reach).
     */
    void addSamples(Set<String> out, int fresh, int longestFixed) {
        if (anySegments) {
            return;
        }
        if (literal != null) {
            out.add(literal);
            return;
        }
        StringBuilder empty = new StringBuilder();
        StringBuilder filled = new StringBuilder();
        for (int t : glob) {
            if (t == QMARK) {
                empty.appendCodePoint(fresh);
                filled.appendCodePoint(fresh);
            } else if (t == STAR) {
                filled.appendCodePoint(fresh);
            } else {
                empty.appendCodePoint(t);
                filled.appendCodePoint(t);
            }
        }
        if (empty.length() > 0) {
            out.add(empty.toString());
        }
        out.add(filled.toString());
        if (star) {
            // a segment of a fixed length elsewhere ("??", "ab") can cancel every short fill of a star
            // ("*b" minus "b" and "??"): fill the first star with every length up to one past the
            // longest fixed segment, so some sample is longer than all of them
            for (int k = 2; k <= longestFixed + 1; k++) {
                out.add(fillFirstStar(fresh, k));
            }
        }
    }

    /** The glob with its first star as {@code k} fresh characters, other stars empty. */
    private String fillFirstStar(int fresh, int k) {
        StringBuilder b = new StringBuilder();
        boolean first = true;
        for (int t : glob) {
            if (t == STAR) {
                if (first) {
                    b.append(new String(new int[] {fresh}, 0, 1).repeat(k));
                    first = false;
                }
            } else {
                b.appendCodePoint(t == QMARK ? fresh : t);
            }
        }
        return b.toString();
    }

    /** The length every segment this one matches has, or -1 when a star lets it vary. */
    int fixedLength() {
        if (anySegments || star) {
            return -1;
        }
        return literal != null ? literal.codePointCount(0, literal.length()) : glob.length;
    }

    /** Does a literal or glob of this segment use the code point (wildcards aside)? */
    boolean uses(int codePoint) {
        if (literal != null) {
            return literal.indexOf(codePoint) >= 0;
        }
        if (glob != null) {
            for (int t : glob) {
                if (t == codePoint) {
                    return true;
                }
            }
        }
        return false;
    }
}
