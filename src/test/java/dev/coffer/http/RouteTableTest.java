package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.Action;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import io.javalin.http.HandlerType;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deny by default: walks the route table, checks what each route declares and what it answers to a stranger. */
class RouteTableTest {
    private static TestServer server;

    /** Routes that anonymous callers may use (API.md §4 rule 1); anything new must be added here on purpose. */
    private static final Set<String> OPEN_TO_ANONYMOUS = Set.of(
            "GET /api/health", "GET /api/me", "GET /api/repositories", "POST /api/tokens", "POST /access/api/v1/tokens",
            "GET /api/builds/{buildName}/{buildNumber}/artifacts", "GET /api/access/check",
            // the web UI's static files (WebRoutes) and the redirect to it
            "GET /", "GET /ui", "GET /ui/<file>");

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
    void everyRouteDeclaresWhatItNeeds() {
        assertThat(routes()).isNotEmpty().allSatisfy(r -> assertThat(r.requirement()).isNotNull());
        for (Route r : routes()) {
            if (r.requirement() instanceof Requirement.Anyone) {
                assertThat(OPEN_TO_ANONYMOUS).as("route open to anonymous callers").contains(r.method() + " " + r.path());
            }
        }
    }

    @Test
    void contentAndStorageRoutesNeedTheContractsActions() {
        for (Route r : routes()) {
            if (r.path().startsWith("/repository/")) {
                Action expected = r.method() == HandlerType.PUT ? Action.WRITE
                        : r.method() == HandlerType.DELETE ? Action.DELETE : Action.READ;
                assertThat(r.requirement()).as(r.method() + " " + r.path()).isEqualTo(new Requirement.RepoAction(expected));
            }
            if (r.path().startsWith("/api/storage/")) {
                Action expected = r.method() == HandlerType.GET ? Action.READ : Action.ANNOTATE;
                assertThat(r.requirement()).as(r.method() + " " + r.path()).isEqualTo(new Requirement.RepoAction(expected));
            }
        }
    }

    /** Every route that is not open answers an anonymous caller with 401 and the Basic challenge. */
    @Test
    void everyClosedRouteChallengesAnonymousCallers() {
        Http anonymous = server.anonymous();
        List<String> checked = new ArrayList<>();
        for (Route r : routes()) {
            if (r.requirement() instanceof Requirement.Anyone) {
                continue;
            }
            String path = r.path().replace("{repo}", "private").replace("<path>", "some/file.txt")
                    .replaceAll("\\{[a-z]+}", "x");
            Http.Response resp = anonymous.send(r.method().name(), path,
                    r.method() == HandlerType.PUT ? HttpRequest.BodyPublishers.ofString("{}")
                            : HttpRequest.BodyPublishers.noBody());
            assertThat(resp.status()).as(r.method() + " " + path + " -> " + resp).isEqualTo(401);
            assertThat(resp.header("WWW-Authenticate")).isEqualTo("Basic realm=\"coffer\"");
            if (r.method() != HandlerType.HEAD) {
                assertThat(resp.errorCode()).isEqualTo("authentication_required");
            }
            checked.add(r.method() + " " + path);
        }
        assertThat(checked).hasSizeGreaterThan(15);
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
            String path = r.path().replace("{repo}", "private").replace("<path>", "some/file.txt").replace("<file>", "app.js")
                    .replaceAll("\\{[A-Za-z]+}", "x");
            Http.Response get = anonymous.get(path);
            Http.Response head = anonymous.head(path);
            assertThat(head.status()).as("HEAD " + path + " -> " + head + ", GET -> " + get).isEqualTo(get.status());
            assertThat(head.bytes()).as("HEAD " + path).isEmpty();
            // invalid credentials are an error on every route, open ones included (API.md section 4, rule 2)
            assertThat(mistyped.head(path).status()).as("HEAD " + path + " with a mistyped key").isEqualTo(401);
            checked.add(path);
        }
        assertThat(checked).contains("/api/me", "/api/health").hasSizeGreaterThan(10);
    }
}
