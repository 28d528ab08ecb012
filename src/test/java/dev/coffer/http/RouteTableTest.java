package dev.coffer.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.coffer.admission.Locator;
import dev.coffer.admission.Requirement;
import dev.coffer.common.Action;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import io.javalin.http.HandlerType;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deny by default: walks the route table, checks what each route declares and what it answers to a stranger. */
class RouteTableTest {
    private static TestServer server;

    /** Routes that anonymous callers may use (API.md §4 rule 1); anything new must be added here on purpose. */
    private static final Set<String> OPEN_TO_ANONYMOUS = Set.of(
            "GET /api/health",
            "GET /api/me",
            "GET /api/repositories",
            "POST /api/tokens",
            "POST /access/api/v1/tokens",
            "GET /api/builds/{buildName}/{buildNumber}/artifacts",
            "GET /api/access/check",
            // npm login checks the password in its body; npm's web login is answered 404 so npm asks for one
            "PUT /api/npm/{repo}/-/user/org.couchdb.user:{user}",
            "POST /api/npm/{repo}/-/v1/login",
            "GET /api/npm/{repo}/-/ping",
            // the web UI's static files (WebRoutes) and the redirect to it
            "GET /",
            "GET /ui",
            "GET /ui/<file>");

    /**
     * Whether each kind of requirement lets an anonymous caller through. Exhaustive over the sealed
     * type: a new kind fails {@link #everyKindOfRequirementIsKnownHere} until it is added here.
     */
    private static final Map<Class<?>, Boolean> OPEN_KINDS = Map.of(
            Requirement.Anyone.class, true,
            Requirement.Authenticated.class, false,
            Requirement.Admin.class, false,
            Requirement.SelfOrAdmin.class, false,
            Requirement.RepoAction.class, false, // a private repository's; anonymous read is the repository's setting
            Requirement.RepoSomeAction.class, false,
            Requirement.RepoManage.class, false);

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.admin().putJson("/api/repositories/private", "{}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<Route> routes() {
        return server.coffer().http().routes();
    }

    @Test
    void everyKindOfRequirementIsKnownHere() {
        assertThat(Requirement.class.isSealed()).isTrue();
        assertThat(OPEN_KINDS.keySet())
                .isEqualTo(Set.copyOf(Arrays.asList(Requirement.class.getPermittedSubclasses())));
        // every route's requirement is one of them (a requirement from elsewhere could not be admitted)
        assertThat(routes())
                .isNotEmpty()
                .allSatisfy(
                        r -> assertThat(OPEN_KINDS).containsKey(r.requirement().getClass()));
    }

    @Test
    void everyRouteDeclaresWhatItNeeds() {
        assertThat(routes()).allSatisfy(r -> assertThat(r.requirement()).isNotNull());
        Set<String> open = routes().stream()
                .filter(r -> OPEN_KINDS.get(r.requirement().getClass()))
                .map(r -> r.method() + " " + r.path())
                .collect(Collectors.toSet());
        assertThat(OPEN_TO_ANONYMOUS).as("routes open to anonymous callers").containsAll(open);
    }

    @Test
    void contentAndStorageRoutesNeedTheContractsActions() {
        for (Route r : routes()) {
            if (r.path().startsWith("/repository/")) {
                Action expected = r.method() == HandlerType.PUT
                        ? Action.WRITE
                        : r.method() == HandlerType.DELETE ? Action.DELETE : Action.READ;
                Locator where = r.method() == HandlerType.PUT
                        ? Locator.uploadUnder("/repository/")
                        : Locator.under("/repository/");
                assertThat(r.requirement())
                        .as(r.method() + " " + r.path())
                        .isEqualTo(new Requirement.RepoAction(expected, where));
            }
            if (r.path().startsWith("/api/storage/")) {
                Action expected = r.method() == HandlerType.GET ? Action.READ : Action.ANNOTATE;
                assertThat(r.requirement())
                        .as(r.method() + " " + r.path())
                        .isEqualTo(new Requirement.RepoAction(expected, Locator.under("/api/storage/")));
            }
        }
    }

    /** The fast download path admits with the content route's own requirement: one decision, not two alike. */
    @Test
    void theFastPathDecidesWithTheContentRoutesRequirement() {
        List<Route> reads = routes().stream()
                .filter(r -> r.path().startsWith("/repository/")
                        && (r.method() == HandlerType.GET || r.method() == HandlerType.HEAD))
                .toList();
        assertThat(reads).hasSize(4).allSatisfy(r -> assertThat(r.requirement()).isSameAs(ContentRoutes.READ));
    }

    /** Every route that is not open answers an anonymous caller with 401 and the Basic challenge. */
    @Test
    void everyClosedRouteChallengesAnonymousCallers() {
        Http anonymous = server.anonymous();
        List<String> checked = new ArrayList<>();
        for (Route r : routes()) {
            if (OPEN_KINDS.get(r.requirement().getClass())) {
                continue;
            }
            String path = r.path()
                    .replace("{repo}", "private")
                    .replace("<path>", "some/file.txt")
                    .replace("{file}", "x-1.0.0.tgz") // an npm tarball name, else the path is 400 first
                    .replaceAll("\\{[a-z]+}", "x");
            Http.Response resp = anonymous.send(
                    r.method().name(),
                    path,
                    r.method() == HandlerType.PUT
                            ? HttpRequest.BodyPublishers.ofString("{}")
                            : HttpRequest.BodyPublishers.noBody());
            assertThat(resp.status())
                    .as(r.method() + " " + path + " -> " + resp)
                    .isEqualTo(401);
            assertThat(resp.header("WWW-Authenticate")).isEqualTo("Basic realm=\"coffer\"");
            if (r.method() != HandlerType.HEAD) {
                // npm routes answer npm's flat error shape (ISSUE 19): the same code
                String code =
                        path.startsWith("/api/npm/") ? resp.json().path("code").asText() : resp.errorCode();
                assertThat(code).isEqualTo("authentication_required");
            }
            checked.add(r.method() + " " + path);
        }
        assertThat(checked)
                .hasSizeGreaterThan(15)
                .contains("GET /api/users/x", "GET /api/repositories/private", "PUT /api/repositories/private");
    }

    /** The npm operations of API.md §10 (ISSUE 19): each must be a route of the table the walks here cover. */
    private static final List<String> NPM_OPERATIONS = npmOperations();

    private static List<String> npmOperations() {
        List<String> out = new ArrayList<>();
        for (String pkg : List.of("{pkg}", "@{scope}/{pkg}")) {
            String p = "/api/npm/{repo}/" + pkg;
            String tags = "/api/npm/{repo}/-/package/" + pkg + "/dist-tags";
            out.addAll(List.of(
                    "GET " + p,
                    "GET " + p + "/-/{file}",
                    "PUT " + p,
                    "PUT " + p + "/-rev/{rev}",
                    "DELETE " + p + "/-rev/{rev}",
                    "DELETE " + p + "/-/{file}/-rev/{rev}",
                    "GET " + tags,
                    "PUT " + tags + "/{tag}",
                    "DELETE " + tags + "/{tag}"));
        }
        out.addAll(List.of(
                "GET /api/npm/{repo}/-/v1/search",
                "GET /api/npm/{repo}/-/whoami",
                "DELETE /api/npm/{repo}/-/user/token/{token}",
                "GET /api/npm/{repo}/-/npm/v1/tokens",
                "POST /api/npm/{repo}/-/npm/v1/tokens",
                "DELETE /api/npm/{repo}/-/npm/v1/tokens/token/{key}"));
        return out;
    }

    /**
     * Every npm operation is a route of the table (so the walks above and the admission checks cover
     * it), and every closed npm route refuses an anonymous npm CLI with 401 in npm's error shape but
     * without the Basic challenge, which npm would answer with its own text instead of Coffer's
     * sentence (docs/npm.md); {@link #everyClosedRouteChallengesAnonymousCallers} checks that every
     * other client gets the challenge on the same routes.
     */
    @Test
    void everyNpmRouteIsInTheTableAndRefusesTheAnonymousNpmClientWithoutAChallenge() {
        Http npm = server.anonymous().header("User-Agent", "npm/11.6.2 node/v20.19.5 linux x64 workspaces/false");
        List<String> table = new ArrayList<>();
        for (Route r : routes()) {
            if (!r.path().startsWith("/api/npm/")) {
                continue;
            }
            table.add(r.method() + " " + r.path());
            if (OPEN_KINDS.get(r.requirement().getClass())) {
                continue;
            }
            String path = r.path()
                    .replace("{repo}", "private")
                    .replace("{file}", "x-1.0.0.tgz")
                    .replaceAll("\\{[a-z]+}", "x");
            Http.Response resp = npm.send(
                    r.method().name(),
                    path,
                    r.method() == HandlerType.PUT
                            ? HttpRequest.BodyPublishers.ofString("{}")
                            : HttpRequest.BodyPublishers.noBody());
            assertThat(resp.status())
                    .as(r.method() + " " + path + " -> " + resp)
                    .isEqualTo(401);
            assertThat(resp.header("WWW-Authenticate"))
                    .as(r.method() + " " + path)
                    .isNull();
            assertThat(resp.json().path("code").asText()).isEqualTo("authentication_required");
            assertThat(resp.json().path("error").asText())
                    .as(r.method() + " " + path)
                    .isNotBlank();
        }
        assertThat(table).containsAll(NPM_OPERATIONS);
    }

    /** HEAD on a route that has only GET is that GET without its body: the same guard, the same status. */
    @Test
    void headOfEveryGetRouteIsGuardedLikeTheGet() {
        Http anonymous = server.anonymous();
        Http mistyped = anonymous.header("X-Auth-AccessKey", "cfk_mistyped");
        List<String> checked = new ArrayList<>();
        for (Route r : routes()) {
            if (r.method() != HandlerType.GET) {
                continue;
            }
            String path = r.path()
                    .replace("{repo}", "private")
                    .replace("<path>", "some/file.txt")
                    .replace("<file>", "app.js")
                    .replaceAll("\\{[A-Za-z]+}", "x");
            Http.Response get = anonymous.get(path);
            Http.Response head = anonymous.head(path);
            assertThat(head.status())
                    .as("HEAD " + path + " -> " + head + ", GET -> " + get)
                    .isEqualTo(get.status());
            assertThat(head.bytes()).as("HEAD " + path).isEmpty();
            // invalid credentials are an error on every route, open ones included (API.md section 4, rule 2)
            assertThat(mistyped.head(path).status())
                    .as("HEAD " + path + " with a mistyped key")
                    .isEqualTo(401);
            checked.add(path);
        }
        assertThat(checked).contains("/api/me", "/api/health").hasSizeGreaterThan(10);
    }

    /** Admission is one framework-free function: every entry point adapts to it, none of it knows them. */
    @Test
    void admissionKnowsNoHttpFramework() {
        noClasses()
                .that()
                .resideInAPackage("dev.coffer.admission..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.javalin..",
                        "org.eclipse.jetty..",
                        "jakarta.servlet..",
                        "javax.servlet..",
                        "dev.coffer.http..",
                        "dev.coffer.web..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.coffer.admission"));
    }
}
