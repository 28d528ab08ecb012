package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.authz.Decision;
import dev.coffer.authz.Principal;
import dev.coffer.authz.Scope;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.AuthMethod;
import dev.coffer.credential.Caller;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import dev.coffer.permission.AccessService;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import dev.coffer.virtual.VirtualResolver;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * API.md §6: explains why the caller (or, for administrators, another user as if they logged in
 * with their password) may or may not do an action on a path: the decision of the authorizer,
 * with its reason and what granted it (permission target, admin, token scope, anonymous read).
 */
public final class AccessCheckRoutes {
    private final AccessService access;
    private final UserService users;
    private final RepositoryService repositories;
    private final VirtualCheck virtuals;
    private final AuditTrail audit;

    public AccessCheckRoutes(
            AccessService access,
            UserService users,
            RepositoryService repositories,
            VirtualResolver virtuals,
            AuditTrail audit) {
        this.access = Objects.requireNonNull(access);
        this.audit = Objects.requireNonNull(audit);
        this.users = Objects.requireNonNull(users);
        this.repositories = Objects.requireNonNull(repositories);
        this.virtuals = new VirtualCheck(virtuals, access);
    }

    public List<Route> routes() {
        return List.of(new Route(
                HandlerType.GET,
                "/api/access/check",
                new Requirement.Anyone("explains the caller's own access, anonymous included; "
                        + "only administrators may ask about another user"),
                this::check));
    }

    private void check(Context ctx, Route.Request r) {
        FormOrJson.queryOnce(ctx);
        String repo = required(ctx, "repo");
        if (!RepositoryService.isValidName(repo)) {
            throw CofferException.invalid("path_invalid", "'" + repo + "' is not a valid repository name");
        }
        ArtifactPath path = ArtifactPath.of(Objects.requireNonNullElse(ctx.queryParam("path"), ""));
        Action action;
        try {
            action = Action.fromLetter(required(ctx, "action"));
        } catch (IllegalArgumentException e) {
            throw CofferException.invalid("action_invalid", e.getMessage());
        }
        Caller caller = r.caller();
        String username = ctx.queryParam("username");
        Decision decision;
        if (username != null && !username.equals(caller.username())) {
            Guard.requireUser(caller);
            if (!caller.isAdmin()) {
                throw Guard.denied(caller, "only administrators may check another user's access");
            }
            User user = users.find(username)
                    .orElseThrow(() -> new CofferException(
                            new Failure.NotFound("user_not_found", "there is no user '" + username + "'")));
            caller = new Caller(
                    new Principal.User(user.id(), user.username(), user.admin(), user.groups(), Scope.USER),
                    AuthMethod.PASSWORD,
                    null);
            decision = user.disabled()
                    ? new Decision(
                            false, "user '" + username + "' is disabled: none of their credentials work", List.of())
                    : access.decide(caller, action, repo, path);
        } else {
            decision = access.decide(caller, action, repo, path);
        }
        ObjectNode o = Json.object();
        boolean allowed = decision.allowed();
        String reason = decision.reason();
        ObjectNode virtual = null;
        Optional<Repository> target = repositories.find(repo);
        if (target.isPresent() && target.get().isVirtual()) {
            // a disabled user's decision is already a refusal: no member is looked at for it
            VirtualCheck.Outcome through = virtuals.explain(target.get(), caller, path, action, decision);
            // naming the member that answers may have fetched its file from an upstream: audited
            // as the fetch it is, under whoever asked (an administrator asking for another user)
            through.fetched().forEach(hit -> VirtualContent.auditFetch(audit, ctx, r.caller(), hit));
            allowed = through.allowed();
            reason = through.reason();
            virtual = through.virtual();
        }
        o.put("allowed", allowed);
        o.put("reason", reason);
        decision.matchedBy().forEach(o.putArray("matchedBy")::add);
        o.put("username", caller.username());
        o.put("authenticatedBy", caller.authenticatedBy().label());
        o.put("repo", repo);
        o.put("path", path.toString());
        o.put("action", String.valueOf(action.letter()));
        if (virtual != null) {
            o.set("virtual", virtual);
        }
        Json.send(ctx, 200, o);
    }

    private static String required(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            throw CofferException.invalid("parameter_missing", "the query parameter '" + name + "' is required");
        }
        return v;
    }
}
