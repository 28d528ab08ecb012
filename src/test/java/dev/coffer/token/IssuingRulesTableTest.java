package dev.coffer.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.authz.Scope;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.identity.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every issuing rule (API.md §4, §5, §11) for every kind of issuer: an administrator and a user,
 * each with a full and with a narrowed credential, the command line and an OIDC identity mapping.
 * Pure: a fixed instant, no server, no sleeps.
 */
final class IssuingRulesTableTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long HOUR = 3600;
    private static final long DAY = 24 * HOUR;
    private static final long YEAR = 365 * DAY;
    /** token.ttl 365 days, token.max-lifetime 30 days: the two are told apart in every row. */
    private static final IssuingRules RULES = new IssuingRules(Duration.ofDays(365), Duration.ofDays(30));

    private static User user(long id, String name, boolean admin, boolean disabled, String... groups) {
        return new User(id, name, "hash", null, admin, disabled, Set.of(groups), 0, 0);
    }

    static final User ROOT = user(1, "root", true, false);
    static final User ALICE = user(2, "alice", false, false, "dev");
    static final User BOB = user(3, "bob", false, false, "ops");
    static final User CAROL = user(4, "carol", false, true, "dev");
    private static final Map<String, User> USERS = Map.of("root", ROOT, "alice", ALICE, "bob", BOB, "carol", CAROL);

    /**
     * The issuers, in the order of the table's columns. The narrowed administrator keeps its admin
     * flag here (Caller.isAdmin() would already drop it): narrowing must win on its own.
     */
    static final List<Issuer> ISSUERS = List.of(
            new Issuer.Account(1, "root", true, true),
            new Issuer.Account(1, "root", true, false),
            new Issuer.Account(2, "alice", false, true),
            new Issuer.Account(2, "alice", false, false),
            Issuer.COMMAND_LINE,
            new Issuer.Mapping("github", "deploy", Duration.ofHours(1)));

    /**
     * subject | scope | expires_in (- for none) | then one answer per issuer: a lifetime (s, h, d,
     * y = 365 d; "+1" adds a second), "never", 403, or 400 and the error code.
     */
    private static final String TABLE = """
            # subject | scope                                | asked   | admin | admin narrowed | user | user narrowed | cli  | mapping
            alice | applied-permissions/user                 | -       | 365d  | 403 | 30d  | 403 | 365d  | 1h
            root  | applied-permissions/user                 | -       | 365d  | 403 | 403  | 403 | 365d  | 1h
            bob   | applied-permissions/user                 | -       | 365d  | 403 | 403  | 403 | 365d  | 1h
            carol | applied-permissions/user                 | -       | 400 user_disabled | 403 | 403 | 403 | 400 user_disabled | 400 user_disabled
            alice | applied-permissions/admin                | -       | 365d  | 403 | 403  | 403 | 365d  | 1h
            alice | applied-permissions/groups:dev           | -       | 365d  | 403 | 30d  | 403 | 365d  | 1h
            alice | applied-permissions/groups:ops           | -       | 365d  | 403 | 403  | 403 | 365d  | 1h
            alice | applied-permissions/groups:dev,ops       | -       | 365d  | 403 | 403  | 403 | 365d  | 1h
            alice | applied-permissions/groups:dev artifact:libs/**:r | - | 365d | 403 | 30d | 403 | 365d | 1h
            alice | artifact:libs/**:r,w                     | -       | 365d  | 403 | 30d  | 403 | 365d  | 1h
            alice | applied-permissions/user                 | 0       | never | 403 | 403  | 403 | never | 400 expires_in_invalid
            alice | applied-permissions/user                 | 1h      | 1h    | 403 | 1h   | 403 | 1h    | 1h
            alice | applied-permissions/user                 | 1h+1    | 1h+1  | 403 | 1h+1 | 403 | 1h+1  | 400 expires_in_invalid
            alice | applied-permissions/user                 | 30d     | 30d   | 403 | 30d  | 403 | 30d   | 400 expires_in_invalid
            alice | applied-permissions/user                 | 30d+1   | 30d+1 | 403 | 400 expires_in_invalid | 403 | 30d+1 | 400 expires_in_invalid
            alice | applied-permissions/user                 | 100y    | 100y  | 403 | 400 expires_in_invalid | 403 | 100y  | 400 expires_in_invalid
            alice | applied-permissions/user                 | 100y+1  | 400 expires_in_invalid | 403 | 400 expires_in_invalid | 403 | 400 expires_in_invalid | 400 expires_in_invalid
            alice | applied-permissions/user                 | -1      | 400 expires_in_invalid | 403 | 400 expires_in_invalid | 403 | 400 expires_in_invalid | 400 expires_in_invalid
            bob   | applied-permissions/user                 | 0       | never | 403 | 403  | 403 | never | 400 expires_in_invalid
            carol | applied-permissions/admin                | 0       | 400 user_disabled | 403 | 403 | 403 | 400 user_disabled | 400 user_disabled
            """;

    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (String line : TABLE.strip().split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\\|");
            assertThat(cells).as(line).hasSize(3 + ISSUERS.size());
            User subject = USERS.get(cells[0].strip());
            Scope scope = Scope.parse(cells[1].strip());
            String asked = cells[2].strip();
            Long expiresIn = asked.equals("-") ? null : seconds(asked);
            for (int i = 0; i < ISSUERS.size(); i++) {
                rows.add(Arguments.of(ISSUERS.get(i), subject, scope, expiresIn, cells[3 + i].strip()));
            }
        }
        return rows.stream();
    }

    /** "30d", "1h+1", "100y", "-1", "0": seconds. */
    static long seconds(String text) {
        String[] parts = text.split("\\+");
        long base;
        if (parts[0].endsWith("y") || parts[0].endsWith("d") || parts[0].endsWith("h")) {
            long n = Long.parseLong(parts[0].substring(0, parts[0].length() - 1));
            long unit = switch (parts[0].charAt(parts[0].length() - 1)) {
                case 'y' -> YEAR;
                case 'd' -> DAY;
                default -> HOUR;
            };
            base = n * unit;
        } else {
            base = Long.parseLong(parts[0]);
        }
        return parts.length > 1 ? base + Long.parseLong(parts[1]) : base;
    }

    @ParameterizedTest(name = "{0} for {1}, {2}, expires_in {3}: {4}")
    @MethodSource("table")
    void everyRuleForEveryIssuer(Issuer issuer, User subject, Scope scope, Long expiresIn, String expected) {
        IssuingRules.Verdict verdict = RULES.token(issuer, subject, scope, expiresIn, NOW);
        assertVerdict(verdict, expected);
        // the check before the subject lookup never refuses what the whole rule allows
        if (verdict instanceof IssuingRules.Verdict.Allowed) {
            assertThat(RULES.mayName(issuer, subject.username())).isEmpty();
        }
    }

    static void assertVerdict(IssuingRules.Verdict verdict, String expected) {
        if (expected.equals("403")) {
            assertThat(verdict)
                    .isInstanceOfSatisfying(
                            IssuingRules.Verdict.Refused.class,
                            r -> assertThat(r.failure())
                                    .isEqualTo(new Failure.Denied(
                                            "forbidden", r.failure().message())));
        } else if (expected.startsWith("400 ")) {
            assertThat(verdict)
                    .isInstanceOfSatisfying(
                            IssuingRules.Verdict.Refused.class,
                            r -> assertThat(r.failure())
                                    .isEqualTo(new Failure.Invalid(
                                            expected.substring(4), r.failure().message())));
        } else if (expected.equals("never")) {
            assertThat(verdict).isEqualTo(new IssuingRules.Verdict.Allowed(null));
        } else {
            assertThat(verdict).isEqualTo(new IssuingRules.Verdict.Allowed(NOW + seconds(expected) * 1000));
        }
    }

    @Test
    void theRefusalsSayWhy() {
        Issuer.Account alice = (Issuer.Account) ISSUERS.get(2);
        assertThat(message(RULES.token(ISSUERS.get(3), ALICE, Scope.USER, null, NOW)))
                .isEqualTo("a token with a narrowed scope cannot create keys or tokens");
        assertThat(message(RULES.token(alice, BOB, Scope.USER, null, NOW)))
                .isEqualTo("only administrators may issue tokens for other users");
        assertThat(message(RULES.token(alice, ALICE, Scope.ADMIN, null, NOW)))
                .isEqualTo("only administrators may issue applied-permissions/admin");
        assertThat(message(RULES.token(alice, ALICE, Scope.parse("applied-permissions/groups:ops"), null, NOW)))
                .isEqualTo("the token's groups must be groups of alice");
        assertThat(message(RULES.token(alice, ALICE, Scope.USER, 0L, NOW)))
                .isEqualTo("only administrators may issue tokens that never expire");
        assertThat(message(RULES.token(alice, ALICE, Scope.USER, 30 * DAY + 1, NOW)))
                .isEqualTo("expires_in may be at most 2592000 seconds for a user who is not an administrator "
                        + "(setting token.max-lifetime)");
        assertThat(message(RULES.token(ISSUERS.get(5), ALICE, Scope.USER, 0L, NOW)))
                .isEqualTo("expires_in may be at most 3600 seconds for tokens of the identity mapping "
                        + "'github/deploy' (its expires_in)");
        assertThat(message(RULES.token(Issuer.COMMAND_LINE, CAROL, Scope.USER, null, NOW)))
                .isEqualTo("user 'carol' is disabled; no token is issued for a disabled user");
        assertThat(message(RULES.token(Issuer.COMMAND_LINE, ALICE, Scope.USER, 100 * YEAR + 1, NOW)))
                .isEqualTo("expires_in must be 0 (never) or a number of seconds up to 3153600000 (100 years)");
    }

    private static String message(IssuingRules.Verdict v) {
        assertThat(v).isInstanceOf(IssuingRules.Verdict.Refused.class);
        return ((IssuingRules.Verdict.Refused) v).failure().message();
    }

    // ---- before the subject is looked up

    @Test
    void aUserLearnsNothingOfOtherAccountsBeforeTheLookup() {
        Issuer alice = ISSUERS.get(2);
        // whether 'bob' or 'nobody-at-all' exists, the answer is the same 403, decided on the name alone
        for (String other : List.of("bob", "nobody-at-all", "ALICE")) {
            assertThat(RULES.mayName(alice, other))
                    .get()
                    .isEqualTo(new Failure.Denied("forbidden", "only administrators may issue tokens for other users"));
        }
        assertThat(RULES.mayName(alice, "alice")).isEmpty();
        for (Issuer admin : List.of(ISSUERS.get(0), Issuer.COMMAND_LINE, ISSUERS.get(5))) {
            assertThat(RULES.mayName(admin, "nobody-at-all")).as("%s", admin).isEmpty();
        }
        // narrowed: refused before anything else, even a name that is too long
        assertThat(RULES.mayName(ISSUERS.get(1), "x".repeat(300)))
                .get()
                .extracting(Failure::code)
                .isEqualTo("forbidden");
        assertThat(RULES.mayName(ISSUERS.get(3), "alice"))
                .get()
                .extracting(Failure::code)
                .isEqualTo("forbidden");
    }

    @Test
    void aSubjectNameIsBounded() {
        String longest = "a".repeat(IssuingRules.MAX_USERNAME_CHARS);
        assertThat(RULES.mayName(Issuer.COMMAND_LINE, longest)).isEmpty();
        assertThat(RULES.mayName(Issuer.COMMAND_LINE, longest + "a"))
                .get()
                .isEqualTo(new Failure.Invalid("body_invalid", "username is longer than 255 characters"));
        assertThat(RULES.mayName(ISSUERS.get(2), longest + "a"))
                .get()
                .extracting(Failure::code)
                .isEqualTo("body_invalid");
    }

    // ---- lifetimes from the settings

    @Test
    void theDefaultLifetimeOfAUserIsCappedTooAndNoSettingGoesBeyondAHundredYears() {
        IssuingRules shortCap = new IssuingRules(Duration.ofDays(365), Duration.ofHours(1));
        assertThat(shortCap.token(ISSUERS.get(2), ALICE, Scope.USER, null, NOW))
                .isEqualTo(new IssuingRules.Verdict.Allowed(NOW + HOUR * 1000));
        assertThat(shortCap.token(ISSUERS.get(0), ALICE, Scope.USER, null, NOW))
                .isEqualTo(new IssuingRules.Verdict.Allowed(NOW + YEAR * 1000));
        IssuingRules huge = new IssuingRules(Duration.ofDays(365 * 500), Duration.ofDays(365 * 500));
        for (Issuer issuer : List.of(ISSUERS.get(0), ISSUERS.get(2), Issuer.COMMAND_LINE)) {
            assertThat(huge.token(issuer, ALICE, Scope.USER, null, NOW))
                    .as("%s", issuer)
                    .isEqualTo(new IssuingRules.Verdict.Allowed(NOW + 100 * YEAR * 1000));
        }
    }

    @Test
    void aMappingLivesBetweenASecondAndAHundredYears() {
        assertThatThrownBy(() -> new Issuer.Mapping("github", "deploy", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Issuer.Mapping("github", "deploy", IssuingRules.MAX_LIFETIME.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Issuer.Mapping("github", "deploy", IssuingRules.MAX_LIFETIME).label())
                .isEqualTo("oidc:github/deploy");
    }

    // ---- personal access keys

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTable")
    void keyExpiries(String what, Long expiresAt, String full) {
        for (int i = 0; i < 4; i++) {
            Issuer.Account account = (Issuer.Account) ISSUERS.get(i);
            // a key's bounds are the same for administrators and users; a narrowed credential mints none
            String expected = account.fullRights() ? full : "403";
            IssuingRules.Verdict v = RULES.key(account, expiresAt, NOW);
            if (expected.equals("ok")) {
                assertThat(v).as("%s", account).isEqualTo(new IssuingRules.Verdict.Allowed(expiresAt));
            } else {
                assertVerdict(v, expected);
            }
        }
    }

    static Stream<Arguments> keyTable() {
        long hundredYears = IssuingRules.MAX_LIFETIME.toMillis();
        return Stream.of(
                Arguments.of("no expiry", null, "ok"),
                Arguments.of("a millisecond from now", NOW + 1, "ok"),
                Arguments.of("a hundred years from now", NOW + hundredYears, "ok"),
                Arguments.of("now", NOW, "400 body_invalid"),
                Arguments.of("in the past", 0L, "400 body_invalid"),
                Arguments.of("far in the past", Long.MIN_VALUE, "400 body_invalid"),
                Arguments.of("beyond a hundred years", NOW + hundredYears + 1, "400 body_invalid"),
                Arguments.of("at the end of time", Long.MAX_VALUE, "400 body_invalid"));
    }

    @Test
    void aRefusalThrowsItsFailure() {
        IssuingRules.Verdict refused = RULES.token(ISSUERS.get(2), BOB, Scope.USER, null, NOW);
        assertThatThrownBy(refused::expiresAtOrThrow)
                .isInstanceOfSatisfying(
                        CofferException.class,
                        e -> assertThat(e.failure()).isEqualTo(((IssuingRules.Verdict.Refused) refused).failure()));
        assertThat(new IssuingRules.Verdict.Allowed(null).expiresAtOrThrow()).isNull();
        assertThat(new IssuingRules.Verdict.Allowed(5L).expiresAtOrThrow()).isEqualTo(5L);
    }
}
