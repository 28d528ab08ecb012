package dev.coffer.common;

/**
 * User text that a terminal shows (CLI listings) is data, never control (checklist line 15): an
 * escape sequence in a description could clear the screen, fake a message or hide rows. Free text
 * is refused at input when it holds such characters ({@link #firstUnsafe}), and every CLI listing
 * prints user text through {@link #escape}, for what was stored before the input was checked.
 */
public final class TerminalText {
    private TerminalText() {}

    /**
     * Control characters (C0, DEL, C1: ESC, BEL, CR, backspace, tab...), line and paragraph
     * separators, the bidirectional controls that reorder what is shown (U+061C, U+200E, U+200F,
     * U+202A-U+202E, U+2066-U+2069), and surrogates without their pair.
     */
    public static boolean unsafe(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE
                || codePoint == 0x061C
                || codePoint == 0x200E
                || codePoint == 0x200F
                || (codePoint >= 0x202A && codePoint <= 0x202E)
                || (codePoint >= 0x2066 && codePoint <= 0x2069);
    }

    /** The first unsafe code point of the text, or -1 when there is none (also for null). */
    public static int firstUnsafe(String text) {
        if (text == null) {
            return -1;
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (unsafe(cp)) {
                return cp;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** The code point as U+XXXX, for messages that say which character was refused. */
    public static String name(int codePoint) {
        return String.format("U+%04X", codePoint);
    }

    /**
     * The text with every unsafe character shown as a visible escape ({@code \u001b}) and every
     * backslash doubled, so an escape shown is never confused with one typed; null becomes "".
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            boolean bad = unsafe(cp);
            if (bad || cp == '\\') {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                sb.append(bad ? String.format("\\u%04x", cp) : "\\\\");
            } else if (sb != null) {
                sb.append(text, i, i + len);
            }
            i += len;
        }
        return sb == null ? text : sb.toString();
    }
}
