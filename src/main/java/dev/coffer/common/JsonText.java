package dev.coffer.common;

/**
 * JSON string quoting by hand, for the hot writers (the access log, the audit's read batches) where
 * Jackson's generator cost more than the rest of the work. Escapes what JSON requires (quote,
 * backslash, control characters), the two line separators JavaScript treats as line ends, and any
 * lone surrogate, which UTF-8 cannot carry and would otherwise come back as '?'.
 */
public final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {}

    /** Appends {@code s} as a JSON string literal, or {@code null}. */
    public static void quote(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        int n = s.length();
        int plain = 0; // start of the run of characters that need no escape, appended in one go
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x20 && ch != '"' && ch != '\\' && ch < 0x2028) {
                continue;
            }
            if (ch >= 0x2028 && ch != 0x2028 && ch != 0x2029) {
                if (!Character.isSurrogate(ch)) {
                    continue;
                }
                if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // a proper pair stays as it is
                    continue;
                }
            }
            sb.append(s, plain, i);
            plain = i + 1;
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default ->
                    sb.append("\\u")
                            .append(HEX[ch >> 12 & 15])
                            .append(HEX[ch >> 8 & 15])
                            .append(HEX[ch >> 4 & 15])
                            .append(HEX[ch & 15]);
            }
        }
        sb.append(s, plain, n).append('"');
    }
}
