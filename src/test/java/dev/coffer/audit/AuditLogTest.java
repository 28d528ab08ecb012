package dev.coffer.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.persistence.Database;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcAuditStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit service: retention purge with a controlled clock, a full read queue, flush on close. */
class AuditLogTest {
    private static final long HOUR = 3_600_000;

    private static AuditEvent event(long time, String action) {
        return new AuditEvent(
                time,
                "alice",
                "password",
                null,
                action,
                "libs",
                "a/b.jar",
                AuditEvent.SUCCESS,
                201,
                "127.0.0.1",
                "test");
    }

    @Test
    void purgeRemovesEventsOlderThanTheRetention(@TempDir Path dir) {
        AtomicLong now = new AtomicLong(1_000 * HOUR);
        try (Database db = Database.sqlite(dir.resolve("coffer.db"));
                AuditLog log = new AuditLog(
                        new JdbcAuditStore(new Jdbc(db.dataSource())), now::get, Duration.ofHours(24), 100)) {
            long t0 = now.get();
            log.record(event(t0 - 48 * HOUR, "old"));
            log.record(event(t0 - 25 * HOUR, "older-than-a-day"));
            log.record(event(t0 - 23 * HOUR, "recent"));
            log.record(event(t0, "now"));
            assertThat(log.purge()).isEqualTo(2);
            assertThat(actions(log)).containsExactly("now", "recent");
            assertThat(log.purge()).isZero();
            now.addAndGet(2 * HOUR); // "recent" is now 25 hours old
            assertThat(log.purge()).isEqualTo(1);
            assertThat(actions(log)).containsExactly("now");
        }
    }

    @Test
    void searchFiltersAndPagesNewestFirst(@TempDir Path dir) {
        try (Database db = Database.sqlite(dir.resolve("coffer.db"));
                AuditLog log =
                        new AuditLog(new JdbcAuditStore(new Jdbc(db.dataSource())), () -> 0, Duration.ofDays(1), 100)) {
            for (int i = 0; i < 5; i++) {
                log.record(new AuditEvent(
                        i * 1000L,
                        i % 2 == 0 ? "even" : "odd",
                        "password",
                        null,
                        "a" + i,
                        null,
                        null,
                        i < 3 ? AuditEvent.DENIED : AuditEvent.SUCCESS,
                        403,
                        null,
                        null));
            }
            List<StoredEvent> all = log.search(new AuditQuery(null, null, null, null, null, 10));
            assertThat(all).extracting(s -> s.event().action()).containsExactly("a4", "a3", "a2", "a1", "a0");
            assertThat(log.search(new AuditQuery(1000L, 3000L, null, null, null, 10)))
                    .extracting(s -> s.event().action())
                    .containsExactly("a2", "a1");
            assertThat(log.search(new AuditQuery(null, null, "even", AuditEvent.DENIED, null, 10)))
                    .extracting(s -> s.event().action())
                    .containsExactly("a2", "a0");
            assertThat(log.search(
                            new AuditQuery(null, null, null, null, all.get(1).id(), 2)))
                    .extracting(s -> s.event().action())
                    .containsExactly("a2", "a1");
        }
    }

    @Test
    void secretsInTextFieldsAreMasked() {
        AuditEvent e = new AuditEvent(
                0,
                "u",
                "password",
                null,
                "DELETE /api/tokens/{token}",
                null,
                "cofst_abcdefABCDEF0123456789",
                AuditEvent.DENIED,
                403,
                null,
                "agent cofak_abcdef0123456789");
        assertThat(e.path()).isEqualTo("cofst_[redacted]");
        assertThat(e.userAgent()).isEqualTo("agent cofak_[redacted]");
    }

    /** A store that holds the background writer until released, so the read queue fills up. */
    private static final class SlowStore implements AuditStore {
        final CountDownLatch release = new CountDownLatch(1);
        final List<AuditEvent> written = new CopyOnWriteArrayList<>();

        @Override
        public void insert(List<AuditEvent> events) {
            boolean read = events.stream().allMatch(e -> e.action().equals("artifact.read"));
            if (read) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            written.addAll(events);
        }

        @Override
        public void insertReads(List<AuditEvent> events) {
            insert(events);
        }

        @Override
        public List<StoredEvent> search(AuditQuery query) {
            return List.of();
        }

        @Override
        public int deleteBefore(long time) {
            return 0;
        }
    }

    @Test
    void aFullQueueDropsReadsWithoutBlockingButNeverChangesOrDenials() throws Exception {
        SlowStore store = new SlowStore();
        AuditLog log = new AuditLog(store, System::currentTimeMillis, Duration.ofDays(1), 10);
        AuditEvent read = new AuditEvent(
                0, "alice", "access-key", "k1", "artifact.read", "libs", "a.jar", AuditEvent.ALLOWED, 200, null, null);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            log.recordRead(read);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        // the writer holds at most one batch; the queue holds 10; the rest were dropped and counted
        assertThat(log.dropped()).isGreaterThanOrEqualTo(1000 - 10 - 500);
        assertThat(log.queueDepth()).isLessThanOrEqualTo(10);
        log.record(event(0, "artifact.delete"));
        assertThat(store.written).extracting(AuditEvent::action).contains("artifact.delete");

        store.release.countDown();
        log.close();
        // everything that was not dropped is written by close()
        long reads = store.written.stream()
                .filter(e -> e.action().equals("artifact.read"))
                .count();
        assertThat(reads + log.dropped()).isEqualTo(1000);
        assertThat(log.queueDepth()).isZero();
    }

    private static List<String> actions(AuditLog log) {
        return log.search(new AuditQuery(null, null, null, null, null, 100)).stream()
                .map(s -> s.event().action())
                .toList();
    }
}
