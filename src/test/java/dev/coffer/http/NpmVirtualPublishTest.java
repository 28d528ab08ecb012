package dev.coffer.http;

import static dev.coffer.http.NpmRegistryTest.assertNpmError;
import static dev.coffer.http.NpmRegistryTest.publishBody;
import static dev.coffer.http.NpmRegistryTest.tarball;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API.md §9/§10: npm publish through a virtual npm repository needs, in its defaultDeployRepo seen
 * through it, what a publish straight to that repository needs: w on the package and on its
 * tarball. Found by AccessMatrixNpmLayersTest: a caller with w on everything in the virtual
 * repository and on tarballs only in the deploy repository published packages (and moved their
 * 'latest') there, which it may not do there directly.
 */
class NpmVirtualPublishTest {
    private static TestServer server;
    private static Http tarballsOnly;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        Fixtures.expect(
                server.admin().putJson("/api/repositories/npm-team", "{\"packageType\":\"npm\"}"), "local", 201);
        Fixtures.expect(
                server.admin()
                        .putJson(
                                "/api/repositories/npm-group",
                                "{\"packageType\":\"npm\",\"rclass\":\"virtual\",\"repositories\":[\"npm-team\"],"
                                        + "\"defaultDeployRepo\":\"npm-team\"}"),
                "virtual",
                201);
        Fixtures.expect(
                server.admin()
                        .putJson(
                                "/api/npm/npm-team/@acme%2fweb",
                                publishBody("@acme/web", "1.0.0", tarball("@acme/web", "1.0.0"), null)),
                "publish",
                201);
        Fixtures.user(server, "uploader", "uploader-password-1");
        Fixtures.grant(server, "uploader-group", List.of("npm-group"), List.of("**"), "uploader", "rw");
        Fixtures.grant(server, "uploader-team", List.of("npm-team"), List.of("**/-/*.tgz"), "uploader", "rw");
        tarballsOnly = new Http(server.base()).basic("uploader", "uploader-password-1");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPublishThroughTheVirtualNeedsWriteOnThePackageInTheDeployRepository() throws Exception {
        String fresh = publishBody("@acme/new", "1.0.0", tarball("@acme/new", "1.0.0"), null);
        // straight to the deploy repository: refused (w on the package's path is missing there)
        assertNpmError(tarballsOnly.putJson("/api/npm/npm-team/@acme%2fnew", fresh), 403, "forbidden", "");
        // through the virtual repository: the same refusal, naming the deploy repository
        assertNpmError(tarballsOnly.putJson("/api/npm/npm-group/@acme%2fnew", fresh), 403, "forbidden", "npm-team");
        assertThat(server.admin().get("/api/npm/npm-team/@acme%2fnew").status()).isEqualTo(404);

        // a new version of a package there would move its 'latest': refused as well
        String next = publishBody("@acme/web", "2.0.0", tarball("@acme/web", "2.0.0"), null);
        assertNpmError(tarballsOnly.putJson("/api/npm/npm-group/@acme%2fweb", next), 403, "forbidden", "npm-team");
        assertThat(server.admin()
                        .get("/api/npm/npm-team/@acme%2fweb")
                        .json()
                        .path("dist-tags")
                        .path("latest")
                        .asText())
                .isEqualTo("1.0.0");
        assertThat(server.admin()
                        .get("/api/npm/npm-team/@acme/web/-/web-2.0.0.tgz")
                        .status())
                .isEqualTo(404);
    }
}
