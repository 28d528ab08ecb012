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
}
