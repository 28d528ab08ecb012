package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The fields of a request that Artifactory's token API sends either as a form
 * ({@code application/x-www-form-urlencoded}, also as query parameters) or as JSON, as one JSON
 * object (a form's values as strings) for a {@link BodyShape} to check. One meaning per request:
 * a field given twice is a 400, never "the first one wins".
 */
final class FormOrJson {
    private FormOrJson() {}

    private static CofferException repeated(String field) {
        return CofferException.invalid(
                "body_invalid",
                "the field '" + (field.length() > 64 ? field.substring(0, 64) + "…" : field)
                        + "' is given more than once; send each field once");
    }

    /**
     * Form or JSON fields, as Artifactory accepts both (a form's fields also as query parameters).
     * A field given twice (in the body, the query, or both) is refused rather than resolved.
     */
    static ObjectNode fields(Context ctx, long maxBytes) {
        String type = Objects.requireNonNullElse(ctx.contentType(), "");
        if (type.startsWith("application/json")) {
            return Json.body(ctx, maxBytes);
        }
        ObjectNode out = Json.object();
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
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.stripLeading().startsWith("{")) {
            // curl -d '{...}' sends JSON as a form: read as one, its scope would be lost (a token of all the rights)
            throw CofferException.invalid(
                    "body_invalid",
                    "the body looks like JSON but is sent as a form; send it " + "with Content-Type: application/json");
        }
        String[] pairs = text.split("&");
        if (pairs.length > Json.MAX_ENTRIES) {
            throw CofferException.invalid("body_invalid", "the form has more than " + Json.MAX_ENTRIES + " fields");
        }
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i];
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                // not repeated: a part without a name may be a pasted password
                throw CofferException.invalid(
                        "body_invalid",
                        "part " + (i + 1) + " of the form has no '='; send " + "name=value pairs separated by '&'");
            }
            String k;
            String v;
            try {
                k = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw CofferException.invalid("body_invalid", "the form body is not valid URL encoding");
            }
            if (out.has(k)) {
                throw repeated(k);
            }
            out.put(k, v);
        }
        // Artifactory also takes them as query parameters
        ctx.queryParamMap().forEach((k, v) -> {
            if (v.size() > 1 || out.has(k)) {
                throw repeated(k);
            }
            out.put(k, v.get(0));
        });
        return out;
    }

    /** Refuses a query that gives a parameter twice ({@code ?username=a&username=b}): which one did a log show? */
    static void queryOnce(Context ctx) {
        ctx.queryParamMap().forEach((k, v) -> {
            if (v.size() > 1) {
                throw CofferException.invalid(
                        "parameter_invalid",
                        "the query parameter '" + (k.length() > 64 ? k.substring(0, 64) + "…" : k)
                                + "' is given more than once; give it once");
            }
        });
    }
}
