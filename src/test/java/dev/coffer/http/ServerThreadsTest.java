package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Fixtures;
import dev.coffer.testing.TestServer;
import java.util.Arrays;
import org.eclipse.jetty.util.VirtualThreads;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 (p99): Jetty's selectors, which serve small downloads themselves, run on platform
 * threads of Coffer's pool; blocking request work goes to virtual threads where the JDK has them.
 * A selector on a virtual thread is woken through the JDK's poller thread and a carrier, which
 * lengthened the tail of small downloads.
 */
class ServerThreadsTest {

    @Test
    void selectorsRunOnPlatformThreadsOfTheServersPool() {
        try (TestServer s = TestServer.start()) {
            Fixtures.repo(s, "pub", true);
            Fixtures.put(s.admin(), "/repository/pub/a.txt", "a");
            assertThat(s.anonymous().get("/repository/pub/a.txt").status()).isEqualTo(200);

            // virtual threads are not in this map (a carrier shows only its own frames)
            long selectors = Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> e.getKey().getName().startsWith("coffer-http"))
                    .filter(e -> Arrays.stream(e.getValue())
                            .anyMatch(f -> f.getClassName().equals("org.eclipse.jetty.io.ManagedSelector")))
                    .count();
            assertThat(selectors).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void blockingWorkGoesToVirtualThreadsWhereTheJdkHasThem() {
        var pool = HttpServer.threadPool();
        assertThat(VirtualThreads.isUseVirtualThreads(pool)).isEqualTo(VirtualThreads.areSupported());
    }
}
