package dev.coffer.admission;

import dev.coffer.common.Failure;
import dev.coffer.credential.Caller;

/**
 * How a refusal reads. A caller without credentials is asked for some (401, which Maven needs to
 * retry with them); one with credentials is refused (403).
 */
public final class Refusals {
    private Refusals() {}

    public static Failure needsCredentials() {
        return new Failure.Unauthenticated("authentication_required", "this needs credentials");
    }

    public static Failure denied(Caller caller, String reason) {
        if (caller.isAnonymous()) {
            return new Failure.Unauthenticated("authentication_required", "this needs credentials: " + reason);
        }
        return new Failure.Denied("forbidden", reason);
    }

    /** For a caller with credentials: refused for not being an administrator. */
    public static Failure needsAdmin() {
        return new Failure.Denied("forbidden", "this needs an administrator");
    }

    /** Refusals that are denials (audited as such): 403, and 401 for a caller without credentials. */
    public static boolean isDenial(Failure f) {
        return f instanceof Failure.Denied
                || (f instanceof Failure.Unauthenticated u && u.code().equals("authentication_required"));
    }
}
