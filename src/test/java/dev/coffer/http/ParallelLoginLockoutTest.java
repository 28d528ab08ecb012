package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.Parallel;
import dev.coffer.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API.md §4 rule 6 under parallel guesses (issue 15, finding 5): ten allowed means ten checked,
 * whether the guesses come one by one or all at once, for a username and for an address.
 */
class ParallelLoginLockoutTest {
    private static final String PASSWORD = "the right password";

    @Test
    void fiftyWrongPasswordsAtOnceGetTenChecksAndTheRestAreLockedOut() throws Exception {
        // a queue long enough that no guess is refused as busy: every answer is 401 or 429
        try (TestServer s = TestServer.start(Map.of("lockout", "10", "password.queue", "1000"))) {
            Fixtures.user(s, "alice", PASSWORD);
            Http anon = s.anonymous();

            List<Http.Response> answers =
                    Parallel.calls(50, i -> anon.basic("alice", "guess-" + i).get("/api/me"));

            assertThat(answers).extracting(Http.Response::status).containsOnly(401, 429);
            assertThat(answers.stream().filter(r -> r.status() == 401))
                    .as("guesses checked")
                    .hasSize(10);
            assertThat(answers.stream().filter(r -> r.status() == 429))
                    .hasSize(40)
                    .allSatisfy(r -> {
                        assertThat(r.errorCode()).isEqualTo("login_locked");
                        assertThat(Long.parseLong(r.header("Retry-After"))).isPositive();
                    });
            // the eleventh password is not checked, even the right one
            Http.Response right = anon.basic("alice", PASSWORD).get("/api/me");
            assertThat(right.status()).as(right.toString()).isEqualTo(429);
            // keys and tokens keep working; another user's password too
            assertThat(s.admin().get("/api/me").status()).isEqualTo(200);
        }
    }

    @Test
    void manyUsernamesAtOnceFromOneAddressGetNoMoreChecksThanTheAddressLimit() throws Exception {
        try (TestServer s = TestServer.start(Map.of("lockout.address", "5", "password.queue", "1000"))) {
            Http anon = s.anonymous();

            List<Http.Response> answers =
                    Parallel.calls(30, i -> anon.basic("nobody" + i, "guess").get("/api/me"));

            assertThat(answers).extracting(Http.Response::status).containsOnly(401, 429);
            assertThat(answers.stream().filter(r -> r.status() == 401))
                    .as("usernames checked")
                    .hasSize(5);
            assertThat(anon.basic("somebody", "guess").get("/api/me").status()).isEqualTo(429);
        }
    }
}
