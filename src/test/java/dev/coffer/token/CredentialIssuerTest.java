package dev.coffer.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.bootstrap.Coffer;
import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.config.Settings;
import dev.coffer.identity.User;
import dev.coffer.identity.UserService;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcCredentialStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CredentialIssuer over a real database (SQLite in a temporary folder) and a clock the test
 * moves: expiries, lifetimes and the refresh grant, without sleeps. What the rules decide is
 * tabled in IssuingRulesTableTest; here, that a refusal stores nothing and what is stored is right.
 */
final class CredentialIssuerTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long HOUR_MS = 3_600_000L;
    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    static Path data;

    private static Coffer.Services services;
    private static CredentialService credentials;
    private static CredentialIssuer issuing;
    private static final AtomicLong now = new AtomicLong(T0);

    @BeforeAll
    static void open() {
        services = Coffer.services(Settings.load(Map.of("data", data.toString()), Map.of(), null));
        Clock clock = now::get;
        credentials = new CredentialService(
                new JdbcCredentialStore(new Jdbc(services.database().dataSource())),
                clock,
                services.invalidation(),
                Duration.ofHours(24));
        issuing = new CredentialIssuer(
                new IssuingRules(Duration.ofDays(365), Duration.ofDays(30)),
                credentials,
                Subjects.of(services.users()::find, services.users()::findById),
                clock);
    }

    @AfterAll
    static void close() {
        credentials.close();
        services.credentials().close();
        services.database().close();
    }

    @BeforeEach
    void rewind() {
        now.set(T0);
    }

    private static User newUser(boolean admin) {
        String name = (admin ? "root" : "user") + SEQ.incrementAndGet();
        return services.users()
                .put(name, new UserService.UserChange("pw-" + name, null, admin, null, null))
                .user();
    }

    private static Issuer.Account account(User u, boolean fullRights) {
        return new Issuer.Account(u.id(), u.username(), u.admin(), fullRights);
    }

    private static int stored() {
        return credentials.list(SecretKind.ACCESS_TOKEN, null).size()
                + credentials.list(SecretKind.ACCESS_KEY, null).size();
    }

    private static Failure refused(Supplier<?> issue) {
        int before = stored();
        CofferException e = catchThrowableOfType(issue::get, CofferException.class);
        assertThat(e).as("refused").isNotNull();
        assertThat(stored()).as("nothing stored").isEqualTo(before);
        return e.failure();
    }

    // ---- time

    @Test
    void aTokenLastsItsLifetimeOnTheInjectedClock() {
        User alice = newUser(false);
        CredentialService.Issued t =
                issuing.token(new TokenRequest(account(alice, true), null, null, 3600L, false, null));
        assertThat(t.stored().createdAt()).isEqualTo(T0);
        assertThat(t.stored().expiresAt()).isEqualTo(T0 + HOUR_MS);
        assertThat(t.stored().userId()).isEqualTo(alice.id());
        assertThat(t.stored().scope()).isEqualTo("applied-permissions/user");
        assertThat(t.stored().issuedBy()).isEqualTo(alice.username());
        assertThat(t.stored().description()).isEmpty();
        now.set(T0 + HOUR_MS - 1);
        assertThat(credentials.resolve(SecretKind.ACCESS_TOKEN, t.secret())).isPresent();
        now.set(T0 + HOUR_MS);
        assertThat(credentials.resolve(SecretKind.ACCESS_TOKEN, t.secret())).isEmpty();
    }

    @Test
    void defaultLifetimesAndIssuersAsRecorded() {
        User alice = newUser(false);
        User root = newUser(true);
        long day = 24 * HOUR_MS;
        assertThat(issuing.token(new TokenRequest(account(alice, true), null, null, null, false, null))
                        .stored()
                        .expiresAt())
                .as("a user's default is capped by token.max-lifetime")
                .isEqualTo(T0 + 30 * day);
        CredentialService.Issued byAdmin =
                issuing.token(new TokenRequest(account(root, true), alice.username(), null, null, false, null));
        assertThat(byAdmin.stored().expiresAt()).isEqualTo(T0 + 365 * day);
        assertThat(byAdmin.stored().userId()).isEqualTo(alice.id());
        assertThat(byAdmin.stored().issuedBy()).isEqualTo(root.username());
        CredentialService.Issued byCli =
                issuing.token(new TokenRequest(Issuer.COMMAND_LINE, alice.username(), null, 0L, false, null));
        assertThat(byCli.stored().expiresAt()).isNull();
        assertThat(byCli.stored().issuedBy()).isEqualTo("cli");
        CredentialService.Issued byMapping = issuing.token(new TokenRequest(
                new Issuer.Mapping("github", "deploy", Duration.ofMinutes(10)),
                alice.username(),
                "artifact:libs/**:r",
                null,
                false,
                null));
        assertThat(byMapping.stored().expiresAt()).isEqualTo(T0 + HOUR_MS / 6);
        assertThat(byMapping.stored().issuedBy()).isEqualTo("oidc:github/deploy");
        assertThat(byMapping.stored().scope()).isEqualTo("artifact:libs/**:r");
    }

    // ---- refusals store nothing

    @Test
    void everyRefusalStoresNothing() {
        User alice = newUser(false);
        User bob = newUser(false);
        User root = newUser(true);
        Issuer.Account asAlice = account(alice, true);
        Issuer.Account narrowedAlice = account(alice, false);
        Issuer.Account narrowedRoot = account(root, false);
        services.users().put(bob.username(), new UserService.UserChange(null, null, null, null, true));

        assertThat(refused(() -> issuing.token(new TokenRequest(narrowedAlice, null, null, null, false, null)))
                        .code())
                .isEqualTo("forbidden");
        assertThat(refused(() -> issuing.token(
                                new TokenRequest(narrowedRoot, alice.username(), null, null, false, null)))
                        .code())
                .isEqualTo("forbidden");
        assertThat(refused(() -> issuing.token(
                                new TokenRequest(asAlice, null, "applied-permissions/admin", null, false, null)))
                        .code())
                .isEqualTo("forbidden");
        assertThat(refused(() -> issuing.token(new TokenRequest(asAlice, null, null, 0L, false, null)))
                        .code())
                .isEqualTo("forbidden");
        assertThat(refused(() -> issuing.token(new TokenRequest(asAlice, null, "nonsense", null, false, null))))
                .isEqualTo(new Failure.Invalid(
                        "scope_invalid",
                        "scope part 'nonsense' is invalid: unknown scope "
                                + "(expected applied-permissions/user, applied-permissions/admin, "
                                + "applied-permissions/groups:<groups> or artifact:<repo>/<path-pattern>:<actions>)"));
        assertThat(refused(() -> issuing.token(new TokenRequest(asAlice, null, null, null, false, "a\u0007bell")))
                        .code())
                .isEqualTo("description_invalid");
        String secret = Secrets.generate(SecretKind.ACCESS_TOKEN);
        assertThat(refused(() -> issuing.token(new TokenRequest(asAlice, null, null, null, false, "mine: " + secret)))
                        .code())
                .isEqualTo("description_invalid");
        assertThat(refused(() -> issuing.token(
                                new TokenRequest(account(root, true), bob.username(), null, null, false, null)))
                        .code())
                .isEqualTo("user_disabled");
        assertThat(refused(() -> issuing.token(
                                new TokenRequest(Issuer.COMMAND_LINE, "nobody-" + SEQ.get(), null, null, false, null)))
                        .code())
                .isEqualTo("user_unknown");
        assertThat(refused(() -> issuing.token(new TokenRequest(Issuer.COMMAND_LINE, null, null, null, false, null)))
                        .code())
                .isEqualTo("body_invalid");
        assertThat(refused(() -> issuing.key(new KeyRequest(narrowedAlice, null, null)))
                        .code())
                .isEqualTo("forbidden");
        assertThat(refused(() -> issuing.key(new KeyRequest(asAlice, null, T0))).code())
                .isEqualTo("body_invalid");
        assertThat(refused(() -> issuing.key(
                                new KeyRequest(asAlice, "x".repeat(CredentialIssuer.MAX_DESCRIPTION + 1), null)))
                        .code())
                .isEqualTo("description_invalid");
    }

    @Test
    void aUserNamingAnotherAccountLearnsNothingAboutIt() {
        User alice = newUser(false);
        User bob = newUser(false);
        Issuer.Account asAlice = account(alice, true);
        Failure existing =
                refused(() -> issuing.token(new TokenRequest(asAlice, bob.username(), null, null, false, null)));
        Failure missing = refused(() ->
                issuing.token(new TokenRequest(asAlice, "nobody-" + SEQ.incrementAndGet(), null, null, false, null)));
        assertThat(missing).isEqualTo(existing);
        assertThat(existing)
                .isEqualTo(new Failure.Denied("forbidden", "only administrators may issue tokens for other users"));
        // an administrator is told the truth
        assertThat(refused(() ->
                        issuing.token(new TokenRequest(Issuer.COMMAND_LINE, "nobody-x", null, null, false, null))))
                .isEqualTo(new Failure.Invalid("user_unknown", "there is no user named 'nobody-x'"));
    }

    // ---- keys

    @Test
    void aKeyIsTheIssuersOwnAndExpiresOnTheInjectedClock() {
        User alice = newUser(false);
        CredentialService.Issued k = issuing.key(new KeyRequest(account(alice, true), "laptop", T0 + HOUR_MS));
        assertThat(k.stored().userId()).isEqualTo(alice.id());
        assertThat(k.stored().createdAt()).isEqualTo(T0);
        assertThat(k.stored().description()).isEqualTo("laptop");
        assertThat(k.refreshSecret()).isNull();
        assertThat(credentials.resolve(SecretKind.ACCESS_KEY, k.secret())).isPresent();
        now.set(T0 + HOUR_MS);
        assertThat(credentials.resolve(SecretKind.ACCESS_KEY, k.secret())).isEmpty();
        // and "in the past" is judged on the same clock
        assertThat(refused(() -> issuing.key(new KeyRequest(account(alice, true), null, T0 + HOUR_MS)))
                        .code())
                .isEqualTo("body_invalid");
        assertThat(issuing.key(new KeyRequest(account(alice, true), null, null))
                        .stored()
                        .expiresAt())
                .isNull();
    }

    // ---- the refresh grant

    @Test
    void refreshKeepsSubjectScopeAndLifetimeAndEndsTheOldPairAtOnce() {
        User alice = newUser(false);
        CredentialService.Issued first =
                issuing.token(new TokenRequest(account(alice, true), null, "artifact:libs/**:r", 600L, true, "ci"));
        assertThat(first.refreshSecret()).startsWith("cofrt_");
        // later than the access token's expiry: the refresh token still trades
        long later = T0 + 3 * HOUR_MS;
        now.set(later);
        Refresh r = issuing.refresh(" " + first.refreshSecret() + " ");
        assertThat(r).isInstanceOf(Refresh.Renewed.class);
        Refresh.Renewed renewed = (Refresh.Renewed) r;
        StoredCredential n = renewed.issued().stored();
        assertThat(renewed.owner().id()).isEqualTo(alice.id());
        assertThat(n.userId()).isEqualTo(alice.id());
        assertThat(n.scope()).isEqualTo("artifact:libs/**:r");
        assertThat(n.description()).isEqualTo("ci");
        assertThat(n.issuedBy()).isEqualTo(alice.username());
        assertThat(n.createdAt()).isEqualTo(later);
        assertThat(n.expiresAt()).isEqualTo(later + 600_000);
        assertThat(n.id()).isNotEqualTo(first.stored().id());
        assertThat(renewed.issued().secret()).isNotEqualTo(first.secret());
        assertThat(renewed.issued().refreshSecret()).isNotEqualTo(first.refreshSecret());
        // the old pair is gone, not merely expired: back within its lifetime, it still does not resolve
        now.set(T0 + 1);
        assertThat(credentials.resolve(SecretKind.ACCESS_TOKEN, first.secret())).isEmpty();
        assertThat(credentials.find(SecretKind.ACCESS_TOKEN, first.stored().id()))
                .isEmpty();
        assertThat(issuing.refresh(first.refreshSecret()))
                .isEqualTo(new Refresh.Refused(null, "unknown or already used refresh token"));
        assertThat(credentials.resolve(SecretKind.ACCESS_TOKEN, renewed.issued().secret()))
                .isPresent();
    }

    @Test
    void aNeverExpiringTokenRefreshesIntoANeverExpiringOne() {
        User alice = newUser(false);
        CredentialService.Issued first =
                issuing.token(new TokenRequest(Issuer.COMMAND_LINE, alice.username(), null, 0L, true, null));
        Refresh r = issuing.refresh(first.refreshSecret());
        assertThat(r).isInstanceOfSatisfying(Refresh.Renewed.class, n -> {
            assertThat(n.issued().stored().expiresAt()).isNull();
            assertThat(n.issued().stored().issuedBy()).isEqualTo("cli");
        });
    }

    @Test
    void noRefreshForADisabledOwnerAndThePairEnds() {
        User carol = newUser(false);
        CredentialService.Issued first =
                issuing.token(new TokenRequest(account(carol, true), null, null, 600L, true, null));
        services.users().put(carol.username(), new UserService.UserChange(null, null, null, null, true));
        assertThat(issuing.refresh(first.refreshSecret()))
                .isEqualTo(new Refresh.Refused(carol.username(), "the owner of this token is disabled or gone"));
        assertThat(credentials.find(SecretKind.ACCESS_TOKEN, first.stored().id()))
                .isEmpty();
        assertThat(credentials.list(SecretKind.ACCESS_TOKEN, carol.id()))
                .as("no new pair either")
                .isEmpty();
        // enabled again, the old refresh token stays dead
        services.users().put(carol.username(), new UserService.UserChange(null, null, null, null, false));
        assertThat(issuing.refresh(first.refreshSecret()))
                .isEqualTo(new Refresh.Refused(null, "unknown or already used refresh token"));
    }

    @Test
    void noRefreshOnceTheOwnerIsDeleted() {
        User dave = newUser(false);
        CredentialService.Issued first =
                issuing.token(new TokenRequest(account(dave, true), null, null, 600L, true, null));
        assertThat(services.users().delete(dave.username())).isTrue();
        assertThat(issuing.refresh(first.refreshSecret())).isInstanceOf(Refresh.Refused.class);
        assertThat(credentials.list(SecretKind.ACCESS_TOKEN, dave.id())).isEmpty();
    }

    @Test
    void onlyAWellFormedRefreshTokenIsLookedUp() {
        User alice = newUser(false);
        CredentialService.Issued t =
                issuing.token(new TokenRequest(account(alice, true), null, null, 600L, true, null));
        String mistyped = t.refreshSecret().substring(0, t.refreshSecret().length() - 1)
                + (t.refreshSecret().endsWith("A") ? "B" : "A");
        for (String bad : List.of("", "garbage", t.secret(), mistyped)) {
            assertThat(issuing.refresh(bad))
                    .as(bad)
                    .isEqualTo(new Refresh.Refused(null, "malformed or mistyped refresh token"));
        }
        assertThat(issuing.refresh(null)).isEqualTo(new Refresh.Refused(null, "malformed or mistyped refresh token"));
        assertThat(issuing.refresh(Secrets.generate(SecretKind.REFRESH_TOKEN)))
                .isEqualTo(new Refresh.Refused(null, "unknown or already used refresh token"));
        assertThat(credentials.resolve(SecretKind.ACCESS_TOKEN, t.secret()))
                .as("untouched")
                .isPresent();
    }
}
