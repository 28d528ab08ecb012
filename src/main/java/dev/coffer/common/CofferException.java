package dev.coffer.common;

import java.util.Objects;

/** Carries a {@link Failure} out of a service; the HTTP layer turns it into the JSON error. */
public final class CofferException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    public CofferException(Failure failure) {
        this(failure, null);
    }

    public CofferException(Failure failure, Throwable cause) {
        super(Objects.requireNonNull(failure).message(), cause, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }

    public static CofferException notFound(String message) {
        return new CofferException(new Failure.NotFound("not_found", message));
    }

    public static CofferException invalid(String code, String message) {
        return new CofferException(new Failure.Invalid(code, message));
    }

    public static CofferException conflict(String code, String message) {
        return new CofferException(new Failure.Conflict(code, message));
    }

    public static CofferException unavailable(String message, Throwable cause) {
        return new CofferException(new Failure.Unavailable("backend_unavailable", message), cause);
    }
}
