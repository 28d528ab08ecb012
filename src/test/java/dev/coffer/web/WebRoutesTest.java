package dev.coffer.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web UI's static files: served at /ui/ with a strict CSP, no inline script or style, nothing from elsewhere. */
class WebRoutesTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void servesTheUiWithSecurityHeaders() {
        for (String path : List.of("/ui/", "/ui", "/ui/index.html")) {
            Http.Response r = server.anonymous().get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/html");
            assertThat(r.header("Content-Security-Policy"))
                    .isEqualTo(WebRoutes.CSP)
                    .contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(r.body()).contains("<script type=\"module\" src=\"/ui/app.js\">");
        }
        assertThat(server.anonymous().get("/ui/app.js").header("Content-Type")).startsWith("text/javascript");
        assertThat(server.anonymous().get("/ui/style.css").header("Content-Type"))
                .startsWith("text/css");
    }

    @Test
    void rootRedirectsToTheUi() {
        Http.Response r = server.anonymous().get("/");
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("/ui/");
    }

    @Test
    void onlyFilesOfTheUiFolder() {
        for (String path : List.of(
                "/ui/nothing.js",
                "/ui/.hidden.js",
                "/ui/../coffer.db",
                "/ui/%2e%2e/x.js",
                "/ui/dev/coffer/web/WebRoutes.class",
                "/ui/logback.xml")) {
            int status = server.anonymous().get(path).status();
            assertThat(status).as(path).isIn(400, 404);
        }
    }

    @Test
    void invalidCredentialsAreStill401() {
        assertThat(server.anonymous().bearer("nonsense").get("/ui/").status()).isEqualTo(401);
    }

    /** CSP forbids inline script and style; the sources keep to that (and never use innerHTML). */
    @Test
    void sourcesHaveNoInlineScriptStyleOrInnerHtml() throws IOException {
        Path web = Path.of("src/main/resources/web");
        try (Stream<Path> files = Files.list(web)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                String name = f.getFileName().toString();
                assertThat(text)
                        .as(name)
                        .doesNotContain(
                                "innerHTML",
                                "outerHTML",
                                "insertAdjacentHTML",
                                "document.write",
                                "eval(",
                                "new Function",
                                "http://",
                                "https://",
                                " style=",
                                ".style.");
                if (name.endsWith(".html")) {
                    assertThat(text.replaceAll("<script type=\"module\" src=\"[^\"]+\"></script>", ""))
                            .as(name)
                            .doesNotContain("<script", "<style", " on");
                }
            }
        }
    }
}
