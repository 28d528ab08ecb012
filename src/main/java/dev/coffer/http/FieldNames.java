package dev.coffer.http;

import java.util.List;
import java.util.Locale;

/**
 * What a client probably meant by a field name we do not know: the same name in another case or
 * spelling ({@code anonymousread}, {@code anonymous_read} → {@code anonymousRead}), else the
 * nearest known name within a few edits ({@code includePattern} → {@code includePatterns}). One
 * place, so that every body answers a typo the same way.
 */
final class FieldNames {
    /** No field of ours is longer; a longer name is no typo of one (and is not compared: the cost is quadratic). */
    static final int MAX_COMPARED = 64;

    private FieldNames() {}

    /** The known name {@code unknown} most likely stands for, or null when none is close. */
    static String suggest(String unknown, List<String> known) {
        if (unknown.isEmpty() || unknown.length() > MAX_COMPARED) {
            return null;
        }
        String u = fold(unknown);
        for (String k : known) {
            if (fold(k).equals(u)) {
                return k;
            }
        }
        // a third of the name, at most 3: "user" → "users", "includesPattern" → "includePatterns",
        // but "name" is not taken for "key"
        int limit = Math.max(1, Math.min(3, u.length() / 3));
        String best = null;
        int bestDistance = limit + 1;
        for (String k : known) {
            int d = distance(u, fold(k));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Case, '_' and '-' do not tell names apart for a suggestion (Artifactory's snake_case, our camelCase). */
    static String fold(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Edits (insert, delete, replace, swap of neighbours) from a to b: optimal string alignment distance. */
    static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[n][m];
    }

    /**
     * The name as it may appear in a message: quoted when it looks like a field name, else a
     * description. A form field's "name" may be any text a client sent (a pasted secret, a whole
     * body); messages repeat names, not whatever arrived where a name should be.
     */
    static String shown(String name) {
        if (name.isEmpty()) {
            return "a field with an empty name";
        }
        if (name.length() > MAX_COMPARED) {
            return "a field whose name is longer than " + MAX_COMPARED + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '$' || c == '@')) {
                return "a field whose name is not a field name (it has '"
                        + (c > 0x20 && c < 0x7f ? String.valueOf(c) : String.format(Locale.ROOT, "\\u%04x", (int) c))
                        + "')";
            }
        }
        return "'" + name + "'";
    }
}
