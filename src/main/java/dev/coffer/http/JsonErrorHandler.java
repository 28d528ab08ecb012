package dev.coffer.http;

import dev.coffer.common.Redaction;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/** Errors Jetty answers itself (malformed requests) in the same JSON shape. */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() <= 0 ? 500 : response.getStatus();
        Object msg = request.getAttribute(ERROR_MESSAGE);
        String code = "http_" + status;
        String message = msg == null ? "the request could not be handled" : Redaction.secrets(msg.toString());
        if (status == 400 && badTarget(request.getAttribute(ERROR_EXCEPTION))) {
            // Jetty refuses some paths itself (%00, malformed escapes) before our parser sees them
            code = "path_invalid";
            message = "the request path is not valid: malformed percent-encoding or an illegal character";
        }
        JsonLine error = new JsonLine();
        error.number("status", status);
        error.string("code", code);
        error.string("message", message);
        JsonLine body = new JsonLine();
        body.raw("error", error.end());
        response.getHeaders().put("Content-Type", "application/json; charset=utf-8");
        Content.Sink.write(response, true, body.end(), callback);
        return true;
    }

    /** Did Jetty fail while parsing the request target (HttpURI), rather than elsewhere in the request? */
    private static boolean badTarget(Object error) {
        for (Throwable t = error instanceof Throwable e ? e : null; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith("org.eclipse.jetty.http.HttpURI")) {
                    return true;
                }
            }
        }
        return false;
    }
}
