package dev.coffer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.authz.PathPattern;
import dev.coffer.common.Action;
import dev.coffer.common.CofferException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields one kind of request body may carry, each with its JSON type and what Coffer does with
 * it, and the one reader that holds a body to them. A typo in an access rule must be an error,
 * never a wider grant: {@code {"includePattern": ["app/**"]}} used to be read as "no include
 * pattern", that is every path. So every body is read through a shape, before a handler sees a
 * value, and a refused body changes nothing:
 * <ul>
 * <li>a field the shape does not declare: 400 {@code field_unknown}, naming it and the field it
 *     probably meant ({@link FieldNames});
 * <li>a value of the wrong JSON type: 400 {@code body_invalid} naming the place
 *     ({@code includePatterns[2]}); {@code null} is the same as leaving the field out;
 * <li>an empty list where one is needed, an empty name, a pattern that does not compile, an
 *     unknown action: 400 with the shape's code, naming the place;
 * <li>a field of a borrowed product's API that Coffer does not implement, with any value but its
 *     neutral one: 400 {@code field_unsupported} ({@link Use#NEUTRAL_ONLY}).
 * </ul>
 * Known and ignored ({@link Use#IGNORED}): our own read-only output (a client may PUT back what it
 * read) and borrowed fields that mean nothing here; they are still type-checked.
 */
final class BodyShape {
    /** The JSON type of a field. Lists and grant maps are checked element by element. */
    enum Type {
        TEXT,
        BOOLEAN,
        INTEGER,
        TEXTS,
        GRANTS,
        /** Any JSON value: a borrowed field whose type varies (for ignored fields). */
        ANY
    }

    /** What Coffer does with a field. */
    enum Use {
        /** Read and honoured. */
        READ,
        /** Known and ignored: our own read-only output, or a borrowed field with no meaning here. */
        IGNORED,
        /** A borrowed field Coffer does not implement: ignoring another value would grant or expose more than asked. */
        NEUTRAL_ONLY
    }

    /** One element of a list: null when it is fine, else what is wrong with it. */
    @FunctionalInterface
    interface Check {
        String problem(String value);
    }

    /** A name in a list: not empty (and not just spaces). */
    static final Check NAME = v -> v.isBlank() ? "an empty name" : null;
    /** A path pattern of a permission target, compiled as the index will compile it. */
    static final Check PATTERN = v -> {
        try {
            PathPattern.compile(v);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    };

    record Field(
            String name,
            Type type,
            Use use,
            Check check,
            String emptyMessage,
            int maxEntries,
            List<String> neutral,
            String why) {}

    private final String what;
    private final String invalidCode;
    private final boolean lenient;
    private final Map<String, Field> fields;
    private final Map<String, String> hints;
    /** Field names in declaration order: the candidates of a suggestion, and the list a refusal shows. */
    private final List<String> order;

    private BodyShape(Builder b) {
        this.what = b.what;
        this.invalidCode = b.invalidCode;
        this.lenient = b.lenient;
        this.fields = Map.copyOf(b.fields);
        this.hints = Map.copyOf(b.hints);
        this.order = List.copyOf(b.fields.keySet());
    }

    static Builder of(String what) {
        return new Builder(what);
    }

    Field field(String name) {
        Field f = fields.get(name);
        if (f == null) {
            throw new IllegalStateException("the shape of " + what + " declares no field '" + name + "'");
        }
        return f;
    }

    boolean lenient() {
        return lenient;
    }

    /** Checks the whole body against the shape; the values of the honoured fields, or a 400. */
    Body read(ObjectNode body) {
        List<String> unknown = new ArrayList<>();
        body.fieldNames().forEachRemaining(n -> {
            if (!fields.containsKey(n)) {
                unknown.add(n);
            }
        });
        if (!unknown.isEmpty()) {
            throw unknown(unknown);
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Field f = fields.get(e.getKey());
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            check(f, v);
            if (f.use() == Use.READ) {
                values.put(f.name(), v);
            } else if (f.use() == Use.NEUTRAL_ONLY && !neutral(f, v)) {
                throw CofferException.invalid("field_unsupported", "'" + f.name() + "': " + f.why());
            }
        }
        return new Body(this, values);
    }

    private static boolean neutral(Field f, JsonNode v) {
        String text = v.asText().trim();
        return f.neutral().stream().anyMatch(n -> n.equalsIgnoreCase(text));
    }

    private CofferException unknown(List<String> names) {
        List<String> parts = new ArrayList<>();
        List<String> read =
                order.stream().filter(n -> fields.get(n).use() == Use.READ).toList();
        for (String n : names.subList(0, Math.min(names.size(), 5))) {
            String hint = hints.get(n);
            String suggestion = hint == null ? FieldNames.suggest(n, order) : null;
            parts.add(FieldNames.shown(n)
                    + (hint != null
                            ? " (" + hint + ")"
                            : suggestion != null ? " (did you mean '" + suggestion + "'?)" : ""));
        }
        String more = names.size() > 5 ? " and " + (names.size() - 5) + " more" : "";
        return CofferException.invalid(
                "field_unknown",
                "unknown field" + (names.size() > 1 ? "s " : " ")
                        + String.join(", ", parts) + more + "; " + what + " has the fields " + String.join(", ", read)
                        + ". Nothing was changed");
    }

    private void check(Field f, JsonNode v) {
        String at = f.name();
        switch (f.type()) {
            case TEXT -> {
                if (!v.isTextual()) {
                    throw wrongType(at, "a string");
                }
            }
            case BOOLEAN -> {
                if (!v.isBoolean() && !(lenient && v.isTextual() && isBoolean(v.textValue()))) {
                    throw wrongType(at, "true or false");
                }
            }
            case INTEGER -> {
                // a form carries text: its number is parsed (and bounded) by the route
                if (!v.isIntegralNumber() && !(lenient && v.isTextual())) {
                    throw wrongType(at, "a whole number");
                }
            }
            case TEXTS -> checkList(f, at, v, f.check());
            case GRANTS -> {
                if (!v.isObject()) {
                    throw wrongType(at, "an object mapping names to lists of action letters");
                }
                if (v.size() > f.maxEntries()) {
                    throw tooMany(at, f.maxEntries());
                }
                Iterator<Map.Entry<String, JsonNode>> it = v.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String who = at + "." + e.getKey();
                    if (e.getKey().isBlank()) {
                        throw CofferException.invalid(invalidCode, "'" + at + "': an empty name");
                    }
                    checkList(f, who, e.getValue(), BodyShape::action);
                }
            }
            case ANY -> {
                // ignored whatever it is
            }
            default -> throw new IllegalStateException(f.type().toString());
        }
    }

    private void checkList(Field f, String at, JsonNode v, Check check) {
        if (!v.isArray()) {
            throw wrongType(at, "a list of strings");
        }
        if (v.isEmpty() && f.emptyMessage() != null && at.equals(f.name())) {
            throw CofferException.invalid(invalidCode, "'" + at + "' is empty: " + f.emptyMessage());
        }
        if (v.size() > f.maxEntries()) {
            throw tooMany(at, f.maxEntries());
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual()) {
                throw wrongType(at + "[" + i + "]", "a string");
            }
            String problem = check.problem(e.textValue());
            if (problem != null) {
                throw CofferException.invalid(invalidCode, "'" + at + "[" + i + "]': " + problem);
            }
        }
    }

    private CofferException tooMany(String at, int max) {
        return CofferException.invalid(invalidCode, "'" + at + "' has more than " + max + " entries");
    }

    private static String action(String letter) {
        try {
            Action.fromLetter(letter);
            return null;
        } catch (IllegalArgumentException e) {
            for (Action a : Action.values()) {
                // Artifactory's v2 targets name actions by word ("read", "write", "manage")
                if (a.name().equalsIgnoreCase(letter) || (a == Action.SYNC && letter.equalsIgnoreCase("synchronize"))) {
                    return e.getMessage() + " (did you mean '" + a.letter() + "'?)";
                }
            }
            return e.getMessage();
        }
    }

    private static boolean isBoolean(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        return t.equals("true") || t.equals("false");
    }

    private static CofferException wrongType(String at, String expected) {
        return CofferException.invalid("body_invalid", "'" + at + "' must be " + expected);
    }

    static final class Builder {
        private final String what;
        private String invalidCode = "body_invalid";
        private boolean lenient;
        private final Map<String, Field> fields = new LinkedHashMap<>();
        private final Map<String, String> hints = new LinkedHashMap<>();

        private Builder(String what) {
            this.what = what;
        }

        /** The code of a 400 for a value of the right type that is still wrong (an empty list, a bad pattern). */
        Builder invalidCode(String code) {
            this.invalidCode = code;
            return this;
        }

        /** Form-compatible: booleans and numbers may come as text (a form carries nothing else). */
        Builder lenient() {
            this.lenient = true;
            return this;
        }

        Builder read(String name, Type type) {
            return add(new Field(name, type, Use.READ, NAME, null, Json.MAX_ENTRIES, List.of(), null));
        }

        /** A list read and honoured; {@code emptyMessage} non-null: an empty list is refused with it. */
        Builder list(String name, Check check, String emptyMessage, int maxEntries) {
            return add(new Field(name, Type.TEXTS, Use.READ, check, emptyMessage, maxEntries, List.of(), null));
        }

        Builder grants(String name, int maxEntries) {
            return add(new Field(name, Type.GRANTS, Use.READ, NAME, null, maxEntries, List.of(), null));
        }

        Builder ignored(String name, Type type) {
            return add(new Field(name, type, Use.IGNORED, v -> null, null, Json.MAX_ENTRIES, List.of(), null));
        }

        /** Accepted only with one of {@code neutral} (as text); none: refused whenever given. */
        Builder neutralOnly(String name, Type type, String why, String... neutral) {
            return add(
                    new Field(name, type, Use.NEUTRAL_ONLY, v -> null, null, Json.MAX_ENTRIES, List.of(neutral), why));
        }

        /** What to tell a client that sends {@code name}, a field of another product that Coffer does not read. */
        Builder hint(String name, String hint) {
            hints.put(name, hint);
            return this;
        }

        private Builder add(Field f) {
            if (fields.putIfAbsent(f.name(), f) != null) {
                throw new IllegalStateException("field '" + f.name() + "' declared twice");
            }
            return this;
        }

        BodyShape build() {
            return new BodyShape(this);
        }
    }
}
