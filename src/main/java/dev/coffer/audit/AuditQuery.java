package dev.coffer.audit;

/**
 * A search of the audit log, newest first. Null fields do not filter.
 *
 * @param since epoch millis, inclusive
 * @param until epoch millis, exclusive
 * @param before only events with an id below this one (the cursor of the next page)
 * @param limit at most this many events
 */
public record AuditQuery(Long since, Long until, String username, String outcome, Long before, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT + 1) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        }
    }
}
