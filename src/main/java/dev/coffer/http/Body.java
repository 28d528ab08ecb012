package dev.coffer.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.common.Action;
import dev.coffer.common.CofferException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The honoured fields of a body that passed its {@link BodyShape}: every value is of its declared
 * type already. Absent (or {@code null}) fields read as null. Asking for a field the shape does
 * not declare, or as another type, is a bug of the route, not of the request.
 */
final class Body {
    private final BodyShape shape;
    private final Map<String, JsonNode> values;

    Body(BodyShape shape, Map<String, JsonNode> values) {
        this.shape = shape;
        this.values = values;
    }

    boolean has(String name) {
        shape.field(name);
        return values.containsKey(name);
    }

    /** A string; in a form-compatible shape also the text of a number or boolean field. */
    String text(String name) {
        JsonNode v = value(name, BodyShape.Type.TEXT, shape.lenient());
        return v == null ? null : v.isTextual() ? v.textValue() : v.asText();
    }

    Boolean bool(String name) {
        JsonNode v = value(name, BodyShape.Type.BOOLEAN, false);
        if (v == null) {
            return null;
        }
        return v.isBoolean()
                ? v.booleanValue()
                : v.textValue().trim().toLowerCase(Locale.ROOT).equals("true");
    }

    /** A whole number (in a form-compatible shape also its text); 400 naming the field when out of range. */
    Long integer(String name) {
        JsonNode v = value(name, BodyShape.Type.INTEGER, false);
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.textValue().trim());
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw CofferException.invalid("body_invalid", "'" + name + "' is not a whole number in range");
    }

    List<String> strings(String name) {
        JsonNode v = value(name, BodyShape.Type.TEXTS, false);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>(v.size());
        v.forEach(e -> out.add(e.textValue()));
        return out;
    }

    /** Names to their actions, in the order sent. */
    Map<String, Set<Action>> grants(String name) {
        JsonNode v = value(name, BodyShape.Type.GRANTS, false);
        if (v == null) {
            return null;
        }
        Map<String, Set<Action>> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Set<Action> actions = EnumSet.noneOf(Action.class);
            e.getValue().forEach(a -> actions.add(Action.fromLetter(a.textValue())));
            out.put(e.getKey(), Collections.unmodifiableSet(actions));
        }
        return out;
    }

    /**
     * A name in the body ({@code name}, Artifactory's {@code key}, {@code username}) must be the
     * one in the URL: which of the two would a reader of the request have taken?
     */
    void requireName(String field, String inUrl) {
        String n = text(field);
        if (n != null && !n.equals(inUrl)) {
            throw CofferException.invalid(
                    "name_mismatch", "'" + field + "' in the body differs from the name in the " + "URL");
        }
    }

    private JsonNode value(String name, BodyShape.Type type, boolean anyScalar) {
        BodyShape.Field f = shape.field(name);
        if (f.use() != BodyShape.Use.READ || (f.type() != type && !(anyScalar && isScalar(f.type())))) {
            throw new IllegalStateException("'" + name + "' is not read as " + type);
        }
        return values.get(name);
    }

    private static boolean isScalar(BodyShape.Type t) {
        return t == BodyShape.Type.TEXT || t == BodyShape.Type.BOOLEAN || t == BodyShape.Type.INTEGER;
    }
}
