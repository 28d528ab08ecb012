package dev.coffer.admission;

import dev.coffer.common.Failure;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Caller;
import java.util.Objects;
import java.util.Optional;

/** What {@link Admission#admit} decided: the request goes on, with its caller, or it is refused. */
public sealed interface Result {

    /**
     * The requirement is met.
     *
     * @param target for repository requirements, the validated repository and path
     * @param targetAllowed whether the action is allowed on the exact target (a read may also be
     *     let through because something below the path is readable; the handler then serves only
     *     what it lists, never the target itself)
     */
    record Admitted(Caller caller, Optional<RepoTarget> target, boolean targetAllowed) implements Result {
        public Admitted {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(target, "target");
        }

        static Admitted caller(Caller caller) {
            return new Admitted(caller, Optional.empty(), false);
        }
    }

    /** Any refusal: what to answer. */
    sealed interface Refused extends Result {
        Failure failure();
    }

    /**
     * The credentials did not check out, were ambiguous, or password login is locked: never
     * anonymous instead, even where anonymous callers are welcome (API.md §4, rule 2).
     */
    record Rejected(AuthResult.Rejected rejection) implements Refused {
        @Override
        public Failure failure() {
            return rejection.failure();
        }
    }

    /** The caller does not meet the requirement: 401 without credentials, 403 with them (audited). */
    record Denied(Caller caller, Failure failure, Optional<RepoTarget> target) implements Refused {}

    /** The request names nothing the requirement could be decided on (a malformed repository path): 400. */
    record Invalid(Caller caller, Failure failure) implements Refused {}
}
