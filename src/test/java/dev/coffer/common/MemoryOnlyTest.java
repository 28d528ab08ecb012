package dev.coffer.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MemoryOnlyTest {
    @Test
    void checkRefusesOnlyInsideCallAndOnlyOnItsThread() throws Exception {
        MemoryOnly.check(); // outside: nothing happens
        assertThatThrownBy(() -> MemoryOnly.call(() -> {
                    MemoryOnly.check();
                    return "waited";
                }))
                .isInstanceOf(MemoryOnly.WouldWait.class);
        MemoryOnly.check(); // cleared after the refusal

        String other = MemoryOnly.call(() -> CompletableFuture.supplyAsync(() -> {
                    MemoryOnly.check(); // another thread may wait
                    return "other thread";
                })
                .join());
        assertThat(other).isEqualTo("other thread");
    }

    @Test
    void anyFailureClearsItAndANestedCallKeepsItUntilTheOuterEnds() {
        assertThatThrownBy(() -> MemoryOnly.call(() -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        MemoryOnly.check();

        assertThatThrownBy(() -> MemoryOnly.call(() -> {
                    MemoryOnly.call(() -> "inner");
                    MemoryOnly.check();
                    return "outer";
                }))
                .isInstanceOf(MemoryOnly.WouldWait.class);
        assertThat(MemoryOnly.call(() -> "no waiting")).isEqualTo("no waiting");
    }
}
