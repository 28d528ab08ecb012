package dev.coffer.http;

import dev.coffer.audit.AuditChange;
import dev.coffer.audit.AuditEvent;
import dev.coffer.audit.AuditLog;
import dev.coffer.common.Failure;
import dev.coffer.credential.AuthMethod;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Caller;
import io.javalin.http.Context;
import java.util.Objects;

/**
 * Turns what a route did into audit events: the caller's user and credential (kind and id, never
 * the secret), the client address and user agent, and the response status. Handlers call it after
 * they have set the status; the {@link Guard} calls it for authentication failures and denials.
 */
public final class AuditTrail {
    private final AuditLog log;

    public AuditTrail(AuditLog log) {
        this.log = Objects.requireNonNull(log);
    }

    /** A change or credential operation that succeeded (written before the response is sent). */
    public void success(Context ctx, Caller caller, String action, String repo, String path) {
        log.record(event(ctx, caller, action, repo, path, AuditEvent.SUCCESS, ctx.statusCode(), null));
    }

    /** The same, with the changed settings' values before and after (API.md §3: changes of exposure). */
    public void success(Context ctx, Caller caller, String action, String repo, String path, AuditChange change) {
        log.record(event(ctx, caller, action, repo, path, AuditEvent.SUCCESS, ctx.statusCode(), change.json()));
    }

    /** A served read: queued, written in the background, dropped (and counted) if the queue is full. */
    public void read(Context ctx, Caller caller, String repo, String path) {
        read(ctx.ip(), ctx.userAgent(), caller, repo, path, ctx.statusCode());
    }

    /** The same, for a download served in front of the router ({@link FastDownloads}). */
    void read(String ip, String userAgent, Caller caller, String repo, String path, int status) {
        log.recordRead(new AuditEvent(
                log.now(),
                caller.username(),
                caller.authenticatedBy().label(),
                caller.credentialId(),
                "artifact.read",
                repo,
                path,
                AuditEvent.ALLOWED,
                status,
                ip,
                userAgent));
    }

    /** Refused for lack of rights (403) or of credentials (401 authentication_required). */
    void denied(Context ctx, Caller caller, String action, String repo, String path, Failure failure) {
        log.record(event(ctx, caller, action, repo, path, AuditEvent.DENIED, Errors.status(failure), null));
    }

    /** Credentials that did not check out, or a locked password login (429). */
    void rejected(Context ctx, String action, AuthResult.Rejected r) {
        Failure f = r.failure();
        String outcome = f instanceof Failure.RateLimited ? AuditEvent.DENIED : AuditEvent.FAILED;
        String kind = r.attemptedKind() == null ? null : r.attemptedKind().label();
        log.record(new AuditEvent(
                log.now(),
                r.attemptedUsername(),
                kind,
                null,
                action,
                null,
                null,
                outcome,
                Errors.status(f),
                ctx.ip(),
                ctx.userAgent()));
    }

    /** An event of someone identified otherwise than by the request's credentials (login, refresh grant). */
    void as(
            Context ctx,
            String username,
            AuthMethod authenticatedBy,
            String credentialId,
            String action,
            String path,
            String outcome,
            int status) {
        log.record(new AuditEvent(
                log.now(),
                username,
                authenticatedBy.label(),
                credentialId,
                action,
                null,
                path,
                outcome,
                status,
                ctx.ip(),
                ctx.userAgent()));
    }

    private AuditEvent event(
            Context ctx,
            Caller caller,
            String action,
            String repo,
            String path,
            String outcome,
            int status,
            String change) {
        return new AuditEvent(
                log.now(),
                caller.username(),
                caller.authenticatedBy().label(),
                caller.credentialId(),
                action,
                repo,
                path,
                outcome,
                status,
                ctx.ip(),
                ctx.userAgent(),
                change);
    }
}
