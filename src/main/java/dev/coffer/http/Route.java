package dev.coffer.http;

import dev.coffer.credential.Caller;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Objects;

/** One entry of the route table: method, Javalin path, what it needs, and the handler. */
public record Route(HandlerType method, String path, Requirement requirement, Handler handler) {
    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(handler, "handler");
    }

    /** A handler that is given the authenticated caller (and, for repository routes, the target). */
    @FunctionalInterface
    public interface Handler {
        void handle(Context ctx, Request request) throws Exception;
    }

    /**
     * What the guard established before the handler runs. {@code targetAllowed}: for repository
     * routes, whether the route's action is allowed on the exact target path (a read may also be let
     * through because something below the path is readable), so handlers need not decide again.
     */
    public record Request(Caller caller, RepoTarget target, boolean targetAllowed) {}
}
