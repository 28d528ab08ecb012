package dev.coffer.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.CofferException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** JSON in and out. Request bodies are size-limited before they are parsed. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

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
            return obj;
        } catch (JsonProcessingException e) {
            // never quote the parser's message: it echoes the offending token, which may be a password
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw CofferException.invalid("body_invalid", "the request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw CofferException.invalid("body_invalid", "the request body could not be read");
        }
    }

    private static CofferException tooLarge(long limit) {
        return new CofferException(new dev.coffer.common.Failure.TooLarge("too_large",
                "the request body is larger than " + limit + " bytes"));
    }
}
