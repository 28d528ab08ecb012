package dev.coffer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The fields of a request that Artifactory's token API sends either as a form
 * ({@code application/x-www-form-urlencoded}, also as query parameters) or as JSON, as one map of
 * texts. One meaning per request: a field given twice is a 400, never "the first one wins".
 */
final class FormOrJson {
    private FormOrJson() {}

    private static CofferException repeated(String field) {
        return CofferException.invalid("body_invalid", "the field '" + (field.length() > 64 ? field.substring(0, 64)
                + "…" : field) + "' is given more than once; send each field once");
    }

    /**
     * Form or JSON fields, as Artifactory accepts both (a form's fields also as query parameters).
     * A field given twice (in the body, the query, or both) is refused rather than resolved.
     */
    static Map<String, String> fields(Context ctx, long maxBytes) {
        Map<String, String> out = new LinkedHashMap<>();
        String type = Objects.requireNonNullElse(ctx.contentType(), "");
        if (type.startsWith("application/json")) {
            ObjectNode body = Json.body(ctx, maxBytes);
            body.fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                if (!v.isNull()) {
                    out.put(e.getKey(), v.isTextual() ? v.asText() : v.toString());
                }
            });
            return out;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw new CofferException(new Failure.TooLarge("too_large", "the request body is too large"));
        }
        byte[] bytes;
        try {
            bytes = ctx.req().getInputStream().readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        } catch (java.io.IOException e) {
            throw CofferException.invalid("body_invalid", "the request body could not be read");
        }
        if (bytes.length > maxBytes) {
            throw new CofferException(new Failure.TooLarge("too_large", "the request body is too large"));
        }
        String[] pairs = new String(bytes, StandardCharsets.UTF_8).split("&");
        if (pairs.length > Json.MAX_ENTRIES) {
            throw CofferException.invalid("body_invalid", "the form has more than " + Json.MAX_ENTRIES + " fields");
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw CofferException.invalid("body_invalid", "the form body is not valid URL encoding");
            }
            if (out.putIfAbsent(k, v) != null) {
                throw repeated(k);
            }
        }
        // Artifactory also takes them as query parameters
        ctx.queryParamMap().forEach((k, v) -> {
            if (v.size() > 1 || out.putIfAbsent(k, v.get(0)) != null) {
                throw repeated(k);
            }
        });
        return out;
    }

    /** "true" or "false" (any case; absent is false): anything else is a 400, not a silent false. */
    static boolean bool(Map<String, String> fields, String field) {
        String v = fields.getOrDefault(field, "false").trim();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw CofferException.invalid("body_invalid", field + " must be true or false");
        }
        return v.equalsIgnoreCase("true");
    }

    /** Refuses a query that gives a parameter twice ({@code ?username=a&username=b}): which one did a log show? */
    static void queryOnce(Context ctx) {
        ctx.queryParamMap().forEach((k, v) -> {
            if (v.size() > 1) {
                throw CofferException.invalid("parameter_invalid", "the query parameter '" + (k.length() > 64
                        ? k.substring(0, 64) + "…" : k) + "' is given more than once; give it once");
            }
        });
    }
}
