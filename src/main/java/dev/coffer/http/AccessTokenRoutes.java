package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.common.CofferException;
import dev.coffer.credential.AuthMethod;
import dev.coffer.credential.Caller;
import dev.coffer.identity.User;
import dev.coffer.token.CredentialService;
import dev.coffer.token.Issuer;
import dev.coffer.token.IssuingRules;
import dev.coffer.token.Refresh;
import dev.coffer.token.SecretKind;
import dev.coffer.token.StoredCredential;
import dev.coffer.token.TokenRequest;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** API.md §5: Artifactory-compatible scoped access tokens, and their refresh grant. */
final class AccessTokenRoutes {
    private final CredentialWiring w;

    AccessTokenRoutes(CredentialWiring w) {
        this.w = Objects.requireNonNull(w);
    }

    List<Route> routes() {
        return List.of(
                new Route(
                        HandlerType.POST,
                        "/access/api/v1/tokens",
                        new Requirement.Anyone("the refresh grant's refresh token is its own credential; "
                                + "issuing needs an authenticated caller"),
                        this::createToken),
                new Route(HandlerType.GET, "/access/api/v1/tokens", new Requirement.Authenticated(), this::listTokens),
                new Route(
                        HandlerType.DELETE,
                        "/access/api/v1/tokens/{id}",
                        new Requirement.Authenticated(),
                        this::revokeToken));
    }

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
        ObjectNode fields = FormOrJson.fields(ctx, w.maxJsonBytes());
        ctx.header("Cache-Control", "no-store");
        if ("refresh_token".equals(fields.path("grant_type").textValue())) {
            refresh(ctx, Bodies.REFRESH.read(fields).text("refresh_token"));
            return;
        }
        Body p = Bodies.ISSUE.read(fields);
        if (p.has("grant_type") && !"client_credentials".equals(p.text("grant_type"))) {
            throw CofferException.invalid(
                    "grant_type_invalid", "grant_type must be client_credentials or refresh_token");
        }
        Caller caller = r.caller();
        Issuer.Account account = CredentialRoutes.account(caller);
        Long expiresIn = null;
        if (p.has("expires_in")) {
            try {
                expiresIn = Long.parseLong(p.text("expires_in").trim());
            } catch (NumberFormatException e) {
                throw CofferException.invalid(
                        "expires_in_invalid",
                        "expires_in must be a whole number of seconds " + "from 0 (never) to "
                                + IssuingRules.MAX_LIFETIME.toSeconds());
            }
        }
        boolean refreshable = Boolean.TRUE.equals(p.bool("refreshable"));
        String description = Objects.requireNonNullElse(p.text("description"), ""); // checked by CredentialIssuer
        CredentialService.Issued issued = w.issuing()
                .token(new TokenRequest(
                        account, p.text("username"), p.text("scope"), expiresIn, refreshable, description));
        Json.send(ctx, 200, issuedJson(issued));
        w.audit()
                .success(
                        ctx,
                        caller,
                        "access-token.create",
                        null,
                        "access-tokens/" + issued.stored().id());
    }

    private void refresh(Context ctx, String refreshToken) {
        Refresh result = w.issuing().refresh(refreshToken);
        if (result instanceof Refresh.Refused refused) {
            throw refreshFailed(ctx, refused.owner(), refused.reason());
        }
        Refresh.Renewed renewed = (Refresh.Renewed) result;
        CredentialService.Issued issued = renewed.issued();
        Json.send(ctx, 200, issuedJson(issued));
        w.audit()
                .as(
                        ctx,
                        renewed.owner().username(),
                        AuthMethod.REFRESH_TOKEN,
                        null,
                        "access-token.refresh",
                        "access-tokens/" + issued.stored().id(),
                        dev.coffer.audit.AuditEvent.SUCCESS,
                        200);
    }

    private CofferException refreshFailed(Context ctx, String username, String message) {
        w.audit()
                .as(
                        ctx,
                        username,
                        AuthMethod.REFRESH_TOKEN,
                        null,
                        "access-token.refresh",
                        null,
                        dev.coffer.audit.AuditEvent.FAILED,
                        401);
        return CredentialRoutes.invalidCredentials(message);
    }

    private ObjectNode tokenJson(StoredCredential t) {
        ObjectNode o = Json.object();
        o.put("token_id", t.id());
        o.put("subject", w.users().findById(t.userId()).map(User::username).orElse(null));
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
        CredentialRoutes.requireFullRights(caller);
        ObjectNode out = Json.object();
        ArrayNode tokens = out.putArray("tokens");
        w.credentials()
                .list(SecretKind.ACCESS_TOKEN, caller.isAdmin() ? null : caller.userId())
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
            CredentialRoutes.requireFullRights(caller); // a narrowed CI token may end itself, not its owner's others
        }
        String tokenId = id;
        Optional<StoredCredential> t = w.credentials()
                .find(SecretKind.ACCESS_TOKEN, tokenId)
                .filter(x -> x.userId() == caller.userId() || caller.isAdmin());
        if (t.isEmpty()) {
            throw CofferException.notFound("there is no access token '" + tokenId + "' of yours");
        }
        w.credentials().revoke(SecretKind.ACCESS_TOKEN, tokenId);
        ObjectNode o = Json.object();
        o.put("token_id", tokenId);
        o.put("revoked", true);
        Json.send(ctx, 200, o);
        w.audit().success(ctx, caller, "access-token.revoke", null, "access-tokens/" + tokenId);
    }
}
