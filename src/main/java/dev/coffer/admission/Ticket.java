package dev.coffer.admission;

import dev.coffer.credential.AuthMethod;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Caller;
import java.util.Optional;

/**
 * What admission concluded about one request, kept with the request from the front of the server
 * to its access log line. Authentication has side effects (lockout counts, last use), so it runs
 * once: whoever decides again (the router after the fast path declined, a second requirement)
 * reuses its result.
 *
 * <p>Written and read by the threads that serve the request one after the other (a selector
 * thread, then a pool thread it handed the request to, then the request log), never at once.
 */
public final class Ticket {
    /** How a request authenticated: the kind tried (null: none could be read), and the caller if accepted. */
    public record Outcome(AuthMethod kind, Caller caller) {
        public boolean accepted() {
            return caller != null;
        }

        /** The kind's label, or {@code unknown}. */
        public String kindLabel() {
            return kind == null ? "unknown" : kind.label();
        }
    }

    private AuthResult authentication;
    private Outcome outcome;
    private Result decision;

    AuthResult authentication() {
        return authentication;
    }

    void authenticated(AuthResult result) {
        if (authentication != null) {
            throw new IllegalStateException("a request is authenticated once");
        }
        authentication = result;
        outcome = result instanceof AuthResult.Accepted a
                ? new Outcome(a.caller().authenticatedBy(), a.caller())
                : new Outcome(((AuthResult.Rejected) result).attemptedKind(), null);
    }

    void decided(Result result) {
        decision = result;
    }

    /** The last decision made for this request; empty before any. */
    public Optional<Result> decision() {
        return Optional.ofNullable(decision);
    }

    /**
     * A password login inside a handler (POST /api/tokens): the request counts as a password
     * authentication, whatever its headers carried.
     */
    public void loggedIn(AuthResult result) {
        outcome = new Outcome(AuthMethod.PASSWORD, result instanceof AuthResult.Accepted a ? a.caller() : null);
    }

    /** How the request authenticated, for meters and the access log; empty when it never was. */
    public Optional<Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }
}
