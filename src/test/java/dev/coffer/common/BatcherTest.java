package dev.coffer.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BatcherTest {

    @Test
    void deliversEveryItemInOrderInBatchesOfAtMostTheLimit() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (Batcher<Integer> b = new Batcher<>("test-batcher", 10_000, 7, batch -> {
            sizes.add(batch.size());
            seen.addAll(batch);
        })) {
            for (int i = 0; i < 1000; i++) {
                assertThat(b.offer(i)).isTrue();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 1000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(b.size()).isZero();
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            expected.add(i);
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(sizes).allMatch(n -> n >= 1 && n <= 7);
    }

    @Test
    void afterABatchThatDidNotFillUpTheWriterSleepsSoBatchesGrowWithTheLoad() throws Exception {
        // items arrive steadily while each write takes a while; the writer must not start the next
        // write as soon as one ends (a few items each), but sleep its idle time in between
        long idle = TimeUnit.MILLISECONDS.toNanos(100);
        List<long[]> writes = new CopyOnWriteArrayList<>(); // start and end of each write
        List<Integer> seen = new CopyOnWriteArrayList<>();
        try (Batcher<Integer> b = new Batcher<>("test-batcher", 10_000, 1000, idle, batch -> {
            long start = System.nanoTime();
            seen.addAll(batch);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writes.add(new long[] {start, System.nanoTime()});
        })) {
            for (int i = 0; i < 150; i++) {
                assertThat(b.offer(i)).isTrue();
                Thread.sleep(2);
            }
            // everything delivered by the writer's own rhythm (close writes what is left at once)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 150 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        assertThat(seen).hasSize(150);
        assertThat(writes.size()).isGreaterThan(1);
        for (int i = 1; i < writes.size(); i++) {
            assertThat(writes.get(i)[0] - writes.get(i - 1)[1])
                    .as("pause before write %d", i)
                    .isGreaterThanOrEqualTo(idle * 9 / 10);
        }
    }

    @Test
    void aFullQueueRefusesOffersAndMakesPutWaitUntilThereIsRoom() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inSink = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        Batcher<String> b = new Batcher<>("test-batcher", 2, 1, batch -> {
            inSink.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.addAll(batch);
        });
        assertThat(b.offer("a")).isTrue();
        assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue(); // "a" is being written, and still counts
        assertThat(b.offer("b")).isTrue();
        assertThat(b.offer("c")).as("capacity 2: a (in the sink) and b").isFalse();

        AtomicBoolean putDone = new AtomicBoolean();
        Thread putter = new Thread(() -> putDone.set(b.put("d")));
        putter.start();
        Thread.sleep(100);
        assertThat(putDone).as("put waits while the queue is full").isFalse();
        release.countDown();
        putter.join(10_000);
        assertThat(putDone).isTrue();
        b.close();
        assertThat(seen).containsExactly("a", "b", "d");
        assertThat(b.offer("e")).as("closed").isFalse();
    }

    @Test
    void closeDeliversWhatIsQueued() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Batcher<Integer> b = new Batcher<>("test-batcher", 100_000, 500, seen::addAll);
        for (int i = 0; i < 50_000; i++) {
            b.offer(i);
        }
        b.close();
        assertThat(seen).hasSize(50_000);
    }

    @Test
    void aFailingSinkDoesNotStopTheWriter() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Batcher<String> b = new Batcher<>("test-batcher", 100, 1, batch -> {
            if (batch.get(0).equals("bad")) {
                throw new IllegalStateException("disk full");
            }
            seen.addAll(batch);
        })) {
            b.offer("bad");
            b.offer("good");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(seen).containsExactly("good");
            assertThat(b.size()).isZero();
        }
    }
}
