package dev.coffer.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.Invalidation;
import dev.coffer.common.Invalidation.Event;
import dev.coffer.testing.PostgresServer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two "nodes" (two buses, two sets of caches) on one real PostgreSQL database. */
class PostgresEventBusTest {
    private PostgresServer.Db db;
    private Database database;
    private final Invalidation a = new Invalidation();
    private final Invalidation b = new Invalidation();
    private final BlockingQueue<Event> heardByA = new LinkedBlockingQueue<>();
    private final BlockingQueue<Event> heardByB = new LinkedBlockingQueue<>();
    private PostgresEventBus busA;
    private PostgresEventBus busB;

    @BeforeEach
    void start() {
        db = PostgresServer.assumeAvailable().createDatabase("bus");
        database = Database.postgres(db.url(), db.user(), db.password(), 4);
        a.subscribe(heardByA::add);
        b.subscribe(heardByB::add);
        busA = new PostgresEventBus(database, db.url(), db.user(), db.password(), a).start();
        busB = new PostgresEventBus(database, db.url(), db.user(), db.password(), b).start();
    }

    @AfterEach
    void stop() {
        busA.close();
        busB.close();
        database.close();
    }

    @Test
    void aChangeOnOneNodeReachesTheOtherWithinASecondAndNotItself() throws Exception {
        for (Event e : List.of(
                new Invalidation.CredentialRevoked("cd".repeat(32)),
                new Invalidation.UserChanged("alice"),
                new Invalidation.RepositoryChanged("libs"),
                new Invalidation.PermissionsChanged())) {
            heardByA.clear();
            a.publish(e);
            assertThat(heardByA.poll()).as("the local caches hear it at once").isEqualTo(e);
            assertThat(heardByB.poll(1, TimeUnit.SECONDS))
                    .as("the other node within a second")
                    .isEqualTo(e);
        }
        Thread.sleep(300);
        assertThat(heardByA)
                .as("a node does not hear its own announcements twice")
                .isEmpty();
        assertThat(heardByB).isEmpty();
    }

    @Test
    void afterLosingTheDatabaseANodeReadsEverythingAgain() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        pg.stop();
        try {
            Thread.sleep(1_000);
        } finally {
            pg.start();
        }
        Event first = heardByB.poll(30, TimeUnit.SECONDS);
        assertThat(first)
                .as("a missed notification is made up for by a full resync")
                .isEqualTo(new Invalidation.Everything());
        // and the bus works again
        Event e = new Invalidation.UserChanged("carol");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Event got = null;
        while (got == null && System.nanoTime() < deadline) {
            a.publish(e);
            got = heardByB.poll(1, TimeUnit.SECONDS);
            while (got instanceof Invalidation.Everything) {
                got = heardByB.poll(1, TimeUnit.SECONDS);
            }
        }
        assertThat(got).isEqualTo(e);
    }
}
