package dev.coffer.audit;

import java.util.Objects;

/** An audit event as stored, with the id that orders events and pages through them. */
public record StoredEvent(long id, AuditEvent event) {
    public StoredEvent {
        Objects.requireNonNull(event, "event");
    }
}
