package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Authenticator;
import dev.coffer.credential.Caller;
import dev.coffer.identity.UserService;
import dev.coffer.token.CredentialIssuer;
import dev.coffer.token.CredentialService;
import dev.coffer.token.Issuer;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import dev.coffer.token.StoredCredential;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * API.md §4 and §5: session tokens here, and the rules the credential routes share; personal access
 * keys in {@link AccessKeyRoutes}, Artifactory-compatible tokens in {@link AccessTokenRoutes}.
 */
public final class CredentialRoutes {
    private final Authenticator authenticator;
    private final CredentialService credentials;
    private final UserService users;
    private final CredentialIssuer issuing;
    private final long maxJsonBytes;
    private final AuditTrail audit;

    public CredentialRoutes(
            Authenticator authenticator,
            CredentialService credentials,
            UserService users,
            CredentialIssuer issuing,
            long maxJsonBytes,
            AuditTrail audit) {
        this.authenticator = Objects.requireNonNull(authenticator);
        this.credentials = Objects.requireNonNull(credentials);
        this.users = Objects.requireNonNull(users);
        this.issuing = Objects.requireNonNull(issuing);
        this.maxJsonBytes = maxJsonBytes;
        this.audit = Objects.requireNonNull(audit);
    }

    /** Sessions here; keys and tokens in their own route classes. */
    public List<Route> routes() {
        List<Route> sessions = List.of(
                new Route(
                        HandlerType.POST,
                        "/api/tokens",
                        new Requirement.Anyone("logging in with a password opens a session"),
                        this::login),
                new Route(HandlerType.DELETE, "/api/tokens/{token}", new Requirement.Authenticated(), this::logout));
        List<Route> all = new java.util.ArrayList<>(sessions);
        CredentialWiring wiring = new CredentialWiring(credentials, users, issuing, maxJsonBytes, audit);
        all.addAll(new AccessKeyRoutes(wiring).routes());
        all.addAll(new AccessTokenRoutes(wiring).routes());
        return all;
    }

    static CofferException forbidden(String message) {
        return new CofferException(new Failure.Denied("forbidden", message));
    }

    static CofferException invalidCredentials(String message) {
        return new CofferException(new Failure.Unauthenticated("credentials_invalid", message));
    }

    /**
     * Keys and tokens give all of the owner's rights: a narrowed token may not list or revoke its
     * owner's other credentials (nor mint them: the issuing rules refuse that).
     */
    static void requireFullRights(Caller caller) {
        Guard.requireUser(caller);
        if (!caller.hasFullUserRights()) {
            throw forbidden("a token with a narrowed scope cannot create keys or tokens");
        }
    }

    /** The caller as the issuing rules see them: who they are and what their credential carries. */
    static Issuer.Account account(Caller caller) {
        Guard.requireUser(caller);
        return new Issuer.Account(caller.userId(), caller.username(), caller.isAdmin(), caller.hasFullUserRights());
    }

    // ---- session tokens (Tuleap)

    private void login(Context ctx, Route.Request r) {
        Body body = Bodies.LOGIN.read(Json.body(ctx, maxJsonBytes));
        String username = body.text("username");
        String password = body.text("password");
        if (username == null || password == null) {
            throw CofferException.invalid("body_invalid", "send {\"username\": ..., \"password\": ...}");
        }
        AuthResult result = authenticator.login(username, password, ctx.ip());
        RequestRecorder.passwordLogin(ctx, result);
        if (result instanceof AuthResult.Rejected rejected) {
            audit.rejected(ctx, "login", rejected);
            throw new CofferException(rejected.failure());
        }
        Caller caller = ((AuthResult.Accepted) result).caller();
        CredentialService.Issued issued = credentials.createSession(caller.userId());
        ObjectNode o = Json.object();
        o.put("user_id", caller.userId());
        o.put("token", issued.secret());
        o.put("uri", "/api/tokens/" + issued.secret());
        o.put("expiresAt", Json.time(issued.stored().expiresAt()));
        ctx.header("Deprecation", "true");
        ctx.header("Cache-Control", "no-store");
        Json.send(ctx, 200, o);
        // the session's creation is the login's success (Basic logins on every request are not recorded)
        audit.as(
                ctx,
                caller.username(),
                caller.authenticatedBy(),
                null,
                "login",
                "sessions/" + issued.stored().id(),
                dev.coffer.audit.AuditEvent.SUCCESS,
                200);
    }

    private void logout(Context ctx, Route.Request r) {
        String token = ctx.pathParam("token");
        Optional<StoredCredential> session = Secrets.verifyFormat(token)
                .filter(k -> k == SecretKind.SESSION_TOKEN)
                .flatMap(k -> credentials.resolve(k, token))
                .filter(s -> s.userId() == r.caller().userId() || r.caller().isAdmin());
        if (session.isEmpty()) {
            throw CofferException.notFound("there is no such session token of yours");
        }
        credentials.revoke(SecretKind.SESSION_TOKEN, session.get().id());
        ctx.header("Deprecation", "true");
        ctx.status(204);
        audit.success(
                ctx,
                r.caller(),
                "session.revoke",
                null,
                "sessions/" + session.get().id());
    }

    // ---- personal access keys (Tuleap)
}
