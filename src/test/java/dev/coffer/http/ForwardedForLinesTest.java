package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Several X-Forwarded-For lines are one list (RFC 9110, 5.3). A proxy that adds its own line (as
 * HAProxy's forwardfor does) rather than appending left the client's forged first line in charge
 * of the client address (audit, lockout per address, last use), on the router and the fast path.
 */
class ForwardedForLinesTest {
    private static int get(TestServer s, String target, String... headerLines) {
        return RawHttp.send(s, "GET", target, headerLines).status();
    }

    private static String lastUsedIp(Http owner, String keyId) {
        for (JsonNode k : owner.get("/api/access-keys").json()) {
            if (k.path("id").asText().equals(keyId)) {
                return k.path("lastUsedIp").asText(null);
            }
        }
        throw new AssertionError("no key " + keyId);
    }

    @Test
    void everyLineCountsAndTheProxysOwnLineWins() throws IOException {
        try (TestServer s = TestServer.start(Map.of("trusted.proxies", "127.0.0.1, ::1"))) {
            Fixtures.repo(s, "pub", true);
            Fixtures.put(s.admin(), "/repository/pub/small.txt", "small");
            Http admin = s.admin();
            JsonNode key = admin.header("Content-Type", "application/json")
                    .post("/api/access-keys", "{}")
                    .json();
            String secret = key.get("key").asText();
            String id = key.get("id").asText();

            // the router's path
            assertThat(get(
                            s,
                            "/api/me",
                            "X-Auth-AccessKey: " + secret,
                            "X-Forwarded-For: 6.6.6.6",
                            "X-Forwarded-For: 203.0.113.7"))
                    .isEqualTo(200);
            assertThat(lastUsedIp(admin, id)).isEqualTo("203.0.113.7");
            // the fast path (a small public file)
            assertThat(get(
                            s,
                            "/repository/pub/small.txt",
                            "X-Auth-AccessKey: " + secret,
                            "X-Forwarded-For: 6.6.6.6",
                            "X-Forwarded-For: 203.0.113.9"))
                    .isEqualTo(200);
            assertThat(lastUsedIp(admin, id)).isEqualTo("203.0.113.9");
        }
    }
}
