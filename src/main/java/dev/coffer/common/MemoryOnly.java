package dev.coffer.common;

import java.util.function.Supplier;

/**
 * Work that must not wait: small downloads are served on Jetty's selector threads, which also read
 * every other connection, so they may use only what is in memory. Inside {@link #call}, anything
 * that would wait (a database query, a read from storage, a password hash) throws
 * {@link WouldWait} instead, before it has changed anything; the caller then hands the request to
 * a thread that may wait, which does it all again.
 */
public final class MemoryOnly {
    private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();
    private static final WouldWait WOULD_WAIT = new WouldWait();

    private MemoryOnly() {}

    /** Thrown where the work would wait; carries no stack (it is expected, and frequent on a cold cache). */
    public static final class WouldWait extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private WouldWait() {
            super("this work would wait for a database, storage or a password hash", null, false, false);
        }
    }

    /** Runs {@code work} where nothing may wait; throws {@link WouldWait} where it would. */
    public static <T> T call(Supplier<T> work) {
        if (ACTIVE.get() != null) {
            return work.get();
        }
        ACTIVE.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            ACTIVE.remove();
        }
    }

    /** Called before anything that waits: refuses inside {@link #call}. */
    public static void check() {
        if (ACTIVE.get() != null) {
            throw WOULD_WAIT;
        }
    }
}
