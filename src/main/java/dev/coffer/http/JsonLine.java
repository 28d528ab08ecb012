package dev.coffer.http;

import dev.coffer.common.JsonText;

/**
 * One JSON object on one line, written by hand (Jackson's generator cost more than the rest of a
 * small download's access-log record); strings quoted by {@link JsonText}.
 */
final class JsonLine {
    private final StringBuilder sb;

    JsonLine() {
        this(new StringBuilder(512));
    }

    /** Writes into {@code into} (emptied first), which the caller may reuse for the next line. */
    JsonLine(StringBuilder into) {
        into.setLength(0);
        this.sb = into.append('{');
    }

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
        JsonText.quote(sb, s);
    }

    String end() {
        return close().toString();
    }

    /** Closes the object and leaves the text in the builder (no copy into a String). */
    StringBuilder close() {
        return sb.append('}');
    }
}
