package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (finding 21): who may issue a token for how long, over HTTP (the command line follows
 * the same rule: CliIssuingRulesTest). A user who is not an administrator got a 100-year token
 * though never-expiring ones are for administrators; an administrator got a token for a disabled
 * user that the command line refuses.
 */
class IssuingRulesTest {
    private static final long YEAR = 365L * 24 * 3600;
    private static final long HUNDRED_YEARS = 100 * YEAR;

    private static Http.Response issue(Http h, String form) {
        return h.header("Content-Type", "application/x-www-form-urlencoded").post("/access/api/v1/tokens", form);
    }

    private static Http user(TestServer s, String name) {
        Fixtures.user(s, name, name + "-password");
        return s.anonymous().basic(name, name + "-password");
    }

    private static void refused(Http.Response r, int status, String code, String mention) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.errorCode()).isEqualTo(code);
        assertThat(r.json().path("error").path("message").asText()).contains(mention);
    }

    private static long expiresIn(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("expires_in").asLong();
    }

    @Test
    void byDefaultAUserMayNotGoBeyondTheDefaultLifetime() {
        try (TestServer s = TestServer.start()) {
            Http alice = user(s, "alice");
            refused(issue(alice, "expires_in=" + HUNDRED_YEARS), 400, "expires_in_invalid", "expires_in");
            refused(issue(alice, "expires_in=" + (YEAR + 1)), 400, "expires_in_invalid", "token.max-lifetime");
            refused(issue(alice, "expires_in=0"), 403, "forbidden", "never expire");
            assertThat(expiresIn(issue(alice, "expires_in=" + YEAR))).isEqualTo(YEAR);
            assertThat(expiresIn(issue(alice, ""))).isEqualTo(YEAR);
            assertThat(alice.get("/access/api/v1/tokens").json().path("tokens")).hasSize(2);
            // administrators: up to 100 years, or never
            assertThat(expiresIn(issue(s.admin(), "username=alice&expires_in=" + HUNDRED_YEARS)))
                    .isEqualTo(HUNDRED_YEARS);
            assertThat(expiresIn(issue(s.admin(), "username=alice&expires_in=0")))
                    .isZero();
            refused(
                    issue(s.admin(), "username=alice&expires_in=" + (HUNDRED_YEARS + 1)),
                    400,
                    "expires_in_invalid",
                    "expires_in");
        }
    }

    @Test
    void theCapForUsersIsASetting() {
        try (TestServer s = TestServer.start(Map.of("token.max-lifetime", "1h"))) {
            Http bob = user(s, "bob");
            refused(issue(bob, "expires_in=3601"), 400, "expires_in_invalid", "at most 3600 seconds");
            assertThat(expiresIn(issue(bob, "expires_in=3600"))).isEqualTo(3600);
            assertThat(expiresIn(issue(bob, "")))
                    .as("the default is capped too")
                    .isEqualTo(3600);
            assertThat(expiresIn(issue(s.admin(), "username=bob"))).isEqualTo(YEAR);
            assertThat(expiresIn(issue(s.admin(), "username=bob&expires_in=" + (10 * YEAR))))
                    .isEqualTo(10 * YEAR);
        }
    }

    /**
     * The rules of token/IssuingRules (tabled in IssuingRulesTableTest) through the real entry
     * point: the handler must present each caller to them as what its credential carries (an
     * administrator's narrowed token is neither an administrator nor a full credential).
     */
    @Test
    void everyRuleForFullAndNarrowedCredentialsOfUsersAndAdministrators() {
        try (TestServer s = TestServer.start()) {
            Fixtures.group(s, "dev");
            Fixtures.group(s, "ops");
            Fixtures.user(s, "alice", "alice-password", "dev");
            Fixtures.user(s, "bob", "bob-password");
            Fixtures.user(s, "carol", "carol-password");
            assertThat(s.admin()
                            .putJson("/api/users/carol", "{\"disabled\":true}")
                            .status())
                    .isEqualTo(200);
            Http alice = s.anonymous().basic("alice", "alice-password");
            Http aliceNarrowed = s.anonymous().bearer(CredentialRulesTest.token(s, alice, "scope=artifact:priv/**:r"));
            Http adminNarrowed =
                    s.anonymous().bearer(CredentialRulesTest.token(s, s.admin(), "scope=artifact:priv/**:r"));
            List<Http> callers = List.of(alice, aliceNarrowed, s.admin(), adminNarrowed);
            // request | alice | alice's narrowed token | admin | admin's narrowed token
            String[][] table = {
                {"", "200", "403", "200", "403"},
                {"username=bob", "403", "403", "200", "403"},
                {"username=nobody", "403", "403", "400", "403"}, // a user learns nothing about other accounts
                {"username=carol", "403", "403", "400", "403"},
                {"scope=applied-permissions/admin", "403", "403", "200", "403"},
                {"scope=applied-permissions/groups:dev", "200", "403", "200", "403"},
                {"scope=applied-permissions/groups:ops", "403", "403", "200", "403"},
                {"scope=applied-permissions/groups:dev,ops", "403", "403", "200", "403"},
                {"scope=artifact:priv/**:r", "200", "403", "200", "403"},
                {"expires_in=0", "403", "403", "200", "403"},
                {"expires_in=" + HUNDRED_YEARS, "400", "403", "200", "403"},
                {"expires_in=" + (HUNDRED_YEARS + 1), "400", "403", "400", "403"},
            };
            for (String[] row : table) {
                for (int i = 0; i < callers.size(); i++) {
                    Http.Response r = issue(callers.get(i), row[0]);
                    assertThat(r.status())
                            .as("%s by caller %d: %s", row[0], i, r)
                            .isEqualTo(Integer.parseInt(row[1 + i]));
                }
            }
            // a narrowed credential mints no key either
            assertThat(aliceNarrowed
                            .header("Content-Type", "application/json")
                            .post("/api/access-keys", "{}")
                            .status())
                    .isEqualTo(403);
            assertThat(adminNarrowed
                            .header("Content-Type", "application/json")
                            .post("/api/access-keys", "{}")
                            .status())
                    .isEqualTo(403);
        }
    }

    @Test
    void noTokenForADisabledUserNotEvenFromAnAdministrator() {
        try (TestServer s = TestServer.start()) {
            user(s, "carol");
            Http.Response disable = s.admin().putJson("/api/users/carol", "{\"disabled\":true}");
            assertThat(disable.status()).as(disable.toString()).isEqualTo(200);
            refused(issue(s.admin(), "username=carol"), 400, "user_disabled", "disabled");
            refused(
                    issue(s.admin(), "username=carol&scope=applied-permissions/user&expires_in=0"),
                    400,
                    "user_disabled",
                    "disabled");
            assertThat(s.admin().get("/access/api/v1/tokens").json().path("tokens"))
                    .isEmpty();
        }
    }
}
