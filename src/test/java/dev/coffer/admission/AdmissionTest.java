package dev.coffer.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.authz.Principal;
import dev.coffer.authz.Scope;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.Failure;
import dev.coffer.common.MemoryOnly;
import dev.coffer.credential.AuthMethod;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Caller;
import dev.coffer.credential.PresentedCredentials;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Admission on its own, with no server: a request is authenticated once however often it is
 * admitted, credentials that do not check out are refused whatever the requirement, and each kind
 * of requirement decides as the contract says.
 */
class AdmissionTest {
    private static final Caller ALICE = user(2, "alice", false, AuthMethod.ACCESS_KEY);
    private static final Caller ADMIN = user(1, "admin", true, AuthMethod.PASSWORD);
    /** An administrator's token narrowed to one repository: not an administrator. */
    private static final Caller NARROW_ADMIN = new Caller(
            new Principal.User(1, "admin", true, Set.of(), Scope.parse("artifact:libs/**:r")),
            AuthMethod.ACCESS_TOKEN,
            "t1");

    private static Caller user(long id, String name, boolean admin, AuthMethod method) {
        return new Caller(new Principal.User(id, name, admin, Set.of(), Scope.USER), method, null);
    }

    /** A request: method, raw path, headers by lower-case name, route parameters. */
    private static final class View implements RequestView {
        final String method;
        final String path;
        final Map<String, List<String>> headers;
        final Map<String, String> params;
        final Ticket ticket = new Ticket();

        View(String method, String path, Map<String, List<String>> headers, Map<String, String> params) {
            this.method = method;
            this.path = path;
            this.headers = headers;
            this.params = params;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String rawPath() {
            return path;
        }

        @Override
        public Iterator<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of())
                    .iterator();
        }

        @Override
        public String clientAddress() {
            return "192.0.2.7";
        }

        @Override
        public String pathParam(String name) {
            return params.get(name);
        }

        @Override
        public Ticket ticket() {
            return ticket;
        }
    }

    private static View get(String path) {
        return new View("GET", path, Map.of(), Map.of());
    }

    /**
     * alice may read and write libs/pub/**, read somewhere below libs/team (only libs/team/a/**),
     * and manage the repository "managed"; administrators may do anything, an administrator's token
     * narrowed to reading libs only that; "libs" and "managed" exist.
     */
    private static class Table implements Rights {
        final AtomicInteger asked = new AtomicInteger();

        @Override
        public boolean allows(Caller caller, Action action, String repo, ArtifactPath path) {
            asked.incrementAndGet();
            if (caller.isAdmin()) {
                return true;
            }
            if (narrowed(caller)) {
                return repo.equals("libs") && action == Action.READ;
            }
            return "alice".equals(caller.username())
                    && repo.equals("libs")
                    && (path.toString().startsWith("pub/")
                                    && EnumSet.of(Action.READ, Action.WRITE).contains(action)
                            || path.toString().startsWith("team/a/") && action == Action.READ);
        }

        @Override
        public boolean mayActUnder(Caller caller, Action action, String repo, ArtifactPath folder) {
            return "alice".equals(caller.username())
                    && repo.equals("libs")
                    && action == Action.READ
                    && (folder.isRoot() || "team".equals(folder.toString()));
        }

        @Override
        public String whyNot(Caller caller, Action action, String repo, ArtifactPath path) {
            return "no permission target grants '" + action.letter() + "' on " + repo + "/" + path;
        }

        @Override
        public Set<Action> actionsIn(Caller caller, String repo) {
            if (caller.isAdmin()) {
                return EnumSet.allOf(Action.class);
            }
            if (narrowed(caller)) {
                return repo.equals("libs") ? EnumSet.of(Action.READ) : Set.of();
            }
            if (!"alice".equals(caller.username())) {
                return Set.of();
            }
            return switch (repo) {
                case "libs" -> EnumSet.of(Action.READ, Action.WRITE);
                case "managed" -> EnumSet.of(Action.MANAGE);
                default -> Set.of();
            };
        }

        @Override
        public boolean repositoryExists(String repo) {
            return repo.equals("libs") || repo.equals("managed");
        }

        private static boolean narrowed(Caller caller) {
            return caller.principal() instanceof Principal.User u && u.admin() && !caller.isAdmin();
        }
    }

    /** Authenticates every request as {@code result}, counting how often it was asked. */
    private static final class Counting implements Function<PresentedCredentials, AuthResult> {
        final AtomicInteger calls = new AtomicInteger();
        final List<PresentedCredentials> seen = new ArrayList<>();
        final AuthResult result;

        Counting(AuthResult result) {
            this.result = result;
        }

        @Override
        public AuthResult apply(PresentedCredentials pc) {
            calls.incrementAndGet();
            seen.add(pc);
            return result;
        }
    }

    private static final Requirement READ = new Requirement.RepoAction(Action.READ, Locator.under("/repository/"));

    @Test
    void aRequestIsAuthenticatedOnceHoweverOftenItIsAdmitted() {
        Counting auth = new Counting(new AuthResult.Accepted(ALICE));
        Admission admission = new Admission(auth, new Table());
        View request = new View(
                "GET",
                "/repository/libs/pub/a.jar",
                Map.of("x-auth-accesskey", List.of("cofak_whatever")),
                Map.of("repo", "libs"));
        assertThat(admission.admit(request, READ)).isInstanceOf(Result.Admitted.class);
        assertThat(admission.admit(request, READ)).isInstanceOf(Result.Admitted.class);
        assertThat(admission.admit(request, new Requirement.RepoSomeAction("repo")))
                .isInstanceOf(Result.Admitted.class);
        assertThat(admission.admit(request, new Requirement.Admin())).isInstanceOf(Result.Denied.class);
        assertThat(auth.calls).hasValue(1);
        assertThat(auth.seen.get(0).accessKey()).isEqualTo("cofak_whatever");
        assertThat(auth.seen.get(0).clientAddress()).isEqualTo("192.0.2.7");
        assertThat(request.ticket().outcome()).contains(new Ticket.Outcome(AuthMethod.ACCESS_KEY, ALICE));
        assertThat(request.ticket().decision()).containsInstanceOf(Result.Denied.class);
    }

    /**
     * The fast path admits on a thread that may not wait: what would wait is refused there, and the
     * same request admitted again where waiting is allowed reuses the authentication.
     */
    @Test
    void aDecisionThatWouldWaitIsTakenAgainWithTheSameAuthentication() {
        Counting auth = new Counting(new AuthResult.Accepted(ALICE));
        Table waits = new Table() {
            @Override
            public boolean allows(Caller caller, Action action, String repo, ArtifactPath path) {
                MemoryOnly.check(); // as a permission index not loaded yet would
                return super.allows(caller, action, repo, path);
            }
        };
        Admission admission = new Admission(auth, waits);
        View request = get("/repository/libs/pub/a.jar");
        assertThatThrownBy(() -> MemoryOnly.call(() -> admission.admit(request, READ)))
                .isInstanceOf(MemoryOnly.WouldWait.class);
        assertThat(auth.calls).hasValue(1);
        Result again = admission.admit(request, READ);
        assertThat(again).isInstanceOf(Result.Admitted.class);
        assertThat(((Result.Admitted) again).targetAllowed()).isTrue();
        assertThat(auth.calls).hasValue(1);
    }

    /** A repeated credential header reaches the authenticator as such (it refuses it as ambiguous). */
    @Test
    void credentialHeadersAreReadWithEveryValue() {
        Counting auth = new Counting(new AuthResult.Accepted(Caller.ANONYMOUS));
        new Admission(auth, new Table())
                .admit(
                        new View(
                                "GET",
                                "/api/me",
                                Map.of("authorization", List.of("Bearer a", "Bearer b"), "circle-token", List.of("c")),
                                Map.of()),
                        new Requirement.Anyone("test"));
        PresentedCredentials pc = auth.seen.get(0);
        assertThat(pc.authorization()).isEqualTo("Bearer a");
        assertThat(pc.circleToken()).isEqualTo("c");
        assertThat(pc.repeated()).isEqualTo("Authorization");
    }

    /** API.md §4 rule 2: credentials that do not check out are refused, never taken for anonymous. */
    @Test
    void rejectedCredentialsAreRefusedWhateverTheRequirement() {
        AuthResult.Rejected bad = new AuthResult.Rejected(
                new Failure.Unauthenticated("credentials_invalid", "unknown access key"), AuthMethod.ACCESS_KEY, null);
        for (Requirement r : List.of(
                new Requirement.Anyone("open"),
                new Requirement.Authenticated(),
                new Requirement.Admin(),
                new Requirement.SelfOrAdmin("username"),
                READ,
                new Requirement.RepoSomeAction("repo"),
                new Requirement.RepoManage("repo"))) {
            Table rights = new Table();
            View request = new View("GET", "/repository/libs/pub/a.jar", Map.of(), Map.of("repo", "libs"));
            Result result = new Admission(new Counting(bad), rights).admit(request, r);
            assertThat(result).as(r.toString()).isEqualTo(new Result.Rejected(bad));
            assertThat(rights.asked).as("decided nothing for " + r).hasValue(0);
            assertThat(request.ticket().outcome()).contains(new Ticket.Outcome(AuthMethod.ACCESS_KEY, null));
        }
    }

    private static Result admit(Caller caller, View request, Requirement requirement) {
        return new Admission(new Counting(new AuthResult.Accepted(caller)), new Table()).admit(request, requirement);
    }

    /** The answer's status family: "ok", 401, 403 or 400. */
    private static String outcome(Result r) {
        if (r instanceof Result.Admitted) {
            return "ok";
        }
        Failure f = ((Result.Refused) r).failure();
        return f instanceof Failure.Unauthenticated u
                ? "401 " + u.code()
                : f instanceof Failure.Denied
                        ? "403"
                        : f instanceof Failure.Invalid i ? "400 " + i.code() : f.toString();
    }

    @Test
    void eachRequirementDecidesAsTheContractSays() {
        View users = new View("GET", "/api/users/alice", Map.of(), Map.of("username", "alice"));
        View other = new View("GET", "/api/users/bob", Map.of(), Map.of("username", "bob"));
        View libs = new View("GET", "/api/repositories/libs", Map.of(), Map.of("repo", "libs"));
        View managed = new View("PUT", "/api/repositories/managed", Map.of(), Map.of("repo", "managed"));
        View fresh = new View("PUT", "/api/repositories/fresh", Map.of(), Map.of("repo", "fresh"));
        record Row(
                Requirement requirement,
                View request,
                String anonymous,
                String alice,
                String admin,
                String narrowAdmin) {}
        Requirement self = new Requirement.SelfOrAdmin("username");
        Requirement some = new Requirement.RepoSomeAction("repo");
        Requirement manage = new Requirement.RepoManage("repo");
        String needs = "401 authentication_required";
        List<Row> rows = List.of(
                new Row(new Requirement.Anyone("open"), get("/api/me"), "ok", "ok", "ok", "ok"),
                new Row(new Requirement.Authenticated(), get("/api/access-keys"), needs, "ok", "ok", "ok"),
                new Row(new Requirement.Admin(), get("/api/users"), needs, "403", "ok", "403"),
                new Row(self, users, needs, "ok", "ok", "403"),
                new Row(self, other, needs, "403", "ok", "403"),
                new Row(some, libs, needs, "ok", "ok", "ok"),
                new Row(
                        some,
                        new View("GET", "/api/repositories/x", Map.of(), Map.of("repo", "x")),
                        needs,
                        "403",
                        "ok",
                        "403"),
                new Row(manage, managed, needs, "ok", "ok", "403"),
                new Row(manage, libs, needs, "403", "ok", "403"),
                new Row(manage, fresh, needs, "403", "ok", "403"),
                new Row(READ, get("/repository/libs/pub/a.jar"), needs, "ok", "ok", "ok"),
                new Row(READ, get("/repository/libs/secret/a.jar"), needs, "403", "ok", "ok"),
                new Row(
                        READ,
                        get("/repository/libs/a%2F..%2Fb"),
                        "400 path_invalid",
                        "400 path_invalid",
                        "400 path_invalid",
                        "400 path_invalid"),
                new Row(
                        READ,
                        get("/repository/libs/a.jar;x=1"),
                        "400 path_invalid",
                        "400 path_invalid",
                        "400 path_invalid",
                        "400 path_invalid"));
        for (Row row : rows) {
            String what = row.requirement() + " on " + row.request().rawPath();
            assertThat(outcome(admit(Caller.ANONYMOUS, fresh(row.request()), row.requirement())))
                    .as("anonymous: " + what)
                    .isEqualTo(row.anonymous());
            assertThat(outcome(admit(ALICE, fresh(row.request()), row.requirement())))
                    .as("alice: " + what)
                    .isEqualTo(row.alice());
            assertThat(outcome(admit(ADMIN, fresh(row.request()), row.requirement())))
                    .as("admin: " + what)
                    .isEqualTo(row.admin());
            assertThat(outcome(admit(NARROW_ADMIN, fresh(row.request()), row.requirement())))
                    .as("narrowed admin token: " + what)
                    .isEqualTo(row.narrowAdmin());
        }
    }

    private static View fresh(View v) {
        return new View(v.method, v.path, v.headers, v.params);
    }

    /**
     * A read is let through for what lies below a folder, but only the exact target's decision lets
     * the handler (or the fast path) serve it; matrix parameters are properties of uploads only.
     */
    @Test
    void repositoryTargetsAreDecidedBeforeAnythingIsLookedUp() {
        Result folder = admit(ALICE, get("/repository/libs/team"), READ);
        assertThat(folder).isInstanceOf(Result.Admitted.class);
        Result.Admitted a = (Result.Admitted) folder;
        assertThat(a.targetAllowed()).isFalse();
        assertThat(a.target()).get().extracting(RepoTarget::repo).isEqualTo("libs");
        // writing below is no reason to let a write through
        Requirement write = new Requirement.RepoAction(Action.WRITE, Locator.uploadUnder("/repository/"));
        assertThat(outcome(admit(ALICE, new View("PUT", "/repository/libs/team", Map.of(), Map.of()), write)))
                .isEqualTo("403");
        Result upload = admit(ALICE, new View("PUT", "/repository/libs/pub/a.jar;build=7", Map.of(), Map.of()), write);
        assertThat(upload).isInstanceOf(Result.Admitted.class);
        assertThat(((Result.Admitted) upload).target().orElseThrow().matrix()).containsEntry("build", List.of("7"));
        // a denial names the target, for the audit record
        Result denied = admit(ALICE, get("/repository/libs/secret/a.jar"), READ);
        assertThat(((Result.Denied) denied).target())
                .get()
                .extracting(t -> t.path().toString())
                .isEqualTo("secret/a.jar");
        assertThat(((Result.Denied) denied).failure().message()).contains("no permission target grants 'r'");
    }
}
