package dev.coffer.format.npm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.Redaction;

/**
 * Error bodies on the npm registry routes ({@code /api/npm/...}). The npm CLI prints {@code
 * body.error} when it is a string (npm-registry-fetch/lib/errors.js) and a generic line otherwise,
 * so these routes answer {@code {"error":"<sentence>","code":"…","status":n}} instead of Coffer's
 * nested error object: same statuses and codes, a sentence npm shows.
 */
public final class NpmErrors {
    /** Every path served by the npm registry routes starts with this. */
    public static final String PREFIX = "/api/npm/";

    private NpmErrors() {}

    /** Whether a request path (as routed, decoded or not) is on the npm registry routes. */
    public static boolean applies(String path) {
        return path != null && path.startsWith(PREFIX);
    }

    /** The body; the message passes {@link Redaction} as every Coffer error message does. */
    public static ObjectNode body(int status, String code, String message) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("error", Redaction.secrets(message));
        root.put("code", code);
        root.put("status", status);
        return root;
    }
}
