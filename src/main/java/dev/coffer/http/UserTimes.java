package dev.coffer.http;

import dev.coffer.common.CofferException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Times a user sends (RFC 3339, API.md), parsed with bounds. Java reads years up to ±999,999,999,
 * whose epoch milliseconds overflow a long: without the bounds, {@code +1000000000-12-31T23:59:59Z}
 * was a 500. Anything outside {@link #EARLIEST}..{@link #LATEST} is a 400 naming the field.
 */
final class UserTimes {
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    /** Longer than any RFC 3339 time with nanoseconds and an offset; a longer text is not one. */
    private static final int MAX_CHARS = 64;

    private UserTimes() {}

    /** Epoch milliseconds of an RFC 3339 time such as 2030-01-31T00:00:00Z or 2030-01-31T01:00:00+01:00. */
    static long parse(String field, String text, String code) {
        Instant t;
        try {
            if (text.length() > MAX_CHARS) {
                throw new DateTimeException("too long");
            }
            t = Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text.trim()));
        } catch (DateTimeException e) {
            throw CofferException.invalid(code, field + " must be an RFC 3339 time such as 2030-01-31T00:00:00Z");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw CofferException.invalid(code, field + " must be between " + EARLIEST + " and " + LATEST);
        }
        return t.toEpochMilli();
    }
}
