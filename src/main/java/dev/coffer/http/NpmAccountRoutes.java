package dev.coffer.http;

import static dev.coffer.http.BodyShape.Type.ANY;
import static dev.coffer.http.BodyShape.Type.TEXT;

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
import dev.coffer.token.KeyRequest;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import dev.coffer.token.StoredCredential;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * API.md §10, npm's account routes under {@code /api/npm/{repo}/-/…}, mapped onto personal access
 * keys: {@code npm login}/{@code adduser}, {@code whoami}, {@code logout}; {@code npm token} in
 * {@link NpmTokenRoutes}. They never look at {@code {repo}}, so they cannot probe repository
 * names. Errors get npm's shape from the server's exception handler ({@code NpmErrors}).
 */
public final class NpmAccountRoutes {
    static final String BASE = "/api/npm/{repo}/-";
    static final String KEY_DESCRIPTION = "npm login";

    /**
     * npm's couchdb login and adduser bodies (npm-profile's loginCouch/adduserCouch); the fields
     * that mean nothing here are ignored, anything else is refused as in Coffer's own shapes.
     */
    private static final BodyShape COUCH_USER = BodyShape.of("an npm login")
            .read("name", TEXT)
            .read("password", TEXT)
            .read("_id", TEXT)
            .read("email", TEXT)
            .ignored("type", TEXT)
            .ignored("roles", ANY)
            .ignored("date", TEXT)
            .build();

    private static final String NO_ADDUSER = "wrong user name or password, or the account is disabled "
            + "(Coffer accounts are created by an administrator, never by npm adduser)";

    private final Authenticator authenticator;
    private final CredentialWiring w;

    public NpmAccountRoutes(
            Authenticator authenticator,
            CredentialService credentials,
            UserService users,
            CredentialIssuer issuing,
            long maxJsonBytes,
            AuditTrail audit) {
        this.authenticator = Objects.requireNonNull(authenticator);
        this.w = new CredentialWiring(credentials, users, issuing, maxJsonBytes, audit);
    }

    public List<Route> routes() {
        List<Route> all = new ArrayList<>(List.of(
                new Route(
                        HandlerType.POST,
                        BASE + "/v1/login",
                        new Requirement.Anyone(
                                "answers that npm's web login is not offered, so npm asks for a password"),
                        this::webLogin),
                new Route(
                        HandlerType.PUT,
                        BASE + "/user/org.couchdb.user:{user}",
                        new Requirement.Anyone("npm login checks the password in the body"),
                        this::login),
                new Route(HandlerType.GET, BASE + "/whoami", new Requirement.Authenticated(), this::whoami),
                new Route(
                        HandlerType.GET,
                        BASE + "/ping",
                        new Requirement.Anyone(
                                "npm ping asks whether the registry answers, as npm's own does for anyone"),
                        (ctx, r) -> Json.send(ctx, 200, Json.object())),
                new Route(
                        HandlerType.DELETE,
                        BASE + "/user/token/{token}",
                        new Requirement.Authenticated(),
                        this::logout)));
        all.addAll(new NpmTokenRoutes(authenticator, w).routes());
        return all;
    }

    /**
     * npm 11 tries {@code POST /-/v1/login} first and falls back to asking for a user name and
     * password on any 4xx or a 500 (npm-profile's WebLoginNotSupported, code ENYI). 404 is the
     * honest HTTP answer (there is no such resource here) and what a registry without web login
     * answers; a 501 would end {@code npm login} with an error instead of falling back.
     */
    private void webLogin(Context ctx, Route.Request r) {
        throw new CofferException(new Failure.NotFound(
                "web_login_unsupported",
                "Coffer has no web login for npm; npm asks for your user name and password instead"));
    }

    /**
     * {@code PUT /-/user/org.couchdb.user:{user}}: the password is checked as a Basic login is
     * (the same throttle and lockout, on the bounded password workers), then a new access key is
     * the answer's {@code token}. An unknown user and a wrong password get one answer, 401 (npm
     * prints "Incorrect or missing password"): telling them apart would tell which names exist,
     * and a 400 would make npm print "There is no user with the username". So {@code npm adduser}
     * creates nobody, and logs an existing user in, as npm's registry does.
     */
    private void login(Context ctx, Route.Request r) {
        Body body = COUCH_USER.read(Json.body(ctx, w.maxJsonBytes()));
        String user = ctx.pathParam("user");
        String name = body.text("name");
        String password = body.text("password");
        if (name == null || password == null) {
            throw CofferException.invalid("body_invalid", "send {\"name\": ..., \"password\": ...}");
        }
        String id = "org.couchdb.user:" + name;
        if (!name.equals(user) || (body.text("_id") != null && !body.text("_id").equals(id))) {
            throw CofferException.invalid(
                    "name_mismatch", "the user name in the URL, 'name' and '_id' must name the same user");
        }
        AuthResult result = authenticator.login(name, password, ctx.ip());
        RequestRecorder.passwordLogin(ctx, result);
        if (result instanceof AuthResult.Rejected rejected) {
            w.audit().rejected(ctx, "login", rejected);
            Failure f = rejected.failure();
            throw new CofferException(
                    f instanceof Failure.Unauthenticated ? new Failure.Unauthenticated(f.code(), NO_ADDUSER) : f);
        }
        Caller caller = ((AuthResult.Accepted) result).caller();
        CredentialService.Issued issued =
                w.issuing().key(new KeyRequest(CredentialRoutes.account(caller), KEY_DESCRIPTION, null));
        ObjectNode o = Json.object();
        o.put("ok", true);
        o.put("id", id);
        o.put("rev", "1-" + issued.stored().id());
        o.put("token", issued.secret());
        w.sendNewKey(ctx, caller, o, issued);
    }

    private void whoami(Context ctx, Route.Request r) {
        ObjectNode o = Json.object();
        o.put("username", r.caller().username());
        Json.send(ctx, 200, o);
    }

    /**
     * {@code npm logout}: revokes the credential named in the path, which must be the caller's
     * own: the one the request is made with (any Coffer key or token can end itself, as
     * {@code DELETE /access/api/v1/tokens/me} does), or another of the caller's keys and tokens
     * when the request carries all of the caller's rights. Anything else is one 404, whether it
     * exists or not. Audited as the revoke of that kind of credential.
     */
    private void logout(Context ctx, Route.Request r) {
        Caller caller = r.caller();
        StoredCredential c = ownCredential(w.credentials(), caller, ctx.pathParam("token"))
                .orElseThrow(() -> CofferException.notFound("there is no such key or token of yours"));
        w.credentials().revoke(c.kind(), c.id());
        ObjectNode o = Json.object();
        o.put("ok", true);
        Json.send(ctx, 200, o);
        w.audit().success(ctx, caller, revokeAction(c.kind()), null, auditPath(c));
    }

    /** The caller's own live key, access token or session token given by its secret. */
    static Optional<StoredCredential> ownCredential(CredentialService credentials, Caller caller, String secret) {
        return Secrets.verifyFormat(secret)
                .filter(k -> k != SecretKind.REFRESH_TOKEN)
                .flatMap(k -> credentials.resolve(k, secret))
                .filter(c -> c.userId() == caller.userId())
                .filter(c -> c.id().equals(caller.credentialId()) || caller.hasFullUserRights());
    }

    static String revokeAction(SecretKind kind) {
        return switch (kind) {
            case ACCESS_KEY -> "access-key.revoke";
            case ACCESS_TOKEN -> "access-token.revoke";
            case SESSION_TOKEN -> "session.revoke";
            case REFRESH_TOKEN -> throw new IllegalArgumentException("a refresh token is revoked with its pair");
        };
    }

    static String auditPath(StoredCredential c) {
        return switch (c.kind()) {
            case ACCESS_KEY -> "access-keys/" + c.id();
            case ACCESS_TOKEN -> "access-tokens/" + c.id();
            default -> "sessions/" + c.id();
        };
    }
}
