package dev.coffer.http;

import dev.coffer.admission.Admission;
import dev.coffer.admission.Refusals;
import dev.coffer.admission.RepoTarget;
import dev.coffer.admission.Result;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.AuthMethod;
import dev.coffer.credential.Caller;
import io.javalin.http.Context;
import java.util.Objects;

/**
 * Runs before every route's handler: {@link Admission} decides on the request and the route's
 * requirement, and the handler runs only for an admitted caller. Refusals and denials are
 * audited here, whether admission or the handler refused.
 */
public final class Guard {
    public static final String REPOSITORY_PREFIX = "/repository/";
    public static final String STORAGE_PREFIX = "/api/storage/";

    private final Admission admission;
    private final AuditTrail audit;

    public Guard(Admission admission, AuditTrail audit) {
        this.admission = Objects.requireNonNull(admission);
        this.audit = Objects.requireNonNull(audit);
    }

    /**
     * Authentication failures and denials (403, and 401 for a caller without credentials) are
     * audited here; handlers that check credentials themselves (the password login, the refresh
     * grant) audit their own outcome.
     */
    public io.javalin.http.Handler wrap(Route route) {
        String routeName = route.method() + " " + route.path();
        return ctx -> {
            Exchange exchange = Exchange.of(ctx);
            exchange.matched(route.path(), ctx.pathParamMap());
            Result result = admission.admit(exchange, route.requirement());
            if (result instanceof Result.Admitted admitted) {
                run(ctx, route, routeName, admitted);
            } else if (result instanceof Result.Rejected r) {
                audit.rejected(
                        ctx,
                        r.rejection().attemptedKind() == AuthMethod.PASSWORD ? "login" : "authenticate",
                        r.rejection());
                throw new CofferException(r.failure());
            } else if (result instanceof Result.Denied d) {
                denied(ctx, d.caller(), routeName, d.target().orElse(null), d.failure());
                throw new CofferException(d.failure());
            } else {
                throw new CofferException(((Result.Refused) result).failure());
            }
        };
    }

    private void run(Context ctx, Route route, String routeName, Result.Admitted admitted) throws Exception {
        try {
            route.handler().handle(ctx, new Route.Request(admitted));
        } catch (CofferException e) {
            if (Refusals.isDenial(e.failure())) {
                denied(ctx, admitted.caller(), routeName, admitted.target().orElse(null), e.failure());
            }
            throw e;
        }
    }

    private void denied(Context ctx, Caller caller, String routeName, RepoTarget target, Failure failure) {
        String repo = target != null ? target.repo() : ctx.pathParamMap().get("repo");
        audit.denied(
                ctx,
                caller,
                routeName,
                repo,
                target == null ? null : target.path().toString(),
                failure);
    }

    /** For a handler's own second decision: 401 for a caller without credentials, 403 otherwise. */
    public static CofferException denied(Caller caller, String reason) {
        return new CofferException(Refusals.denied(caller, reason));
    }

    public static void requireUser(Caller caller) {
        if (caller.isAnonymous()) {
            throw new CofferException(Refusals.needsCredentials());
        }
    }

    public static void requireAdmin(Caller caller) {
        requireUser(caller);
        if (!caller.isAdmin()) {
            throw new CofferException(Refusals.needsAdmin());
        }
    }
}
