package dev.coffer.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.CofferException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * JSON in and out. Request bodies are size-limited before they are parsed, a key given twice is
 * refused (Jackson would keep the last: {@code {"admin":false,"admin":true}} means one thing to a
 * proxy or an audit reader and another to us), and what they hold is bounded: nesting, entries
 * per object or array, string length. Routes then hold the body to its {@link BodyShape} (see
 * {@link Bodies}): known fields only, each of its type.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    /** Deepest nesting of objects and arrays in a request body (Coffer's documents need 3). */
    public static final int MAX_DEPTH = 10;
    /** Most fields of one object, or elements of one array, in a request body. */
    public static final int MAX_ENTRIES = 10_000;
    /** Longest string value in a request body, in characters. */
    public static final int MAX_STRING_CHARS = 16_384;
    /** Longest field name in a request body, in characters. */
    public static final int MAX_NAME_CHARS = 1024;

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    public static void send(Context ctx, int status, Object body) {
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(body);
            ctx.status(status);
            ctx.contentType("application/json; charset=utf-8");
            ctx.result(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a JSON object body of at most {@code limit} bytes; an empty body is an empty object. */
    public static ObjectNode body(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                throw tooLarge(limit);
            }
            if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
                return object();
            }
            JsonNode node = MAPPER.readTree(bytes);
            if (!(node instanceof ObjectNode obj)) {
                throw CofferException.invalid("body_invalid", "the request body must be a JSON object");
            }
            checkBounds(obj, "", 1);
            return obj;
        } catch (JsonParseException e) {
            String duplicate = duplicateName(e);
            if (duplicate != null) {
                throw CofferException.invalid(
                        "body_invalid",
                        "the request body has the field '" + duplicate + "' more than once; send each field once");
            }
            throw notJson(e);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw CofferException.invalid("body_invalid", "the request body could not be read");
        }
    }

    private static CofferException notJson(JsonProcessingException e) {
        // never quote the parser's message: it echoes the offending token, which may be a password
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
        return CofferException.invalid(
                "body_invalid",
                "the request body is not valid JSON"
                        + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }

    /** The field name of Jackson's duplicate-detection failure (a name, never a value), shortened; else null. */
    private static String duplicateName(JsonParseException e) {
        String m = e.getOriginalMessage();
        if (m == null || !m.startsWith("Duplicate ")) {
            return null;
        }
        int open = m.indexOf('\'');
        int close = m.lastIndexOf('\'');
        if (open < 0 || close <= open) {
            open = m.indexOf('"');
            close = m.lastIndexOf('"');
        }
        if (open < 0 || close <= open) {
            return "?";
        }
        return shorten(m.substring(open + 1, close));
    }

    private static String shorten(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "…";
    }

    /** Nesting, entries and string lengths; {@code at} names the place ("users.alice[2]") for the message. */
    private static void checkBounds(JsonNode node, String at, int depth) {
        if (depth > MAX_DEPTH) {
            throw CofferException.invalid(
                    "body_invalid",
                    "the request body is nested more than " + MAX_DEPTH + " levels deep (at '" + at + "')");
        }
        if (node.isTextual()) {
            if (node.textValue().length() > MAX_STRING_CHARS) {
                throw CofferException.invalid(
                        "body_invalid", "'" + at + "' is longer than " + MAX_STRING_CHARS + " characters");
            }
            return;
        }
        if (node.size() > MAX_ENTRIES) {
            throw CofferException.invalid(
                    "body_invalid",
                    "'" + (at.isEmpty() ? "the body" : at) + "' has more than " + MAX_ENTRIES + " entries");
        }
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                if (f.getKey().length() > MAX_NAME_CHARS) {
                    throw CofferException.invalid(
                            "body_invalid",
                            "a field name is longer than " + MAX_NAME_CHARS + " characters ('" + shorten(f.getKey())
                                    + "')");
                }
                checkBounds(
                        f.getValue(), at.isEmpty() ? shorten(f.getKey()) : at + "." + shorten(f.getKey()), depth + 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkBounds(node.get(i), at + "[" + i + "]", depth + 1);
            }
        }
    }

    private static CofferException tooLarge(long limit) {
        return new CofferException(new dev.coffer.common.Failure.TooLarge(
                "too_large", "the request body is larger than " + limit + " bytes"));
    }
}
