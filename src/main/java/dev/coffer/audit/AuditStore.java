package dev.coffer.audit;

import java.util.List;

/** Durable audit events; implemented by the persistence adapters. */
public interface AuditStore {
    /** Appends the events in one transaction. */
    void insert(List<AuditEvent> events);

    /**
     * Appends audited reads in one transaction, stored compactly. {@link #search} returns each of
     * them as it was given; ids keep the order of the list among the events of one username and
     * outcome. The events carry no change of settings ({@link AuditEvent#change()} is null).
     */
    void insertReads(List<AuditEvent> events);

    /** Matching events, highest id (newest) first, at most {@code query.limit()}. */
    List<StoredEvent> search(AuditQuery query);

    /** Deletes events older than {@code time} (epoch millis); returns how many. */
    int deleteBefore(long time);
}
