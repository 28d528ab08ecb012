package dev.coffer.http;

import dev.coffer.admission.RepoTarget;
import dev.coffer.admission.Requirement;
import dev.coffer.admission.Result;
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

    /** A handler that is given what admission established. */
    @FunctionalInterface
    public interface Handler {
        void handle(Context ctx, Request request) throws Exception;
    }

    /**
     * What admission established before the handler runs, as handlers read it: the caller and, for
     * repository routes, the target and whether the route's action is allowed on the exact target
     * path (a read may also be let through because something below the path is readable), so
     * handlers need not decide again.
     */
    public record Request(Result.Admitted admitted) {
        public Request {
            Objects.requireNonNull(admitted, "admitted");
        }

        public Caller caller() {
            return admitted.caller();
        }

        /** The repository and path of a repository route; null on other routes. */
        public RepoTarget target() {
            return admitted.target().orElse(null);
        }

        public boolean targetAllowed() {
            return admitted.targetAllowed();
        }
    }
}
