package dev.coffer.http;

/**
 * One JSON object on one line, written by hand (Jackson's generator cost more than the rest of a
 * small download's access-log record); strings escaped as JSON requires (quote, backslash,
 * control characters, and the two line separators JavaScript treats as line ends).
 */
final class JsonLine {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final StringBuilder sb = new StringBuilder(512).append('{');

    private void name(String name) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        sb.append('"').append(name).append("\":");
    }

    void string(String name, String value) {
        name(name);
        quote(value);
    }

    void number(String name, long value) {
        name(name);
        sb.append(value);
    }

    /** A number given in tenths, written with one decimal ("12.3"), without going through a double. */
    void tenths(String name, long tenths) {
        name(name);
        sb.append(tenths / 10).append('.').append(tenths % 10);
    }

    void raw(String name, String json) {
        name(name);
        sb.append(json);
    }

    void strings(String name, java.util.List<String> values) {
        name(name);
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            quote(values.get(i));
        }
        sb.append(']');
    }

    private void quote(String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        int n = s.length();
        int plain = 0; // start of the run of characters that need no escape, appended in one go
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x20 && ch != '"' && ch != '\\' && ch != 0x2028 && ch != 0x2029) {
                continue;
            }
            sb.append(s, plain, i);
            plain = i + 1;
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append("\\u").append(HEX[ch >> 12 & 15]).append(HEX[ch >> 8 & 15])
                        .append(HEX[ch >> 4 & 15]).append(HEX[ch & 15]);
            }
        }
        sb.append(s, plain, n).append('"');
    }

    String end() {
        return sb.append('}').toString();
    }
}
