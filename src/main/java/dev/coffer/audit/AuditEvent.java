package dev.coffer.audit;

import dev.coffer.common.Redaction;
import java.util.Objects;

/**
 * One audit record: who (user, credential kind and id — never the secret), did what, where, with
 * which outcome, from where, and for a change of settings the values before and after. Text that
 * could carry a secret by accident (paths, user agents) is masked, and every field is cut to the
 * size its column holds.
 *
 * @param time epoch milliseconds
 * @param outcome one of {@link #SUCCESS}, {@link #ALLOWED}, {@link #DENIED}, {@link #FAILED}
 * @param change null, or a JSON object {@code {"<setting>":{"before":…,"after":…},…}} as
 *     {@link AuditChange} writes it
 */
public record AuditEvent(
        long time,
        String username,
        String authenticatedBy,
        String credentialId,
        String action,
        String repo,
        String path,
        String outcome,
        int status,
        String ip,
        String userAgent,
        String change) {

    /** A change or credential operation that was carried out. */
    public static final String SUCCESS = "success";
    /** A read that was served. */
    public static final String ALLOWED = "allowed";
    /** Refused for lack of rights or credentials (401 authentication_required, 403, 429 lockout). */
    public static final String DENIED = "denied";
    /** Credentials that did not check out (wrong password, unknown or revoked key or token). */
    public static final String FAILED = "failed";

    /**
     * The longest change text kept; a longer one (a setting holding a long text or list) is
     * replaced by a note that says so, since a JSON document cut short is no document.
     */
    public static final int MAX_CHANGE = 16_384;

    /** An event that records no change of settings. */
    public AuditEvent(
            long time,
            String username,
            String authenticatedBy,
            String credentialId,
            String action,
            String repo,
            String path,
            String outcome,
            int status,
            String ip,
            String userAgent) {
        this(time, username, authenticatedBy, credentialId, action, repo, path, outcome, status, ip, userAgent, null);
    }

    public static boolean isOutcome(String s) {
        return SUCCESS.equals(s) || ALLOWED.equals(s) || DENIED.equals(s) || FAILED.equals(s);
    }

    public AuditEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        username = clean(username, 255);
        authenticatedBy = clean(authenticatedBy, 32);
        credentialId = clean(credentialId, 64);
        action = clean(action, 255);
        repo = clean(repo, 255);
        path = clean(path, 1024);
        outcome = clean(outcome, 32);
        ip = clean(ip, 64);
        userAgent = clean(userAgent, 512);
        change = Redaction.secrets(change);
        if (change != null && change.length() > MAX_CHANGE) {
            change = AuditChange.OMITTED;
        }
    }

    private static String clean(String s, int max) {
        if (s == null) {
            return null;
        }
        String r = Redaction.secrets(s);
        return r.length() <= max ? r : r.substring(0, max);
    }

    /** A copy with another time (events are stamped by whoever records them). */
    public AuditEvent at(long millis) {
        return new AuditEvent(
                millis,
                username,
                authenticatedBy,
                credentialId,
                action,
                repo,
                path,
                outcome,
                status,
                ip,
                userAgent,
                change);
    }
}
