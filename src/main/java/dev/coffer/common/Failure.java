package dev.coffer.common;

/**
 * Why an operation did not succeed, classified so that the HTTP layer can map it to a status
 * without the domain knowing HTTP. A backend outage is {@link Unavailable}, never {@link NotFound}.
 */
public sealed interface Failure {
    String code();

    String message();

    record NotFound(String code, String message) implements Failure {}

    record Conflict(String code, String message) implements Failure {}

    record Denied(String code, String message) implements Failure {}

    record Invalid(String code, String message) implements Failure {}

    record Unavailable(String code, String message) implements Failure {}

    record InsufficientStorage(String code, String message) implements Failure {}

    record TooLarge(String code, String message) implements Failure {}

    record Unauthenticated(String code, String message) implements Failure {}

    /** An upstream that Coffer asked on the caller's behalf failed or answered wrongly (502). */
    record BadGateway(String code, String message) implements Failure {}

    /**
     * The resource exists but does not take this kind of request (405): a deploy to a virtual
     * repository without a deploy target, a delete through a virtual repository.
     *
     * @param allow the methods it does take, for the {@code Allow} header (none given: no header)
     */
    record MethodNotAllowed(String code, String message, java.util.List<String> allow) implements Failure {
        public MethodNotAllowed {
            allow = java.util.List.copyOf(allow);
        }

        public MethodNotAllowed(String code, String message) {
            this(code, message, java.util.List.of());
        }
    }

    record RateLimited(String code, String message, long retryAfterSeconds) implements Failure {}

    /** The server is too busy for this kind of work right now (503 with Retry-After); other work goes on. */
    record Busy(String code, String message, long retryAfterSeconds) implements Failure {}

    static Failure notFound(String message) {
        return new NotFound("not_found", message);
    }

    static Failure invalid(String code, String message) {
        return new Invalid(code, message);
    }
}
