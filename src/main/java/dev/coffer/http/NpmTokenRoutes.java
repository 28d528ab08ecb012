package dev.coffer.http;

import static dev.coffer.http.BodyShape.Type.BOOLEAN;
import static dev.coffer.http.BodyShape.Type.INTEGER;
import static dev.coffer.http.BodyShape.Type.TEXT;
import static dev.coffer.http.BodyShape.Type.TEXTS;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Authenticator;
import dev.coffer.credential.Caller;
import dev.coffer.token.CredentialService;
import dev.coffer.token.KeyRequest;
import dev.coffer.token.SecretKind;
import dev.coffer.token.StoredCredential;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code npm token list|create|revoke} on {@code /-/npm/v1/tokens}, backed by the caller's own
 * personal access keys (an administrator manages other users' keys with {@code /api/access-keys}).
 * npm's {@code key} is the access key's id; its {@code token} is the only part of the secret that
 * can be shown, the prefix every access key starts with (Coffer keeps no part of a secret).
 */
final class NpmTokenRoutes {
    private static final String TOKENS = NpmAccountRoutes.BASE + "/npm/v1/tokens";
    private static final String DEFAULT_DESCRIPTION = "npm token";
    private static final long DAY_MILLIS = 24L * 3600 * 1000;
    private static final String ALL_RIGHTS = "a Coffer access key carries all of its owner's rights";
    private static final String NARROWER =
            "; for a narrower credential create an access token with an artifact: scope (POST /access/api/v1/tokens)";

    /**
     * What npm 11's {@code npm token create} sends (lib/commands/token.js), and npm-profile's
     * createToken ({@code readonly}). What would make a key narrower than Coffer can make it is
     * refused unless it asks for nothing: ignoring it would grant more than was asked for.
     */
    private static final BodyShape CREATE = BodyShape.of("an npm token request")
            .read("password", TEXT)
            .read("name", TEXT)
            .read("description", TEXT)
            .read("expires", INTEGER)
            .neutralOnly("readonly", BOOLEAN, ALL_RIGHTS + " and cannot be read-only" + NARROWER, "false")
            .read("cidr_whitelist", TEXTS)
            .read("packages", TEXTS)
            .neutralOnly("packages_all", BOOLEAN, ALL_RIGHTS + NARROWER, "false", "true")
            .read("scopes", TEXTS)
            .read("orgs", TEXTS)
            .neutralOnly("packages_and_scopes_permission", TEXT, ALL_RIGHTS + NARROWER, "read-write")
            .neutralOnly("orgs_permission", TEXT, "Coffer has no npm organisations", "")
            // Coffer has no second factor to bypass
            .ignored("bypass_2fa", BOOLEAN)
            .build();

    private final Authenticator authenticator;
    private final CredentialWiring w;

    NpmTokenRoutes(Authenticator authenticator, CredentialWiring w) {
        this.authenticator = Objects.requireNonNull(authenticator);
        this.w = Objects.requireNonNull(w);
    }

    List<Route> routes() {
        return List.of(
                new Route(HandlerType.GET, TOKENS, new Requirement.Authenticated(), this::list),
                new Route(HandlerType.POST, TOKENS, new Requirement.Authenticated(), this::create),
                new Route(HandlerType.DELETE, TOKENS + "/token/{key}", new Requirement.Authenticated(), this::revoke));
    }

    private static ObjectNode tokenJson(StoredCredential k) {
        ObjectNode o = Json.object();
        o.put("key", k.id());
        o.put("token", SecretKind.ACCESS_KEY.prefix());
        o.put("name", k.description());
        o.put("created", Json.time(k.createdAt()));
        o.put("updated", Json.time(k.createdAt()));
        o.put("expires", k.expiresAt() == null ? null : Json.time(k.expiresAt()));
        o.put("readonly", false);
        o.putNull("cidr_whitelist");
        return o;
    }

    private void list(Context ctx, Route.Request r) {
        CredentialRoutes.requireFullRights(r.caller());
        ArrayNode objects = Json.MAPPER.createArrayNode();
        w.credentials().list(SecretKind.ACCESS_KEY, r.caller().userId()).forEach(k -> objects.add(tokenJson(k)));
        ObjectNode o = Json.object();
        o.set("objects", objects);
        o.put("total", objects.size());
        o.putObject("urls").putNull("next");
        ctx.header("Cache-Control", "no-store");
        Json.send(ctx, 200, o);
    }

    /**
     * The password is checked again, as a login (the same throttle and lockout); a wrong one is 401,
     * which npm prints as "Incorrect or missing password". The body is checked first, so a refused
     * request costs no hash and no lockout count.
     */
    private void create(Context ctx, Route.Request r) {
        Caller caller = r.caller();
        CredentialRoutes.requireFullRights(caller);
        Body body = CREATE.read(Json.body(ctx, w.maxJsonBytes()));
        // lists are refused here, not by the shape: only an empty one asks for nothing narrower
        refuseNonEmpty(
                body, "cidr_whitelist", ALL_RIGHTS + " from any address; Coffer cannot limit a key to addresses");
        refuseNonEmpty(body, "packages", ALL_RIGHTS + NARROWER);
        refuseNonEmpty(body, "scopes", ALL_RIGHTS + NARROWER);
        refuseNonEmpty(body, "orgs", "Coffer has no npm organisations");
        String password = body.text("password");
        if (password == null) {
            throw CofferException.invalid("body_invalid", "send your password as 'password'");
        }
        Long days = body.integer("expires");
        if (days != null && (days < 1 || days > 36_500)) {
            throw CofferException.invalid("body_invalid", "'expires' is a number of days from 1 to 36500");
        }
        String description = body.text("description") != null
                ? body.text("description")
                : body.text("name") != null ? body.text("name") : DEFAULT_DESCRIPTION;
        Long expiresAt = days == null ? null : System.currentTimeMillis() + days * DAY_MILLIS;
        AuthResult result = authenticator.login(caller.username(), password, ctx.ip());
        if (result instanceof AuthResult.Rejected rejected) {
            w.audit().rejected(ctx, "login", rejected);
            Failure f = rejected.failure();
            throw new CofferException(
                    f instanceof Failure.Unauthenticated
                            ? new Failure.Unauthenticated("password_wrong", "the password is wrong")
                            : f);
        }
        CredentialService.Issued issued =
                w.issuing().key(new KeyRequest(CredentialRoutes.account(caller), description, expiresAt));
        ObjectNode o = tokenJson(issued.stored());
        o.put("token", issued.secret());
        o.putArray("cidr_whitelist");
        w.sendNewKey(ctx, caller, o, issued);
    }

    private static void refuseNonEmpty(Body body, String field, String why) {
        List<String> values = body.strings(field);
        if (values != null && !values.isEmpty()) {
            throw CofferException.invalid("field_unsupported", "'" + field + "': " + why);
        }
    }

    /**
     * npm sends the key of the list, or the whole secret when it was given one (it then only
     * checks that it starts with a listed {@code token}). Either must be one of the caller's own
     * access keys; anything else is one 404, whether it exists or not.
     */
    private void revoke(Context ctx, Route.Request r) {
        Caller caller = r.caller();
        CredentialRoutes.requireFullRights(caller);
        String given = ctx.pathParam("key");
        Optional<StoredCredential> key = NpmAccountRoutes.ownCredential(w.credentials(), caller, given)
                .or(() -> w.credentials().find(SecretKind.ACCESS_KEY, given))
                .filter(k -> k.kind() == SecretKind.ACCESS_KEY && k.userId() == caller.userId());
        if (key.isEmpty()) {
            throw CofferException.notFound("there is no access key '" + given + "' of yours");
        }
        w.credentials().revoke(SecretKind.ACCESS_KEY, key.get().id());
        ctx.status(204);
        w.audit()
                .success(
                        ctx,
                        caller,
                        "access-key.revoke",
                        null,
                        "access-keys/" + key.get().id());
    }
}
