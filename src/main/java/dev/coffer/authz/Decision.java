package dev.coffer.authz;

import java.util.List;
import java.util.Objects;

/** The outcome of one check with a human reason and what granted it (empty when denied). */
public record Decision(boolean allowed, String reason, List<String> matchedBy) {
    public Decision {
        Objects.requireNonNull(reason, "reason");
        matchedBy = List.copyOf(matchedBy);
    }

    static Decision allow(String reason, List<String> matchedBy) {
        return new Decision(true, reason, matchedBy);
    }

    static Decision deny(String reason) {
        return new Decision(false, reason, List.of());
    }
}
