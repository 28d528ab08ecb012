package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.Failure;
import dev.coffer.common.Redaction;
import dev.coffer.format.npm.NpmErrors;
import io.javalin.http.Context;

/** The one JSON error shape of API.md, and the status each kind of failure maps to. */
public final class Errors {
    public static final String CHALLENGE = "Basic realm=\"coffer\"";

    private Errors() {}

    public static int status(Failure f) {
        if (f instanceof Failure.NotFound) {
            return 404;
        } else if (f instanceof Failure.Conflict) {
            return 409;
        } else if (f instanceof Failure.Denied) {
            return 403;
        } else if (f instanceof Failure.Invalid) {
            return 400;
        } else if (f instanceof Failure.Unavailable || f instanceof Failure.Busy) {
            return 503;
        } else if (f instanceof Failure.InsufficientStorage) {
            return 507;
        } else if (f instanceof Failure.TooLarge) {
            return 413;
        } else if (f instanceof Failure.Unauthenticated) {
            return 401;
        } else if (f instanceof Failure.RateLimited) {
            return 429;
        } else if (f instanceof Failure.BadGateway) {
            return 502;
        } else if (f instanceof Failure.MethodNotAllowed) {
            return 405;
        }
        return 500;
    }

    /**
     * Every error message passes {@link Redaction} here: messages quote what a client sent (a path,
     * a user name, a scope), and a client may have sent a secret there (rule 5 of API.md §4).
     */
    public static ObjectNode body(int status, String code, String message) {
        ObjectNode root = Json.object();
        ObjectNode err = root.putObject("error");
        err.put("status", status);
        err.put("code", code);
        err.put("message", Redaction.secrets(message));
        return root;
    }

    public static void send(Context ctx, Failure f) {
        int status = status(f);
        headers(ctx, status, f);
        send(ctx, status, f.code(), f.message());
    }

    /** The headers that go with a failure's status, whatever shape its body has. */
    public static void headers(Context ctx, int status, Failure f) {
        if (status == 401 && !npmClient(ctx)) {
            // Maven only retries with credentials after this challenge
            ctx.header("WWW-Authenticate", CHALLENGE);
        }
        if (f instanceof Failure.RateLimited r) {
            ctx.header("Retry-After", String.valueOf(r.retryAfterSeconds()));
        } else if (f instanceof Failure.Busy b) {
            ctx.header("Retry-After", String.valueOf(b.retryAfterSeconds()));
        } else if (f instanceof Failure.MethodNotAllowed m && !m.allow().isEmpty()) {
            ctx.header("Allow", String.join(", ", m.allow()));
        }
    }

    /**
     * The npm CLI on the npm routes: it never needs a challenge (it sends its token up front), and
     * on a 401 with one it drops the body and prints its own "Incorrect or missing password" text
     * (npm-registry-fetch check-response.js); without it, npm prints Coffer's sentence. Every other
     * client of these routes (curl, a browser) still gets the challenge of API.md §4.
     */
    private static boolean npmClient(Context ctx) {
        String agent = ctx.header("User-Agent");
        return agent != null && agent.startsWith("npm/") && NpmErrors.applies(ctx.path());
    }

    public static void send(Context ctx, int status, String code, String message) {
        // the npm CLI prints only a string 'error' field (ISSUE 19): same status and code, flat shape
        Json.send(
                ctx,
                status,
                NpmErrors.applies(ctx.path()) ? NpmErrors.body(status, code, message) : body(status, code, message));
    }
}
