package dev.coffer.http;

import dev.coffer.identity.UserService;
import dev.coffer.token.CredentialIssuer;
import dev.coffer.token.CredentialService;
import java.util.Objects;

/** What the key and token routes work with, handed over by {@link CredentialRoutes} in one piece. */
record CredentialWiring(
        CredentialService credentials,
        UserService users,
        CredentialIssuer issuing,
        long maxJsonBytes,
        AuditTrail audit) {
    CredentialWiring {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(issuing, "issuing");
        Objects.requireNonNull(audit, "audit");
    }

    /**
     * Answers a new access key (its secret in {@code body}, shown this once: never cached) and
     * audits its creation, the same for the key API and npm's login and token routes.
     */
    void sendNewKey(
            io.javalin.http.Context ctx,
            dev.coffer.credential.Caller caller,
            com.fasterxml.jackson.databind.node.ObjectNode body,
            CredentialService.Issued issued) {
        ctx.header("Cache-Control", "no-store");
        Json.send(ctx, 201, body);
        audit.success(
                ctx,
                caller,
                "access-key.create",
                null,
                "access-keys/" + issued.stored().id());
    }
}
