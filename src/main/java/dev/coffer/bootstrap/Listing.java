package dev.coffer.bootstrap;

import dev.coffer.common.TerminalText;

/**
 * How every CLI command prints what it did not write itself (descriptions, paths, messages that
 * quote input): through {@link TerminalText#escape}, so stored text cannot drive the terminal
 * (clear the screen, fake a line, hide a row) and a tab inside a value cannot shift the columns of
 * a tab-separated listing.
 */
final class Listing {
    private Listing() {}

    /** One tab-separated row, each column escaped (null prints as empty). */
    static String row(String... columns) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                sb.append('\t');
            }
            sb.append(TerminalText.escape(columns[i]));
        }
        return sb.toString();
    }

    /** A message or a single value, escaped. */
    static String text(String s) {
        return TerminalText.escape(s);
    }
}
