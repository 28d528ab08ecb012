package dev.coffer.common;

/** Time source in epoch milliseconds; replaceable in tests of expiry and lockout. */
@FunctionalInterface
public interface Clock {
    long millis();

    Clock SYSTEM = System::currentTimeMillis;
}
