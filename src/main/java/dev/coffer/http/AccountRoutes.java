package dev.coffer.http;

import dev.coffer.admission.Requirement;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Authenticator;
import dev.coffer.credential.Caller;
import dev.coffer.identity.UserService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;

/** Self-service account changes: {@code PUT /api/me/password}. */
public final class AccountRoutes {
    private final Authenticator authenticator;
    private final UserService users;
    private final long maxJsonBytes;
    private final AuditTrail audit;

    public AccountRoutes(Authenticator authenticator, UserService users, long maxJsonBytes, AuditTrail audit) {
        this.authenticator = Objects.requireNonNull(authenticator);
        this.users = Objects.requireNonNull(users);
        this.maxJsonBytes = maxJsonBytes;
        this.audit = Objects.requireNonNull(audit);
    }

    public List<Route> routes() {
        return List.of(new Route(HandlerType.PUT, "/api/me/password", new Requirement.Authenticated(), this::password));
    }

    /**
     * Body {@code {"currentPassword", "newPassword"}} → 204. The current password is checked like a
     * login (a wrong one counts toward the lockout) and a wrong one is 403 {@code password_wrong}, so
     * that the caller's own credential is not mistaken for invalid. A narrowed token may not do this.
     * The change ends every session of the user, the caller's own included (keys and tokens stay).
     * It is audited as {@code user.password.change} on {@code users/<name>}, by its action alone:
     * neither password appears in the event. A refusal is audited by the guard.
     */
    private void password(Context ctx, Route.Request r) {
        Caller caller = r.caller();
        if (!caller.hasFullUserRights()) {
            throw new CofferException(
                    new Failure.Denied("forbidden", "a token with a narrowed scope cannot change the password"));
        }
        Body body = Bodies.PASSWORD_CHANGE.read(Json.body(ctx, maxJsonBytes));
        String current = body.text("currentPassword");
        String next = body.text("newPassword");
        if (current == null || next == null) {
            throw CofferException.invalid("body_invalid", "send {\"currentPassword\": ..., \"newPassword\": ...}");
        }
        // before the current password is checked: a refusal costs no hash and no lockout count
        users.checkPassword(caller.username(), next);
        AuthResult result = authenticator.login(caller.username(), current, ctx.ip());
        if (result instanceof AuthResult.Rejected rejected) {
            if (rejected.failure() instanceof Failure.Unauthenticated) {
                throw new CofferException(new Failure.Denied("password_wrong", "the current password is wrong"));
            }
            throw new CofferException(rejected.failure());
        }
        users.put(caller.username(), new UserService.UserChange(next, null, null, null, null));
        ctx.status(204);
        audit.success(ctx, caller, "user.password.change", null, "users/" + caller.username());
    }
}
