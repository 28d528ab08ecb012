package dev.coffer.testing;

import dev.coffer.common.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that tests move by hand: starts at the real time, then goes only where it is told. */
public final class MutableClock implements Clock {
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    @Override
    public long millis() {
        return now.get();
    }

    public void advance(Duration d) {
        now.addAndGet(d.toMillis());
    }
}
