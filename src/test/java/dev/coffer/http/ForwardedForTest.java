package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behind a load balancer: X-Forwarded-For names the client only when the peer is a trusted proxy. */
class ForwardedForTest {
    private static String auditedIp(TestServer s, String username) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonNode events =
                    s.admin().get("/api/audit?username=" + username).json().path("events");
            if (events.size() > 0) {
                return events.get(0).path("ip").asText();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no audit event for " + username);
    }

    @Test
    void aTrustedProxysHeaderIsTheAuditedAddressAndTheLockoutKey() throws Exception {
        try (TestServer s = TestServer.start(Map.of("trusted.proxies", "127.0.0.1, ::1", "lockout.address", "2"))) {
            // an audit record names a failed login's user only when the account exists
            Fixtures.user(s, "nobody1", "nobody1-password");
            Http fromClient = s.anonymous().header("X-Forwarded-For", "198.51.100.7");
            assertThat(fromClient.basic("nobody1", "x").get("/api/me").status()).isEqualTo(401);
            assertThat(auditedIp(s, "nobody1")).isEqualTo("198.51.100.7");
            // two distinct usernames failed from 198.51.100.7: that client is locked, others are not
            assertThat(fromClient.basic("nobody2", "x").get("/api/me").status()).isEqualTo(401);
            assertThat(fromClient.basic("nobody3", "x").get("/api/me").status()).isEqualTo(429);
            Http otherClient = s.anonymous().header("X-Forwarded-For", "198.51.100.8");
            assertThat(otherClient.basic("nobody3", "x").get("/api/me").status())
                    .isEqualTo(401);
        }
    }

    @Test
    void withoutTrustedProxiesTheHeaderCannotForgeTheAddress() throws Exception {
        try (TestServer s = TestServer.start()) {
            Fixtures.user(s, "nobody9", "nobody9-password");
            assertThat(s.anonymous()
                            .header("X-Forwarded-For", "198.51.100.7")
                            .basic("nobody9", "x")
                            .get("/api/me")
                            .status())
                    .isEqualTo(401);
            assertThat(auditedIp(s, "nobody9")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
        }
    }
}
