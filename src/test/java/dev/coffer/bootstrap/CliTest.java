package dev.coffer.bootstrap;

import static dev.coffer.testing.Fixtures.me;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Http;
import dev.coffer.testing.InProcessCli;
import dev.coffer.testing.InProcessCli.Run;
import dev.coffer.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The set-up commands (coffer token|user|repo), run in-process against a data folder, then served. */
class CliTest {
    @TempDir
    Path data;

    private Run coffer(String... args) {
        return InProcessCli.run(data, args);
    }

    private static Run ok(Run r) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
        return r;
    }

    private TestServer serve() {
        return TestServer.start(data, Map.of(), false);
    }

    @Test
    void scriptedSetUpThenServe() {
        ok(coffer(
                "user",
                "add",
                "admin",
                "--password",
                TestServer.ADMIN_PASSWORD,
                "--admin",
                "--email",
                "a@example.org"));
        Run bob = ok(coffer("user", "add", "bob"));
        assertThat(bob.lines()).hasSize(1); // the generated password, alone
        String bobPassword = bob.lines().get(0);
        assertThat(bobPassword).hasSizeGreaterThanOrEqualTo(16);
        assertThat(bob.err()).contains("created user 'bob'").doesNotContain(bobPassword);
        Run repo = ok(coffer("repo", "create", "pub", "--description", "public things", "--anonymous-read"));
        assertThat(repo.out()).isEmpty();
        ok(coffer("repo", "create", "priv"));

        Run admin = ok(coffer(
                "token",
                "create",
                "--user",
                "admin",
                "--scope",
                "applied-permissions/admin",
                "--expires-in",
                "3600",
                "--description",
                "bootstrap"));
        assertThat(admin.lines()).hasSize(1);
        String adminToken = admin.lines().get(0);
        assertThat(adminToken).startsWith("cofat_");
        assertThat(admin.err()).doesNotContain(adminToken);

        Run refreshable = ok(coffer("token", "create", "--user", "bob", "--refreshable"));
        assertThat(refreshable.lines()).hasSize(2);
        assertThat(refreshable.lines().get(1)).startsWith("cofrt_");

        // a revoked token is refused once served
        String doomed = ok(coffer("token", "create", "--user", "bob", "--description", "doomed"))
                .lines()
                .get(0);
        Run list = ok(coffer("token", "list"));
        assertThat(list.lines()).hasSize(3);
        assertThat(list.out())
                .doesNotContain(adminToken)
                .doesNotContain(doomed)
                .doesNotContain(refreshable.lines().get(1));
        String doomedLine = list.lines().stream()
                .filter(l -> l.endsWith("\tdoomed"))
                .findFirst()
                .orElseThrow();
        String[] cols = doomedLine.split("\t");
        assertThat(cols[1]).isEqualTo("bob");
        assertThat(cols[2]).isEqualTo("applied-permissions/user");
        ok(coffer("token", "revoke", "--id", cols[0]));
        assertThat(coffer("token", "revoke", "--id", cols[0]).code()).isEqualTo(2);
        assertThat(ok(coffer("token", "list", "--user", "admin")).lines())
                .hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("\tadmin\tapplied-permissions/admin\t"));

        try (TestServer server = serve()) {
            // the CLI made the first user, so the server bootstraps no 'admin' of its own
            assertThat(server.output).doesNotContain("created user 'admin'");
            Http asAdmin = server.anonymous().bearer(adminToken);
            JsonNode me = me(asAdmin);
            assertThat(me.get("username").asText()).isEqualTo("admin");
            assertThat(me.get("authenticatedBy").asText()).isEqualTo("access-token");
            assertThat(me.get("admin").asBoolean()).isTrue();
            Http.Response put = asAdmin.putJson("/api/users/x", "{\"password\":\"x-password\"}");
            assertThat(put.status()).as("%s", put).isEqualTo(201);

            JsonNode bobMe = me(server.anonymous().basic("bob", bobPassword));
            assertThat(bobMe.get("authenticatedBy").asText()).isEqualTo("password");
            assertThat(me(server.anonymous().bearer(refreshable.lines().get(0)))
                            .get("username")
                            .asText())
                    .isEqualTo("bob");
            assertThat(server.anonymous().bearer(doomed).get("/api/me").status())
                    .isEqualTo(401);

            assertThat(server.anonymous().get("/api/repositories").json().findValuesAsText("name"))
                    .containsExactly("pub");
            assertThat(server.admin().get("/api/repositories").json().findValuesAsText("name"))
                    .contains("pub", "priv");
        }
    }

    @Test
    void tokenCreatedWhileTheServerRunsWorksAtOnce() {
        try (TestServer server = serve()) {
            // the server made 'admin' on first start; the CLI opens the same database beside it
            String token =
                    ok(coffer("token", "create", "--user", "admin")).lines().get(0);
            JsonNode me = me(server.anonymous().bearer(token));
            assertThat(me.get("authenticatedBy").asText()).isEqualTo("access-token");
            assertThat(me.get("username").asText()).isEqualTo("admin");
            assertThat(me.get("scope").asText()).isEqualTo("applied-permissions/user");

            // users and repositories created beside a running server are seen at once too
            ok(coffer("user", "add", "carol", "--password", "carol-password"));
            assertThat(me(server.anonymous().basic("carol", "carol-password"))
                            .get("username")
                            .asText())
                    .isEqualTo("carol");
            ok(coffer("repo", "create", "late", "--anonymous-read"));
            assertThat(server.anonymous().get("/repository/late/missing.txt").status())
                    .isEqualTo(404);

            String scoped = ok(coffer(
                            "token", "create", "--user", "carol", "--scope", "artifact:late/**:r", "--expires-in", "0"))
                    .lines()
                    .get(0);
            assertThat(me(server.anonymous().bearer(scoped)).get("scope").asText())
                    .isEqualTo("artifact:late/**:r");
            assertThat(server.anonymous()
                            .bearer(scoped)
                            .putJson("/api/users/y", "{\"password\":\"y-password\"}")
                            .status())
                    .isEqualTo(403);
        }
    }

    @Test
    void badScopeIsExit2NamingThePart() {
        ok(coffer("user", "add", "admin", "--password", "pw-password", "--admin"));
        Run r = coffer("token", "create", "--user", "admin", "--scope", "applied-permissions/user artifact:libs:q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("'artifact:libs:q'");
        assertThat(coffer("token", "create", "--user", "admin", "--scope", "everything")
                        .err())
                .contains("'everything'");
        assertThat(coffer("token", "list").lines()).isEmpty();
    }

    @Test
    void unknownUserIsExit2() {
        ok(coffer("user", "add", "admin", "--password", "pw-password", "--admin"));
        Run r = coffer("token", "create", "--user", "nobody");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("no user named 'nobody'");
    }

    @Test
    void otherBadInputIsExit2() {
        // no database yet: token commands do not create one
        Run none = coffer("token", "create", "--user", "admin");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("no Coffer data");
        assertThat(Files.exists(data.resolve("coffer.db"))).isFalse();

        ok(coffer("user", "add", "admin", "--password", "pw-password", "--admin"));
        assertThat(coffer("token", "create", "--user", "admin", "--expires-in", "-5")
                        .code())
                .isEqualTo(2);
        assertThat(coffer("token", "create").code()).isEqualTo(2); // --user is required
        assertThat(coffer("user", "add", "bad name", "--password", "pw-password")
                        .code())
                .isEqualTo(2);
        assertThat(coffer("user", "add", "dan", "--group", "nosuchgroup").err()).contains("nosuchgroup");
        assertThat(coffer("user", "add", "dan", "--password", "a", "--password-stdin")
                        .code())
                .isEqualTo(2);
        assertThat(coffer("repo", "create", "no/slash").code()).isEqualTo(2);
        Run badConfig = InProcessCli.run(
                "token",
                "list",
                "--data",
                data.toString(),
                "--config",
                data.resolve("nope.properties").toString());
        assertThat(badConfig.code()).isEqualTo(2);
        assertThat(badConfig.err()).contains("cannot read config file");
        assertThat(InProcessCli.run("token").code()).isEqualTo(2);
    }

    /** Set by the build (pom.xml, surefire): a password that only ever travels through the environment. */
    private static final String UPSTREAM_PASSWORD_ENV = "COFFER_TEST_UPSTREAM_PASSWORD";

    @Test
    void repositoryClassesFromTheCommandLine() {
        String upstreamPassword = System.getenv(UPSTREAM_PASSWORD_ENV);
        assertThat(upstreamPassword)
                .as("the build sets " + UPSTREAM_PASSWORD_ENV)
                .isNotBlank();
        ok(coffer("user", "add", "admin", "--password", TestServer.ADMIN_PASSWORD, "--admin"));
        Run libs = ok(coffer("repo", "create", "libs", "--package-type", "maven", "--include", "com/acme/**"));
        assertThat(libs.err()).contains("created local maven repository 'libs'");
        Run central = ok(coffer(
                "repo",
                "create",
                "central",
                "--package-type",
                "maven",
                "--class",
                "remote",
                "--url",
                "https://repo1.maven.org/maven2/",
                "--username",
                "bot",
                "--password-env",
                UPSTREAM_PASSWORD_ENV,
                "--cache-seconds",
                "60",
                "--offline"));
        assertThat(central.err()).contains("created remote maven repository 'central'");
        ok(coffer(
                "repo",
                "create",
                "all",
                "--package-type",
                "maven",
                "--class",
                "virtual",
                "--member",
                "libs",
                "--member",
                "central",
                "--default-deploy-repo",
                "libs"));

        // the rules of the API, through the same service: exit 2 with its message, nothing created
        Run noUrl = coffer("repo", "create", "r2", "--class", "remote");
        assertThat(noUrl.code()).isEqualTo(2);
        assertThat(noUrl.err()).contains("'url'");
        assertThat(coffer("repo", "create", "n", "--package-type", "pypi").err())
                .contains("not served yet");
        assertThat(coffer("repo", "create", "libs", "--package-type", "generic").err())
                .contains("fixed at creation");
        assertThat(coffer("repo", "create", "libs", "--member", "central").err())
                .contains("'repositories' is a setting of virtual repositories");
        assertThat(coffer("repo", "create", "v2", "--class", "virtual", "--member", "nope")
                        .err())
                .contains("no repository 'nope'");
        // a password on the command line is refused, and not repeated
        Run onCommandLine = coffer("repo", "create", "central", "--password", "typed-Secret-99");
        assertThat(onCommandLine.code()).isEqualTo(2);
        assertThat(onCommandLine.err()).contains("--password-env").doesNotContain("typed-Secret-99");
        Run unset = coffer("repo", "create", "central", "--password-env", "COFFER_TEST_SURELY_UNSET_VARIABLE");
        assertThat(unset.code()).isEqualTo(2);
        assertThat(unset.err()).contains("is not set");
        for (Run r : java.util.List.of(central, noUrl, onCommandLine, unset)) {
            assertThat(r.out() + r.err()).doesNotContain(upstreamPassword);
        }

        try (TestServer server = serve()) {
            JsonNode all = server.admin().get("/api/repositories/all").json();
            assertThat(all.path("rclass").asText()).isEqualTo("virtual");
            assertThat(all.path("repositories").toString()).isEqualTo("[\"libs\",\"central\"]");
            assertThat(all.path("defaultDeployRepo").asText()).isEqualTo("libs");
            JsonNode remote = server.admin().get("/api/repositories/central").json();
            assertThat(remote.path("url").asText()).isEqualTo("https://repo1.maven.org/maven2");
            assertThat(remote.path("cacheSeconds").asLong()).isEqualTo(60);
            assertThat(remote.path("offline").asBoolean()).isTrue();
            assertThat(remote.toString()).doesNotContain(upstreamPassword).doesNotContain("bot");
            assertThat(server.admin()
                            .get("/api/repositories/libs")
                            .json()
                            .path("includePatterns")
                            .toString())
                    .isEqualTo("[\"com/acme/**\"]");
            assertThat(server.admin().get("/api/repositories/r2").status()).isEqualTo(404);
            var repositories = server.coffer().services().repositories();
            assertThat(repositories.upstreamPassword(repositories.require("central")))
                    .contains(upstreamPassword);
        }
        Run back = ok(coffer("repo", "create", "central", "--no-offline"));
        assertThat(back.err()).contains("updated remote maven repository 'central'");
    }

    @Test
    void passwordFromStandardInputAndUpdates() {
        Run r = ok(
                InProcessCli.withInput("from-stdin-pw\n", data, "user", "add", "admin", "--password-stdin", "--admin"));
        assertThat(r.out()).isEmpty();
        // updating keeps what is not given and prints no password
        Run update = ok(coffer("user", "add", "admin", "--email", "new@example.org"));
        assertThat(update.out()).isEmpty();
        assertThat(update.err()).contains("updated user 'admin' (administrator)");
        try (TestServer server = serve()) {
            JsonNode me = me(server.anonymous().basic("admin", "from-stdin-pw"));
            assertThat(me.get("admin").asBoolean()).isTrue();
        }
    }

    /** coffer verify: clean data passes; a tampered and a lost blob are reported and fail the run. */
    @Test
    void verifyFindsTamperedAndMissingBlobs() throws Exception {
        try (TestServer server = serve()) {
            Http admin = server.admin();
            admin.putJson("/api/repositories/libs", "{}");
            admin.put("/repository/libs/a.txt", "alpha");
            admin.put("/repository/libs/b.txt", "bravo");
            admin.put("/repository/libs/c/d.txt", "charlie");
        }
        Run clean = ok(coffer("verify"));
        assertThat(clean.out()).isEmpty();
        assertThat(clean.err()).contains("checked 3 files");

        Path a = blobOf("alpha");
        a.toFile().setWritable(true);
        java.nio.file.Files.writeString(a, "alphX");
        java.nio.file.Files.delete(blobOf("bravo"));
        Run bad = coffer("verify");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.lines()).hasSize(2);
        assertThat(bad.out()).contains("libs/a.txt").contains("libs/b.txt").doesNotContain("libs/c/d.txt");
        assertThat(bad.err()).contains("2 problems");
    }

    private Path blobOf(String content) throws Exception {
        String sha = Digests.sha256(content);
        return data.resolve("store/blobs")
                .resolve(sha.substring(0, 2))
                .resolve(sha.substring(2, 4))
                .resolve(sha);
    }
}
