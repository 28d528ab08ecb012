package dev.coffer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Digests;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A backend that fails is 503, never 404 (API.md: "an outage of a backend is 503, never not found"). */
class OutageTest {

    @Test
    void metadataDatabaseGoneIs503() {
        try (TestServer server = TestServer.start()) {
            Http admin = server.admin();
            admin.putJson("/api/repositories/libs", "{}");
            assertThat(admin.put("/repository/libs/a.txt", "alpha").status()).isEqualTo(201);
            // the warm caches still know the admin and the repository; every metadata read now fails
            server.coffer().services().database().close();
            for (String path : new String[] {
                "/repository/libs/a.txt", "/repository/libs/missing.txt", "/api/storage/libs/a.txt", "/repository/libs/"
            }) {
                Http.Response r = admin.get(path);
                assertThat(r.status()).as(path + " -> " + r).isEqualTo(503);
                assertThat(r.errorCode()).isEqualTo("backend_unavailable");
            }
            assertThat(admin.get("/api/health").status()).isEqualTo(503);
            assertThat(admin.put("/repository/libs/b.txt", "bravo").status()).isEqualTo(503);
        }
    }

    @Test
    void aBlobMissingFromTheStoreIs503NotNotFound() throws Exception {
        try (TestServer server = TestServer.start()) {
            Http admin = server.admin();
            admin.putJson("/api/repositories/libs", "{}");
            admin.put("/repository/libs/a.txt", "alpha");
            String sha = Digests.sha256("alpha");
            Path blob = server.data()
                    .resolve("store/blobs")
                    .resolve(sha.substring(0, 2))
                    .resolve(sha.substring(2, 4))
                    .resolve(sha);
            Files.delete(blob);
            Http.Response r = admin.get("/repository/libs/a.txt");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.errorCode()).isEqualTo("storage_inconsistent");
        }
    }
}
