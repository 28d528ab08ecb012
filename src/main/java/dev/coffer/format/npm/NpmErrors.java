package dev.coffer.format.npm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.Failure;
import dev.coffer.common.Redaction;
import dev.coffer.http.Errors;
import dev.coffer.http.Json;
import io.javalin.http.Context;

/**
 * Errors on {@code /api/npm/...} in the shape the npm CLI prints: npm shows {@code body.error}
 * when it is a string (npm-registry-fetch/lib/errors.js), so the sentence goes there, with
 * Coffer's code and status beside it. Statuses and headers are those of {@link Errors}.
 */
public final class NpmErrors {
    public static final String PREFIX = "/api/npm/";

    private NpmErrors() {}

    public static boolean applies(Context ctx) {
        return ctx.path().startsWith(PREFIX);
    }

    public static void send(Context ctx, Failure f) {
        int status = Errors.status(f);
        Errors.headers(ctx, status, f);
        send(ctx, status, f.code(), f.message());
    }

    public static void send(Context ctx, int status, String code, String message) {
        ObjectNode o = Json.object();
        o.put("error", Redaction.secrets(message));
        o.put("code", code);
        o.put("status", status);
        Json.send(ctx, status, o);
    }
}
