package dev.coffer.http;

import dev.coffer.common.Action;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Authenticator;
import dev.coffer.credential.Caller;
import dev.coffer.credential.PresentedCredentials;
import dev.coffer.permission.AccessService;
import io.javalin.http.Context;
import java.util.Objects;

/**
 * Runs before every handler: authenticates (invalid credentials are 401 even where anonymous
 * could read), then enforces the route's {@link Requirement}. For repository routes the path is
 * validated and the decision made before the handler looks anything up.
 */
public final class Guard {
    public static final String REPOSITORY_PREFIX = "/repository/";
    public static final String STORAGE_PREFIX = "/api/storage/";
    /** Request attribute: an {@link AuthResult} already reached for this request ({@link FastDownloads}). */
    static final String AUTH_RESULT = "coffer.authResult";

    private final Authenticator authenticator;
    private final AccessService access;
    private final AuditTrail audit;

    public Guard(Authenticator authenticator, AccessService access, AuditTrail audit) {
        this.authenticator = Objects.requireNonNull(authenticator);
        this.access = Objects.requireNonNull(access);
        this.audit = Objects.requireNonNull(audit);
    }

    /**
     * Authentication failures and denials (403, and 401 for a caller without credentials) are
     * audited here, whether the guard or the handler refused; handlers that check credentials
     * themselves (the password login, the refresh grant) audit their own outcome.
     */
    public io.javalin.http.Handler wrap(Route route) {
        String routeName = route.method() + " " + route.path();
        return ctx -> {
            Caller caller = authenticate(ctx);
            RepoTarget target = null;
            boolean targetAllowed = false;
            try {
                Requirement req = route.requirement();
                if (req instanceof Requirement.Authenticated) {
                    requireUser(caller);
                } else if (req instanceof Requirement.Admin) {
                    requireAdmin(caller);
                } else if (req instanceof Requirement.RepoAction ra) {
                    String prefix = route.path().startsWith("/api/storage") ? STORAGE_PREFIX : REPOSITORY_PREFIX;
                    // matrix parameters are properties at upload; on anything else they are refused
                    target = route.method() == io.javalin.http.HandlerType.PUT && prefix.equals(REPOSITORY_PREFIX)
                            ? RepoTarget.parseUpload(ctx.req().getRequestURI(), prefix)
                            : RepoTarget.parse(ctx.req().getRequestURI(), prefix);
                    targetAllowed = authorize(caller, ra.action(), target);
                }
                route.handler().handle(ctx, new Route.Request(caller, target, targetAllowed));
            } catch (CofferException e) {
                if (isDenial(e.failure())) {
                    String repo = target != null ? target.repo() : ctx.pathParamMap().get("repo");
                    audit.denied(ctx, caller, routeName, repo, target == null ? null : target.path().toString(),
                            e.failure());
                }
                throw e;
            }
        };
    }

    private static boolean isDenial(Failure f) {
        return f instanceof Failure.Denied
                || (f instanceof Failure.Unauthenticated u && u.code().equals("authentication_required"));
    }

    // the credential headers besides Authorization (API.md §4), also read by FastDownloads
    static final String ACCESS_KEY = "X-Auth-AccessKey";
    static final String AUTH_TOKEN = "X-Auth-Token";
    static final String AUTH_USER_ID = "X-Auth-UserId";
    static final String CIRCLE_TOKEN = "Circle-Token";

    /** Every header that carries a credential, in the order of {@link PresentedCredentials}' fields. */
    static final java.util.List<String> CREDENTIAL_HEADERS =
            java.util.List.of("Authorization", ACCESS_KEY, AUTH_TOKEN, AUTH_USER_ID, CIRCLE_TOKEN);

    /**
     * The credential headers of a request (all values of a name, looked up by name) as the
     * authenticator takes them; a header sent twice is named in {@link PresentedCredentials#repeated()}.
     */
    static PresentedCredentials presented(java.util.function.Function<String, java.util.Enumeration<String>> headers,
            String clientAddress) {
        String[] first = new String[CREDENTIAL_HEADERS.size()];
        String repeated = null;
        for (int i = 0; i < first.length; i++) {
            java.util.Enumeration<String> values = headers.apply(CREDENTIAL_HEADERS.get(i));
            if (values != null && values.hasMoreElements()) {
                first[i] = values.nextElement();
                if (values.hasMoreElements() && repeated == null) {
                    repeated = CREDENTIAL_HEADERS.get(i);
                }
            }
        }
        return new PresentedCredentials(first[0], first[1], first[2], first[3], first[4], clientAddress, repeated);
    }

    Authenticator authenticator() {
        return authenticator;
    }

    public Caller authenticate(Context ctx) {
        PresentedCredentials pc = presented(ctx.req()::getHeaders, ctx.ip());
        // never twice for one request: a failed password would count twice towards the lockout
        AuthResult result = ctx.attribute(AUTH_RESULT) instanceof AuthResult earlier ? earlier
                : authenticator.authenticate(pc);
        RequestRecorder.authenticated(ctx::attribute, pc, result);
        if (result instanceof AuthResult.Rejected r) {
            audit.rejected(ctx, "password".equals(r.attemptedKind()) ? "login" : "authenticate", r);
            throw new CofferException(r.failure());
        }
        return ((AuthResult.Accepted) result).caller();
    }

    /**
     * A read is let through when the exact path is readable or something below it is (so a
     * folder listing can lead to what the caller may read); the handler serves a file only when
     * the exact decision allows it.
     */
    private boolean authorize(Caller caller, Action action, RepoTarget t) {
        if (access.allows(caller, action, t.repo(), t.path())) {
            return true;
        }
        if (action == Action.READ && access.mayActUnder(caller, action, t.repo(), t.path())) {
            return false;
        }
        // the explanation is built only for a refusal
        throw denied(caller, access.decide(caller, action, t.repo(), t.path()).reason());
    }

    public static CofferException denied(Caller caller, String reason) {
        if (caller.isAnonymous()) {
            return new CofferException(new Failure.Unauthenticated("authentication_required",
                    "this needs credentials: " + reason));
        }
        return new CofferException(new Failure.Denied("forbidden", reason));
    }

    public static void requireUser(Caller caller) {
        if (caller.isAnonymous()) {
            throw new CofferException(new Failure.Unauthenticated("authentication_required",
                    "this needs credentials"));
        }
    }

    public static void requireAdmin(Caller caller) {
        requireUser(caller);
        if (!caller.isAdmin()) {
            throw new CofferException(new Failure.Denied("forbidden", "this needs an administrator"));
        }
    }
}
