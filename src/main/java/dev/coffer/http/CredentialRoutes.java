package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.AuthMethod;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Authenticator;
import dev.coffer.credential.Caller;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import dev.coffer.token.CredentialIssuer;
import dev.coffer.token.CredentialService;
import dev.coffer.token.Issuer;
import dev.coffer.token.IssuingRules;
import dev.coffer.token.KeyRequest;
import dev.coffer.token.Refresh;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import dev.coffer.token.StoredCredential;
import dev.coffer.token.TokenRequest;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** API.md §4 (session tokens, personal access keys) and §5 (Artifactory-compatible access tokens). */
public final class CredentialRoutes {
    private final Authenticator authenticator;
    private final CredentialService credentials;
    private final UserService users;
    private final CredentialIssuer issuing;
    private final long maxJsonBytes;
    private final AuditTrail audit;

    public CredentialRoutes(Authenticator authenticator, CredentialService credentials, UserService users,
            CredentialIssuer issuing, long maxJsonBytes, AuditTrail audit) {
        this.authenticator = Objects.requireNonNull(authenticator);
        this.credentials = Objects.requireNonNull(credentials);
        this.users = Objects.requireNonNull(users);
        this.issuing = Objects.requireNonNull(issuing);
        this.maxJsonBytes = maxJsonBytes;
        this.audit = Objects.requireNonNull(audit);
    }

    public List<Route> routes() {
        return List.of(
                new Route(HandlerType.POST, "/api/tokens",
                        new Requirement.Anyone("logging in with a password opens a session"), this::login),
                new Route(HandlerType.DELETE, "/api/tokens/{token}", new Requirement.Authenticated(), this::logout),
                new Route(HandlerType.POST, "/api/access-keys", new Requirement.Authenticated(), this::createKey),
                new Route(HandlerType.GET, "/api/access-keys", new Requirement.Authenticated(), this::listKeys),
                new Route(HandlerType.DELETE, "/api/access-keys/{id}", new Requirement.Authenticated(), this::revokeKey),
                new Route(HandlerType.POST, "/access/api/v1/tokens",
                        new Requirement.Anyone("the refresh grant's refresh token is its own credential; "
                                + "issuing needs an authenticated caller"), this::createToken),
                new Route(HandlerType.GET, "/access/api/v1/tokens", new Requirement.Authenticated(), this::listTokens),
                new Route(HandlerType.DELETE, "/access/api/v1/tokens/{id}", new Requirement.Authenticated(),
                        this::revokeToken));
    }

    private static CofferException forbidden(String message) {
        return new CofferException(new Failure.Denied("forbidden", message));
    }

    private static CofferException invalidCredentials(String message) {
        return new CofferException(new Failure.Unauthenticated("credentials_invalid", message));
    }

    /**
     * Keys and tokens give all of the owner's rights: a narrowed token may not list or revoke its
     * owner's other credentials (nor mint them: the issuing rules refuse that).
     */
    private static void requireFullRights(Caller caller) {
        Guard.requireUser(caller);
        if (!caller.hasFullUserRights()) {
            throw forbidden("a token with a narrowed scope cannot create keys or tokens");
        }
    }

    /** The caller as the issuing rules see them: who they are and what their credential carries. */
    private static Issuer.Account account(Caller caller) {
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
        audit.as(ctx, caller.username(), caller.authenticatedBy(), null, "login", "sessions/" + issued.stored().id(),
                dev.coffer.audit.AuditEvent.SUCCESS, 200);
    }

    private void logout(Context ctx, Route.Request r) {
        String token = ctx.pathParam("token");
        Optional<StoredCredential> session = Secrets.verifyFormat(token).filter(k -> k == SecretKind.SESSION_TOKEN)
                .flatMap(k -> credentials.resolve(k, token))
                .filter(s -> s.userId() == r.caller().userId() || r.caller().isAdmin());
        if (session.isEmpty()) {
            throw CofferException.notFound("there is no such session token of yours");
        }
        credentials.revoke(SecretKind.SESSION_TOKEN, session.get().id());
        ctx.header("Deprecation", "true");
        ctx.status(204);
        audit.success(ctx, r.caller(), "session.revoke", null, "sessions/" + session.get().id());
    }

    // ---- personal access keys (Tuleap)

    private static ObjectNode keyJson(StoredCredential k) {
        ObjectNode o = Json.object();
        o.put("id", k.id());
        o.put("description", k.description());
        o.put("createdAt", Json.time(k.createdAt()));
        o.put("expiresAt", k.expiresAt() == null ? null : Json.time(k.expiresAt()));
        o.put("lastUsedAt", k.lastUsedAt() == null ? null : Json.time(k.lastUsedAt()));
        o.put("lastUsedIp", k.lastUsedIp());
        return o;
    }

    private void createKey(Context ctx, Route.Request r) {
        Issuer.Account account = account(r.caller());
        Body body = Bodies.KEY.read(Json.body(ctx, maxJsonBytes));
        String description = body.text("description"); // checked by CredentialIssuer
        String expires = body.text("expiresAt");
        CredentialService.Issued issued = issuing.key(new KeyRequest(account, description,
                expires == null ? null : UserTimes.parse("expiresAt", expires, "body_invalid")));
        Long expiresAt = issued.stored().expiresAt();
        ObjectNode o = Json.object();
        o.put("id", issued.stored().id());
        o.put("key", issued.secret());
        o.put("description", issued.stored().description());
        o.put("createdAt", Json.time(issued.stored().createdAt()));
        o.put("expiresAt", expiresAt == null ? null : Json.time(expiresAt));
        ctx.header("Cache-Control", "no-store");
        Json.send(ctx, 201, o);
        audit.success(ctx, r.caller(), "access-key.create", null, "access-keys/" + issued.stored().id());
    }

    /** The user whose credentials a request is about: the caller, or for admins ?username=. */
    private long subjectOf(Context ctx, Caller caller) {
        FormOrJson.queryOnce(ctx);
        String username = ctx.queryParam("username");
        if (username == null || username.equals(caller.username())) {
            return caller.userId();
        }
        if (!caller.isAdmin()) {
            throw forbidden("only administrators may manage other users' keys");
        }
        return users.find(username).map(User::id).orElseThrow(() -> new CofferException(
                new Failure.NotFound("user_not_found", "there is no user '" + username + "'")));
    }

    private void listKeys(Context ctx, Route.Request r) {
        requireFullRights(r.caller());
        long userId = subjectOf(ctx, r.caller());
        ArrayNode out = Json.MAPPER.createArrayNode();
        credentials.list(SecretKind.ACCESS_KEY, userId).forEach(k -> out.add(keyJson(k)));
        Json.send(ctx, 200, out);
    }

    private void revokeKey(Context ctx, Route.Request r) {
        requireFullRights(r.caller());
        String id = ctx.pathParam("id");
        Optional<StoredCredential> key = credentials.find(SecretKind.ACCESS_KEY, id)
                .filter(k -> k.userId() == r.caller().userId() || r.caller().isAdmin());
        if (ctx.queryParam("username") != null) {
            long subject = subjectOf(ctx, r.caller());
            key = key.filter(k -> k.userId() == subject);
        }
        if (key.isEmpty()) {
            throw CofferException.notFound("there is no access key '" + id + "' of yours");
        }
        credentials.revoke(SecretKind.ACCESS_KEY, id);
        ctx.status(204);
        audit.success(ctx, r.caller(), "access-key.revoke", null, "access-keys/" + id);
    }

    // ---- scoped access tokens (Artifactory)

    private static ObjectNode issuedJson(CredentialService.Issued issued) {
        StoredCredential t = issued.stored();
        ObjectNode o = Json.object();
        o.put("token_id", t.id());
        o.put("access_token", issued.secret());
        o.put("expires_in", t.expiresAt() == null ? 0 : Math.round((t.expiresAt() - t.createdAt()) / 1000.0));
        o.put("scope", t.scope());
        o.put("token_type", "Bearer");
        if (issued.refreshSecret() != null) {
            o.put("refresh_token", issued.refreshSecret());
        }
        return o;
    }

    private void createToken(Context ctx, Route.Request r) {
        ObjectNode fields = FormOrJson.fields(ctx, maxJsonBytes);
        ctx.header("Cache-Control", "no-store");
        if ("refresh_token".equals(fields.path("grant_type").textValue())) {
            refresh(ctx, Bodies.REFRESH.read(fields).text("refresh_token"));
            return;
        }
        Body p = Bodies.ISSUE.read(fields);
        if (p.has("grant_type") && !"client_credentials".equals(p.text("grant_type"))) {
            throw CofferException.invalid("grant_type_invalid", "grant_type must be client_credentials or refresh_token");
        }
        Caller caller = r.caller();
        Issuer.Account account = account(caller);
        Long expiresIn = null;
        if (p.has("expires_in")) {
            try {
                expiresIn = Long.parseLong(p.text("expires_in").trim());
            } catch (NumberFormatException e) {
                throw CofferException.invalid("expires_in_invalid", "expires_in must be a whole number of seconds "
                        + "from 0 (never) to " + IssuingRules.MAX_LIFETIME.toSeconds());
            }
        }
        boolean refreshable = Boolean.TRUE.equals(p.bool("refreshable"));
        String description = Objects.requireNonNullElse(p.text("description"), ""); // checked by CredentialIssuer
        CredentialService.Issued issued = issuing.token(new TokenRequest(account, p.text("username"), p.text("scope"),
                expiresIn, refreshable, description));
        Json.send(ctx, 200, issuedJson(issued));
        audit.success(ctx, caller, "access-token.create", null, "access-tokens/" + issued.stored().id());
    }

    private void refresh(Context ctx, String refreshToken) {
        Refresh result = issuing.refresh(refreshToken);
        if (result instanceof Refresh.Refused refused) {
            throw refreshFailed(ctx, refused.owner(), refused.reason());
        }
        Refresh.Renewed renewed = (Refresh.Renewed) result;
        CredentialService.Issued issued = renewed.issued();
        Json.send(ctx, 200, issuedJson(issued));
        audit.as(ctx, renewed.owner().username(), AuthMethod.REFRESH_TOKEN, null, "access-token.refresh",
                "access-tokens/" + issued.stored().id(), dev.coffer.audit.AuditEvent.SUCCESS, 200);
    }

    private CofferException refreshFailed(Context ctx, String username, String message) {
        audit.as(ctx, username, AuthMethod.REFRESH_TOKEN, null, "access-token.refresh", null,
                dev.coffer.audit.AuditEvent.FAILED, 401);
        return invalidCredentials(message);
    }

    private ObjectNode tokenJson(StoredCredential t) {
        ObjectNode o = Json.object();
        o.put("token_id", t.id());
        o.put("subject", users.findById(t.userId()).map(User::username).orElse(null));
        // Artifactory reports these as epoch seconds
        o.put("issued_at", t.createdAt() / 1000);
        if (t.expiresAt() == null) {
            o.putNull("expiry");
        } else {
            o.put("expiry", t.expiresAt() / 1000);
        }
        o.put("refreshable", t.refreshHash() != null);
        o.put("description", t.description());
        if (t.lastUsedAt() == null) {
            o.putNull("last_used");
        } else {
            o.put("last_used", t.lastUsedAt() / 1000);
        }
        o.put("scope", t.scope());
        return o;
    }

    private void listTokens(Context ctx, Route.Request r) {
        Caller caller = r.caller();
        requireFullRights(caller);
        ObjectNode out = Json.object();
        ArrayNode tokens = out.putArray("tokens");
        credentials.list(SecretKind.ACCESS_TOKEN, caller.isAdmin() ? null : caller.userId())
                .forEach(t -> tokens.add(tokenJson(t)));
        Json.send(ctx, 200, out);
    }

    private void revokeToken(Context ctx, Route.Request r) {
        Caller caller = r.caller();
        String id = ctx.pathParam("id");
        if (id.equals("me")) {
            if (caller.authenticatedBy() != AuthMethod.ACCESS_TOKEN) {
                throw CofferException.invalid("not_a_token", "'me' revokes the access token this request is made with");
            }
            id = caller.credentialId();
        } else {
            requireFullRights(caller); // a narrowed CI token may end itself, not its owner's others
        }
        String tokenId = id;
        Optional<StoredCredential> t = credentials.find(SecretKind.ACCESS_TOKEN, tokenId)
                .filter(x -> x.userId() == caller.userId() || caller.isAdmin());
        if (t.isEmpty()) {
            throw CofferException.notFound("there is no access token '" + tokenId + "' of yours");
        }
        credentials.revoke(SecretKind.ACCESS_TOKEN, tokenId);
        ObjectNode o = Json.object();
        o.put("token_id", tokenId);
        o.put("revoked", true);
        Json.send(ctx, 200, o);
        audit.success(ctx, caller, "access-token.revoke", null, "access-tokens/" + tokenId);
    }
}
