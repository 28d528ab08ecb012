package dev.coffer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Http;
import dev.coffer.testing.PostgresServer;
import dev.coffer.testing.TestServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL going away while Coffer runs: requests that need it answer 503 (never 404, never a
 * hang), the health check says unhealthy, and everything works again once it is back.
 */
final class PostgresOutageTest {

    @Test
    void aStoppedDatabaseIs503AndTheServerRecoversWhenItReturns() throws Exception {
        PostgresServer pg = PostgresServer.assumeAvailable();
        PostgresServer.Db db = pg.createDatabase("outage");
        Map<String, String> opts = new HashMap<>(
                Map.of("database.url", db.url(), "database.user", db.user(), "database.password", db.password()));
        try (TestServer server = TestServer.start(opts)) {
            Http admin = server.admin();
            assertThat(admin.putJson("/api/repositories/libs", "{\"anonymousRead\":true}")
                            .status())
                    .isIn(200, 201);
            assertThat(admin.put("/repository/libs/com/acme/a.txt", "hello").status())
                    .isEqualTo(201);
            assertThat(server.anonymous().get("/repository/libs/com/acme/a.txt").body())
                    .isEqualTo("hello");

            assertThat(admin.put("/repository/libs/com/acme/unread.txt", "never read")
                            .status())
                    .isEqualTo(201);

            pg.stop();
            try {
                // a file this node has not read yet needs the database: 503, never 404
                Http.Response r = server.anonymous().get("/repository/libs/com/acme/unread.txt");
                assertThat(r.status())
                        .as("GET of an existing file while PostgreSQL is down: %s", r)
                        .isEqualTo(503);
                assertThat(admin.get("/repository/libs/com/acme/unread.txt").status())
                        .isEqualTo(503);
                // one it read a moment ago may still be served from memory, and then in full
                Http.Response cached = server.anonymous().get("/repository/libs/com/acme/a.txt");
                assertThat(cached.status())
                        .as("a recently read file: %s", cached)
                        .isIn(200, 503);
                if (cached.status() == 200) {
                    assertThat(cached.body()).isEqualTo("hello");
                }
                assertThat(server.anonymous().get("/api/health").status()).isEqualTo(503);
                assertThat(admin.put("/repository/libs/com/acme/b.txt", "new").status())
                        .isEqualTo(503);
            } finally {
                pg.start();
            }

            long deadline = System.nanoTime() + 30_000_000_000L;
            int status = 0;
            while (System.nanoTime() < deadline) {
                status = server.anonymous()
                        .get("/repository/libs/com/acme/a.txt")
                        .status();
                if (status == 200) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(status).as("after PostgreSQL is back").isEqualTo(200);
            assertThat(server.anonymous().get("/api/health").status()).isEqualTo(200);
            assertThat(admin.put("/repository/libs/com/acme/b.txt", "new").status())
                    .isEqualTo(201);
            assertThat(server.anonymous().get("/repository/libs/com/acme/b.txt").body())
                    .isEqualTo("new");
        }
    }
}
