package dev.coffer.audit;

import dev.coffer.common.JsonText;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The values of changed settings before and after, for an audit event (API.md §3: every change
 * of exposure is audited with both): {@code {"anonymousRead":{"before":false,"after":true}}}.
 * Values are null, booleans, numbers, text or lists of text; secrets never belong here (a
 * password change is recorded by its action alone).
 */
public final class AuditChange {
    /** What an event holds instead of a change too long to keep (see {@link AuditEvent#MAX_CHANGE}). */
    static final String OMITTED =
            "{\"omitted\":\"the values were longer than " + AuditEvent.MAX_CHANGE + " characters\"}";

    private final Map<String, Object[]> fields = new LinkedHashMap<>();

    /** Records one setting; a setting given twice keeps the first before and the last after. */
    public AuditChange field(String name, Object before, Object after) {
        Objects.requireNonNull(name, "name");
        check(before);
        check(after);
        fields.merge(name, new Object[] {before, after}, (old, next) -> new Object[] {old[0], next[1]});
        return this;
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** The JSON text, or null when no setting was recorded (the event then carries no change). */
    public String json() {
        if (fields.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((name, values) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            JsonText.quote(sb, name);
            sb.append(":{\"before\":");
            value(sb, values[0]);
            sb.append(",\"after\":");
            value(sb, values[1]);
            sb.append('}');
        });
        return sb.append('}').toString();
    }

    private static void check(Object v) {
        if (v == null || v instanceof Boolean || v instanceof String || v instanceof Long || v instanceof Integer) {
            return;
        }
        if (v instanceof Collection<?> c && c.stream().allMatch(e -> e instanceof String)) {
            return;
        }
        throw new IllegalArgumentException(
                "an audited value is null, a boolean, a whole number, text or a list of text, " + "not "
                        + v.getClass().getSimpleName());
    }

    private static void value(StringBuilder sb, Object v) {
        if (v instanceof String s) {
            JsonText.quote(sb, s);
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object e : c) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                JsonText.quote(sb, (String) e);
            }
            sb.append(']');
        } else {
            sb.append(v); // null, true/false, a whole number: their text is their JSON
        }
    }
}
