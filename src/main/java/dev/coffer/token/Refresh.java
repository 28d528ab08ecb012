package dev.coffer.token;

import dev.coffer.identity.User;
import java.util.Objects;

/** What the refresh grant (API.md §5) answers: a new pair, or a refusal to send back as a 401. */
public sealed interface Refresh permits Refresh.Renewed, Refresh.Refused {
    /** The new pair; the old one no longer works. */
    record Renewed(CredentialService.Issued issued, User owner) implements Refresh {
        public Renewed {
            Objects.requireNonNull(issued, "issued");
            Objects.requireNonNull(owner, "owner");
        }
    }

    /**
     * @param owner the name of the token's owner when the refresh token was a real one (for the
     *     audit record), else null
     * @param reason a sentence for the caller; it never quotes the refresh token
     */
    record Refused(String owner, String reason) implements Refresh {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
