package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.Caller;
import dev.coffer.identity.User;
import dev.coffer.token.CredentialService;
import dev.coffer.token.Issuer;
import dev.coffer.token.KeyRequest;
import dev.coffer.token.SecretKind;
import dev.coffer.token.StoredCredential;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** API.md §4: personal access keys. */
final class AccessKeyRoutes {
    private final CredentialWiring w;

    AccessKeyRoutes(CredentialWiring w) {
        this.w = Objects.requireNonNull(w);
    }

    List<Route> routes() {
        return List.of(
                new Route(HandlerType.POST, "/api/access-keys", new Requirement.Authenticated(), this::createKey),
                new Route(HandlerType.GET, "/api/access-keys", new Requirement.Authenticated(), this::listKeys),
                new Route(
                        HandlerType.DELETE, "/api/access-keys/{id}", new Requirement.Authenticated(), this::revokeKey));
    }

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
        Issuer.Account account = CredentialRoutes.account(r.caller());
        Body body = Bodies.KEY.read(Json.body(ctx, w.maxJsonBytes()));
        String description = body.text("description"); // checked by CredentialIssuer
        String expires = body.text("expiresAt");
        CredentialService.Issued issued = w.issuing()
                .key(new KeyRequest(
                        account,
                        description,
                        expires == null ? null : UserTimes.parse("expiresAt", expires, "body_invalid")));
        Long expiresAt = issued.stored().expiresAt();
        ObjectNode o = Json.object();
        o.put("id", issued.stored().id());
        o.put("key", issued.secret());
        o.put("description", issued.stored().description());
        o.put("createdAt", Json.time(issued.stored().createdAt()));
        o.put("expiresAt", expiresAt == null ? null : Json.time(expiresAt));
        w.sendNewKey(ctx, r.caller(), o, issued);
    }

    /** The user whose credentials a request is about: the caller, or for admins ?username=. */
    private long subjectOf(Context ctx, Caller caller) {
        FormOrJson.queryOnce(ctx);
        String username = ctx.queryParam("username");
        if (username == null || username.equals(caller.username())) {
            return caller.userId();
        }
        if (!caller.isAdmin()) {
            throw CredentialRoutes.forbidden("only administrators may manage other users' keys");
        }
        return w.users()
                .find(username)
                .map(User::id)
                .orElseThrow(() -> new CofferException(
                        new Failure.NotFound("user_not_found", "there is no user '" + username + "'")));
    }

    private void listKeys(Context ctx, Route.Request r) {
        CredentialRoutes.requireFullRights(r.caller());
        long userId = subjectOf(ctx, r.caller());
        ArrayNode out = Json.MAPPER.createArrayNode();
        w.credentials().list(SecretKind.ACCESS_KEY, userId).forEach(k -> out.add(keyJson(k)));
        Json.send(ctx, 200, out);
    }

    private void revokeKey(Context ctx, Route.Request r) {
        CredentialRoutes.requireFullRights(r.caller());
        String id = ctx.pathParam("id");
        Optional<StoredCredential> key = w.credentials()
                .find(SecretKind.ACCESS_KEY, id)
                .filter(k -> k.userId() == r.caller().userId() || r.caller().isAdmin());
        if (ctx.queryParam("username") != null) {
            long subject = subjectOf(ctx, r.caller());
            key = key.filter(k -> k.userId() == subject);
        }
        if (key.isEmpty()) {
            throw CofferException.notFound("there is no access key '" + id + "' of yours");
        }
        w.credentials().revoke(SecretKind.ACCESS_KEY, id);
        ctx.status(204);
        w.audit().success(ctx, r.caller(), "access-key.revoke", null, "access-keys/" + id);
    }

    // ---- scoped access tokens (Artifactory)
}
