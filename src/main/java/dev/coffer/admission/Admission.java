package dev.coffer.admission;

import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Authenticator;
import dev.coffer.credential.PresentedCredentials;
import dev.coffer.permission.AccessService;
import dev.coffer.repository.RepositoryService;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides every request, whoever serves it (the fast download path, every route, every package
 * format's handler): credentials → caller → requirement → {@link Result}. Nothing here knows an
 * HTTP framework; entry points adapt their request to a {@link RequestView}.
 *
 * <p>A request is authenticated once, whatever number of times it is admitted: the result is kept
 * in its {@link Ticket}. Inside {@code MemoryOnly.call} (the fast path on a selector thread),
 * {@code MemoryOnly.WouldWait} may come out of here before anything has changed; admitting the
 * same request again where waiting is allowed then does it all.
 */
public final class Admission {
    private final Function<PresentedCredentials, AuthResult> authenticator;
    private final Rights rights;

    public Admission(Authenticator authenticator, AccessService access, RepositoryService repositories) {
        this(authenticator::authenticate, Rights.of(access, repositories));
    }

    /** With any authentication and rights (tests). */
    public Admission(Function<PresentedCredentials, AuthResult> authenticator, Rights rights) {
        this.authenticator = Objects.requireNonNull(authenticator);
        this.rights = Objects.requireNonNull(rights);
    }

    public Result admit(RequestView request, Requirement requirement) {
        Objects.requireNonNull(requirement, "requirement");
        Ticket ticket = request.ticket();
        AuthResult auth = ticket.authentication();
        if (auth == null) {
            auth = authenticator.apply(PresentedCredentials.read(request::headers, request.clientAddress()));
            ticket.authenticated(auth);
        }
        Result result = auth instanceof AuthResult.Accepted accepted
                ? requirement.decide(accepted.caller(), request, rights)
                : new Result.Rejected((AuthResult.Rejected) auth);
        ticket.decided(result);
        return result;
    }
}
