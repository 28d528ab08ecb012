package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API.md §2: GET /api/builds/{name}/{number}/artifacts lists only what the caller may read. */
class BuildsTest {
    private static TestServer server;
    private static Http admin;
    private static String pub;
    private static String priv;
    private static String reader;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        pub = Fixtures.unique("public");
        priv = Fixtures.unique("private");
        Fixtures.repo(server, pub, true);
        Fixtures.repo(server, priv, false);
        reader = Fixtures.unique("reader");
        Fixtures.user(server, reader, "reader-password");
        Fixtures.permission(
                server,
                Fixtures.unique("t"),
                priv,
                List.of("one/**", "two/**"),
                List.of(),
                java.util.Map.of(reader, List.of("r")),
                java.util.Map.of());
        String web42 = ";build.name=web;build.number=42";
        Fixtures.put(admin, "/repository/" + pub + "/site/index.html" + web42, "<html>");
        Fixtures.put(admin, "/repository/" + priv + "/one/app.jar" + web42, "jar-one");
        Fixtures.put(admin, "/repository/" + priv + "/two/app.jar" + web42, "jar-two");
        Fixtures.put(admin, "/repository/" + priv + "/three/secret.jar" + web42, "jar-three");
        // another build number and another build name are not listed
        Fixtures.put(admin, "/repository/" + pub + "/site/old.html;build.name=web;build.number=41", "old");
        Fixtures.put(admin, "/repository/" + priv + "/one/api.jar;build.name=api;build.number=42", "api");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> listed(Http h) {
        Http.Response r = h.get("/api/builds/web/42/artifacts");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json()
                .forEach(e ->
                        out.add(e.path("repo").asText() + "/" + e.path("path").asText()));
        return out;
    }

    @Test
    void adminSeesEveryFileOfTheBuildWithItsDetails() {
        Http.Response r = admin.get("/api/builds/web/42/artifacts");
        assertThat(r.status()).isEqualTo(200);
        assertThat(listed(admin))
                .containsExactlyInAnyOrder(
                        pub + "/site/index.html",
                        priv + "/one/app.jar",
                        priv + "/two/app.jar",
                        priv + "/three/secret.jar");
        JsonNode jar = null;
        for (JsonNode e : r.json()) {
            if (e.path("path").asText().equals("one/app.jar")) {
                jar = e;
            }
        }
        assertThat(jar).isNotNull();
        assertThat(jar.path("repo").asText()).isEqualTo(priv);
        assertThat(jar.path("size").asLong()).isEqualTo(7);
        assertThat(jar.path("sha256").asText())
                .isEqualTo(Digests.hex("SHA-256", "jar-one".getBytes(StandardCharsets.UTF_8)));
        assertThat(jar.path("url").asText()).isEqualTo(server.base() + "/repository/" + priv + "/one/app.jar");
        // the URL downloads the file
        URI url = URI.create(jar.path("url").asText());
        Http.Response download = admin.get(url.getRawPath());
        assertThat(download.body()).isEqualTo("jar-one");
    }

    @Test
    void anonymousCallersSeeOnlyAnonymouslyReadableFiles() {
        assertThat(listed(server.anonymous())).containsExactly(pub + "/site/index.html");
        Http.Response r = server.anonymous().get("/api/builds/web/42/artifacts");
        String url = r.json().get(0).path("url").asText();
        assertThat(server.anonymous().get(URI.create(url).getRawPath()).body()).isEqualTo("<html>");
    }

    @Test
    void aUserSeesWhatTheyMayRead() {
        assertThat(listed(server.anonymous().basic(reader, "reader-password")))
                .containsExactlyInAnyOrder(pub + "/site/index.html", priv + "/one/app.jar", priv + "/two/app.jar");
        String stranger = Fixtures.unique("stranger");
        Fixtures.user(server, stranger, "stranger-password");
        assertThat(listed(server.anonymous().basic(stranger, "stranger-password")))
                .containsExactly(pub + "/site/index.html");
    }

    @Test
    void aScopedTokenSeesOnlyWhatItsScopeCovers() {
        Http.Response t = server.anonymous()
                .basic(reader, "reader-password")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .post(
                        "/access/api/v1/tokens",
                        "scope=" + URLEncoder.encode("artifact:" + priv + "/one/**:r", StandardCharsets.UTF_8));
        assertThat(t.status()).as(t.toString()).isEqualTo(200);
        Http token = server.anonymous().bearer(t.json().path("access_token").asText());
        // public stays public; of the private ones only the scope's path
        assertThat(listed(token)).containsExactlyInAnyOrder(pub + "/site/index.html", priv + "/one/app.jar");
    }

    @Test
    void unknownBuildsAreEmptyAndBadCredentialsAre401() {
        Http.Response none = server.anonymous().get("/api/builds/web/999/artifacts");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().size()).isZero();
        Http.Response bad = server.anonymous().basic(reader, "wrong").get("/api/builds/web/42/artifacts");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.errorCode()).isEqualTo("credentials_invalid");
    }
}
