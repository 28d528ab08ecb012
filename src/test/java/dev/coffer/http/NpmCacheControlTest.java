package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.config.Settings;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What package documents tell npm's own cache (npm.document-max-age): by default the npm registry's
 * five minutes, private to the caller (a document is what this caller may read); with 0s, npm asks
 * again every time. Documents of local, virtual and remote npm repositories alike.
 */
class NpmCacheControlTest {
    private static void documentsSay(TestServer s, String expected) throws Exception {
        Fixtures.expect(s.admin().putJson("/api/repositories/npm-cc", "{\"packageType\":\"npm\"}"), "repo", 201);
        Fixtures.expect(
                s.admin()
                        .putJson(
                                "/api/npm/npm-cc/cc",
                                NpmRegistryTest.publishBody(
                                        "cc", "1.0.0", NpmRegistryTest.tarball("cc", "1.0.0"), null)),
                "publish",
                201);
        Fixtures.expect(
                s.admin()
                        .putJson(
                                "/api/repositories/npm-cc-v",
                                "{\"packageType\":\"npm\",\"rclass\":\"virtual\",\"repositories\":[\"npm-cc\"]}"),
                "virtual",
                201);
        Fixtures.expect(
                s.admin()
                        .putJson(
                                "/api/repositories/npm-cc-r",
                                Fixtures.json(Map.of(
                                        "packageType", "npm",
                                        "rclass", "remote",
                                        "url", s.base() + "/api/npm/npm-cc",
                                        "username", "admin",
                                        "password", TestServer.ADMIN_PASSWORD))),
                "remote",
                201);
        for (String repo : new String[] {"npm-cc", "npm-cc-v", "npm-cc-r"}) {
            assertThat(Fixtures.expect(s.admin().get("/api/npm/" + repo + "/cc"), repo, 200)
                            .header("Cache-Control"))
                    .as(repo)
                    .isEqualTo(expected);
            assertThat(s.admin()
                            .header("Accept", "application/vnd.npm.install-v1+json")
                            .get("/api/npm/" + repo + "/cc")
                            .header("Cache-Control"))
                    .as(repo + " abbreviated")
                    .isEqualTo(expected);
        }
    }

    @Test
    void byDefaultTheNpmRegistrysFiveMinutesPrivately() throws Exception {
        try (TestServer s = TestServer.start()) {
            documentsSay(s, "private, max-age=300");
        }
    }

    @Test
    void zeroMakesNpmAskEveryTime() throws Exception {
        try (TestServer s = TestServer.start(Map.of("npm.document-max-age", "0s"))) {
            documentsSay(s, "private, no-cache");
        }
    }

    @Test
    void theSettingIsWholeSecondsUpToADay() {
        assertThat(Settings.load(Map.of("npm.document-max-age", "1d"), Map.of(), null)
                        .npmDocumentMaxAge())
                .isEqualTo(Duration.ofDays(1));
        for (String bad : new String[] {"2d", "1500ms", "-1s", "soon"}) {
            assertThatThrownBy(() -> Settings.load(Map.of("npm.document-max-age", bad), Map.of(), null))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'npm.document-max-age' (COFFER_NPM_DOCUMENT_MAX_AGE)");
        }
    }
}
