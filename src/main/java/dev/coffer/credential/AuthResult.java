package dev.coffer.credential;

import dev.coffer.common.Failure;

/** What authentication concluded: a caller (possibly anonymous), or a rejection that must not fall back. */
public sealed interface AuthResult {
    record Accepted(Caller caller) implements AuthResult {}

    /**
     * @param attemptedKind the kind of credential that was tried, or null when the headers could not
     *     be read as any (or named more than one)
     * @param attemptedUsername the user the credential named (Basic user name), or null; never a secret
     */
    record Rejected(Failure failure, AuthMethod attemptedKind, String attemptedUsername) implements AuthResult {
        public Rejected(Failure failure) {
            this(failure, null, null);
        }
    }
}
