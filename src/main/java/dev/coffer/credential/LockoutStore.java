package dev.coffer.credential;

import java.util.Map;
import java.util.Set;

/** Failed password logins and login locks at rest, shared by every node; implemented by persistence. */
public interface LockoutStore {
    /** Records a failure and returns how many failures {@code subject} has had since {@code since}. */
    int recordFailure(String subject, String username, long at, long since);

    /** Records a failure and returns how many distinct usernames {@code subject} failed on since {@code since}. */
    int recordDistinctFailure(String subject, String username, long at, long since);

    void clearFailures(String subject);

    void lock(String subject, long until);

    /** Locks still in force at {@code now}, by subject. */
    Map<String, Long> locks(long now);

    /** Usernames with failures since {@code since} (a success must clear them). */
    Set<String> usernamesWithFailures(long since);

    /** Forgets failures before {@code before} and locks that ended before it. */
    void purge(long before);
}
