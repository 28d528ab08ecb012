package dev.coffer.credential;

import java.util.Map;

/** Password login attempts and login locks at rest, shared by every node; implemented by persistence. */
public interface LockoutStore {
    /**
     * One password attempt to reserve before the password is checked: {@code userSubject} may have
     * {@code limit} failures since {@code since}, {@code addressSubject} may have failed on
     * {@code addressLimit} distinct usernames since then.
     */
    record Attempt(
            String userSubject,
            String addressSubject,
            String username,
            long now,
            long since,
            int limit,
            int addressLimit) {}

    /**
     * The rows an attempt reserved, and the counts that include it: {@code failures} of the user
     * subject, {@code usernames} distinct usernames of the address subject.
     */
    record Slot(long userRow, long addressRow, int failures, int usernames) {}

    /** What a reservation found. */
    sealed interface Reserved {}

    /** The attempt holds a slot in both counts; a failure keeps it, a success releases it. */
    record Granted(Slot slot) implements Reserved {}

    /** A subject is locked or its count is full; password login is refused until {@code until} at the earliest. */
    record Refused(long until) implements Reserved {}

    /**
     * Counts the attempt as a failure before it is checked, atomically per subject on every node
     * sharing the database: parallel attempts each see the ones reserved before them, so no more
     * than {@code limit} of them are ever granted in a window.
     */
    Reserved reserve(Attempt attempt);

    /** A successful check: every failure of {@code userSubject} goes (its count starts again), and the address's row of this slot. */
    void release(String userSubject, Slot slot);

    void clearFailures(String subject);

    void lock(String subject, long until);

    /** Locks still in force at {@code now}, by subject. */
    Map<String, Long> locks(long now);

    /** Forgets failures before {@code before} and locks that ended before it. */
    void purge(long before);
}
