package dev.coffer.credential;

import dev.coffer.common.Failure;

/** What authentication concluded: a caller (possibly anonymous), or a rejection that must not fall back. */
public sealed interface AuthResult {
    record Accepted(Caller caller) implements AuthResult {}

    record Rejected(Failure failure) implements AuthResult {}
}
