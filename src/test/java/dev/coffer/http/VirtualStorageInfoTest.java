package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.VirtualFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /api/storage of a virtual repository (what the web UI's file browser reads): a virtual
 * repository holds nothing itself, so it answers what its members show the caller through it — a
 * folder merged, a file as the member that answers has it. It answered an empty folder before.
 */
class VirtualStorageInfoTest {
    private static TestServer server;
    private static Http vera;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        VirtualFixtures.local(server, "si-a", false);
        VirtualFixtures.local(server, "si-b", false);
        VirtualFixtures.virtual(server, "si-v", false, null, "si-a", "si-b");
        Fixtures.put(server.admin(), "/repository/si-a/com/acme/a/1/a-1.jar", "from a");
        Fixtures.put(server.admin(), "/repository/si-b/com/acme/b/1/b-1.jar", "from b");
        Fixtures.put(server.admin(), "/repository/si-b/com/acme/a/1/a-1.jar", "b's copy");
        Fixtures.user(server, "vera", "vera-password-1");
        Fixtures.grantUser(server, "si-v-vera", "si-v", "vera", "r");
        Fixtures.grantUser(server, "si-a-vera", "si-a", "vera", "r");
        vera = new Http(server.base()).basic("vera", "vera-password-1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> children(JsonNode folder) {
        List<String> out = new ArrayList<>();
        folder.path("children").forEach(c -> out.add(c.path("name").asText()));
        return out;
    }

    @Test
    void foldersAreMergedAndFilesComeFromTheMemberThatAnswers() {
        JsonNode acme = Fixtures.expect(server.admin().get("/api/storage/si-v/com/acme"), "folder", 200)
                .json();
        assertThat(children(acme)).containsExactlyInAnyOrder("a", "b");
        JsonNode file = Fixtures.expect(server.admin().get("/api/storage/si-v/com/acme/a/1/a-1.jar"), "file", 200)
                .json();
        assertThat(file.path("size").asLong()).isEqualTo("from a".length());
        assertThat(file.path("repo").asText()).isEqualTo("si-a");
        assertThat(server.admin().get("/api/storage/si-v/com/acme/zzz").status())
                .isEqualTo(404);
    }

    @Test
    void aCallerSeesOnlyWhatTheyMayReadThroughIt() {
        JsonNode acme = Fixtures.expect(vera.get("/api/storage/si-v/com/acme"), "folder", 200)
                .json();
        assertThat(children(acme)).containsExactly("a");
        assertThat(vera.get("/api/storage/si-v/com/acme/b/1/b-1.jar").status()).isEqualTo(404);
        assertThat(new Http(server.base()).get("/api/storage/si-v/com/acme").status())
                .isEqualTo(401);
    }
}
