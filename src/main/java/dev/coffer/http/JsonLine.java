package dev.coffer.http;

/**
 * One JSON object on one line, written by hand (Jackson's generator cost more than the rest of a
 * small download's access-log record); strings escaped as JSON requires (quote, backslash,
 * control characters, and the two line separators JavaScript treats as line ends).
 */
final class JsonLine {
    private final StringBuilder sb = new StringBuilder(320).append('{');

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
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == 0x2028 || ch == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }

    String end() {
        return sb.append('}').toString();
    }
}
