package dev.coffer.http;

import static dev.coffer.http.NpmRegistryTest.assertNpmError;
import static dev.coffer.http.NpmRegistryTest.publishBody;
import static dev.coffer.http.NpmRegistryTest.tarball;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.RemoteFixtures;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API.md §9/§10: a virtual npm repository over two local npm repositories and a remote one (whose
 * upstream is a second Coffer): documents merged per caller, tarballs from the member that
 * answers, namespace protection, publish to the default deploy repository, search.
 */
class NpmVirtualTest {
    private static final String ABBREVIATED = "application/vnd.npm.install-v1+json";
    private static final String REG = "/api/npm/npm-all/";
    private static TestServer server;
    private static TestServer upstream;
    private static Http part;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestServer.start();
        Fixtures.expect(upstream.admin().putJson("/api/repositories/npm-local", "{\"packageType\":\"npm\"}"), "", 201);
        publish(upstream, "npm-local", "left-pad", "1.0.0", tarball("left-pad", "1.0.0"));
        publish(upstream, "npm-local", "shared", "1.0.0", tarball("upstream shared", "1.0.0"));
        publish(upstream, "npm-local", "shared", "2.0.0", tarball("upstream shared", "2.0.0"));
        publish(upstream, "npm-local", "@up/only", "1.0.0", tarball("@up/only", "1.0.0"));

        server = TestServer.start();
        local("npm-a", true);
        local("npm-b", false);
        publish(server, "npm-a", "shared", "1.0.0", tarball("shared", "1.0.0"));
        publish(server, "npm-a", "@acme/web", "1.0.0", tarball("@acme/web", "1.0.0"));
        publish(server, "npm-a", "dup", "1.0.0", tarball("dup in a", "1.0.0"));
        publish(server, "npm-b", "@acme/web", "2.0.0", tarball("@acme/web", "2.0.0"));
        publish(server, "npm-b", "@acme/web", "3.0.0-beta.1", tarball("@acme/web", "3.0.0-beta.1"));
        tag(server, "npm-b", "@acme%2fweb", "beta", "3.0.0-beta.1");
        publish(server, "npm-b", "dup", "1.0.0", tarball("dup in b", "1.0.0"));
        publish(server, "npm-b", "@acme/secret", "1.0.0", tarball("@acme/secret", "1.0.0"));
        publish(server, "npm-b", "hidden", "1.0.0", tarball("hidden", "1.0.0"));
        Map<String, Object> remote = new LinkedHashMap<>();
        remote.put("packageType", "npm");
        remote.put("username", "admin");
        remote.put("password", TestServer.ADMIN_PASSWORD);
        RemoteFixtures.remote(server, "npm-up", upstream.base() + "/api/npm/npm-local", remote);
        virtual("npm-all", List.of("npm-a", "npm-b", "npm-up"), "npm-a", true);

        // reads everything through npm-all, all of npm-a, and in npm-b only @acme/web's 2.x tarballs
        Fixtures.user(server, "part", "part-password-1");
        Fixtures.grantUser(server, "part-all", "npm-all", "part", "rw");
        Fixtures.grantUser(server, "part-a", "npm-a", "part", "r");
        Fixtures.grant(server, "part-b", List.of("npm-b"), List.of("@acme/web", "@acme/web/-/web-2.*"), "part", "r");
        part = new Http(server.base()).basic("part", "part-password-1");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static void local(String name, boolean anonymousRead) {
        Fixtures.expect(
                server.admin()
                        .putJson(
                                "/api/repositories/" + name,
                                "{\"packageType\":\"npm\",\"anonymousRead\":" + anonymousRead + "}"),
                "create " + name,
                201);
    }

    private static void virtual(String name, List<String> members, String deployTo, boolean anonymousRead) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("packageType", "npm");
        body.put("rclass", "virtual");
        body.put("repositories", members);
        if (deployTo != null) {
            body.put("defaultDeployRepo", deployTo);
        }
        body.put("anonymousRead", anonymousRead);
        Fixtures.expect(
                server.admin().putJson("/api/repositories/" + name, Fixtures.json(body)), "create " + name, 201);
    }

    private static void publish(TestServer s, String repo, String name, String version, byte[] tgz) throws Exception {
        Fixtures.expect(
                s.admin()
                        .putJson(
                                "/api/npm/" + repo + "/" + name.replace("/", "%2f"),
                                publishBody(name, version, tgz, null)),
                "publish " + name + "@" + version + " to " + repo,
                201);
    }

    private static void tag(TestServer s, String repo, String name, String tag, String version) {
        Fixtures.expect(
                s.admin()
                        .putJson(
                                "/api/npm/" + repo + "/-/package/" + name + "/dist-tags/" + tag, "\"" + version + "\""),
                "tag",
                200);
    }

    private static List<String> versions(JsonNode doc) {
        List<String> out = new ArrayList<>();
        doc.path("versions").fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> fetchesOf(String path) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : server.admin().get("/api/audit?limit=1000").json().path("events")) {
            if (e.path("action").asText().equals("remote.fetch")
                    && e.path("path").asText().startsWith(path)) {
                out.add(e.path("repo").asText() + ":" + e.path("path").asText());
            }
        }
        return out;
    }

    @Test
    void versionsAreMergedPerCallerAndTarballsComeFromTheMemberThatHasThem() throws Exception {
        JsonNode all = Fixtures.expect(server.admin().get(REG + "@acme%2fweb"), "admin", 200)
                .json();
        assertThat(versions(all)).containsExactly("1.0.0", "2.0.0", "3.0.0-beta.1");
        // a tag comes from the first member that has it: npm-a's latest, npm-b's beta
        assertThat(all.path("dist-tags").toString()).isEqualTo("{\"latest\":\"1.0.0\",\"beta\":\"3.0.0-beta.1\"}");
        assertThat(all.path("versions")
                        .path("2.0.0")
                        .path("dist")
                        .path("tarball")
                        .asText())
                .isEqualTo(server.base() + REG + "@acme/web/-/web-2.0.0.tgz");
        assertThat(all.path("time").has("3.0.0-beta.1")).isTrue();
        assertThat(all.has("_rev")).isFalse();

        // part may not read npm-b's 3.x tarball: that version and its tag are absent, in both forms
        JsonNode seen =
                Fixtures.expect(part.get(REG + "@acme/web"), "part", 200).json();
        assertThat(versions(seen)).containsExactly("1.0.0", "2.0.0");
        assertThat(seen.path("dist-tags").toString()).isEqualTo("{\"latest\":\"1.0.0\"}");
        assertThat(seen.path("time").has("3.0.0-beta.1")).isFalse();
        JsonNode small = Fixtures.expect(part.header("Accept", ABBREVIATED).get(REG + "@acme/web"), "abbr", 200)
                .json();
        assertThat(versions(small)).containsExactly("1.0.0", "2.0.0");
        assertThat(small.has("readme")).isFalse();
        assertThat(Fixtures.expect(part.get(REG + "-/package/@acme/web/dist-tags"), "tags", 200)
                        .json()
                        .toString())
                .isEqualTo("{\"latest\":\"1.0.0\"}");

        // the tarballs: each from its member; the hidden one refused as a direct read would be
        assertThat(part.get(REG + "@acme/web/-/web-2.0.0.tgz").bytes()).isEqualTo(tarball("@acme/web", "2.0.0"));
        assertThat(part.get(REG + "@acme/web/-/web-3.0.0-beta.1.tgz").status()).isEqualTo(404);
        // a version two members have comes from the first
        assertThat(server.admin().get(REG + "dup/-/dup-1.0.0.tgz").bytes()).isEqualTo(tarball("dup in a", "1.0.0"));
        // a package only in a member the caller may not read is not there for them
        assertThat(part.get(REG + "@acme%2fsecret").status()).isEqualTo(404);
        assertThat(server.admin().get(REG + "@acme%2fsecret").status()).isEqualTo(200);

        // ETag of the caller's own document
        Http.Response first = part.get(REG + "@acme/web");
        assertThat(part.header("If-None-Match", first.header("ETag"))
                        .get(REG + "@acme/web")
                        .status())
                .isEqualTo(304);
        assertThat(server.admin()
                        .header("If-None-Match", first.header("ETag"))
                        .get(REG + "@acme/web")
                        .status())
                .as("another caller's document differs")
                .isEqualTo(200);
    }

    @Test
    void anonymousReadsNeedAnonymousReadOnTheVirtualAndTheMember() throws Exception {
        Http anon = server.anonymous();
        JsonNode doc =
                Fixtures.expect(anon.get(REG + "@acme%2fweb"), "anonymous", 200).json();
        assertThat(versions(doc)).containsExactly("1.0.0"); // npm-b is private
        assertThat(anon.get(REG + "@acme/web/-/web-1.0.0.tgz").status()).isEqualTo(200);
        assertThat(anon.get(REG + "@acme/web/-/web-2.0.0.tgz").status()).isEqualTo(404);
        virtual("npm-closed", List.of("npm-a"), null, false);
        assertNpmError(anon.get("/api/npm/npm-closed/@acme%2fweb"), 401, "authentication_required", "");
    }

    @Test
    void aScopedTokenReadsThroughTheVirtualOnlyWhatItNames() throws Exception {
        String token = Fixtures.token(server.admin(), Map.of("scope", "artifact:npm-all/@acme/**:r"))
                .path("access_token")
                .asText();
        Http t = new Http(server.base()).bearer(token);
        assertThat(versions(Fixtures.expect(t.get(REG + "@acme%2fweb"), "token", 200)
                        .json()))
                .containsExactly("1.0.0", "2.0.0", "3.0.0-beta.1");
        assertThat(t.get(REG + "@acme/web/-/web-2.0.0.tgz").status()).isEqualTo(200);
        // outside the scope: only what anyone may read (npm-all and npm-a are public, npm-b is not)
        assertThat(t.get(REG + "dup").status()).isEqualTo(200);
        assertThat(t.get(REG + "hidden").status()).isEqualTo(404);
        assertThat(server.admin().get(REG + "hidden").status()).isEqualTo(200);
        assertThat(t.get("/api/npm/npm-b/@acme%2fweb").status())
                .as("not through the virtual")
                .isEqualTo(403);
    }

    @Test
    void aPackageOfALocalMemberIsNeverTakenFromTheRemote() throws Exception {
        JsonNode shared = Fixtures.expect(server.admin().get(REG + "shared"), "shared", 200)
                .json();
        assertThat(versions(shared)).containsExactly("1.0.0"); // not the upstream's 2.0.0
        assertThat(server.admin().get(REG + "shared/-/shared-1.0.0.tgz").bytes())
                .isEqualTo(tarball("shared", "1.0.0"));
        assertThat(server.admin().get(REG + "shared/-/shared-2.0.0.tgz").status())
                .isEqualTo(404);
        assertThat(fetchesOf("shared"))
                .as("the upstream was never asked for it")
                .isEmpty();

        // a package only the upstream has comes through, tarball URL on the virtual, fetched once
        JsonNode pad = Fixtures.expect(server.admin().get(REG + "left-pad"), "left-pad", 200)
                .json();
        assertThat(pad.path("versions")
                        .path("1.0.0")
                        .path("dist")
                        .path("tarball")
                        .asText())
                .isEqualTo(server.base() + REG + "left-pad/-/left-pad-1.0.0.tgz");
        assertThat(server.admin().get(REG + "left-pad/-/left-pad-1.0.0.tgz").bytes())
                .isEqualTo(tarball("left-pad", "1.0.0"));
        assertThat(fetchesOf("left-pad/-/left-pad-1.0.0.tgz")).containsExactly("npm-up:left-pad/-/left-pad-1.0.0.tgz");
        assertThat(server.admin().get(REG + "@up%2fonly").status()).isEqualTo(200);
    }

    @Test
    void anUpstreamOutageIsNotAbsence() throws Exception {
        Map<String, Object> dead = new LinkedHashMap<>();
        dead.put("packageType", "npm");
        RemoteFixtures.remote(server, "npm-dead", "http://127.0.0.1:9/registry", dead);
        virtual("npm-down", List.of("npm-a", "npm-dead"), null, false);
        assertNpmError(server.admin().get("/api/npm/npm-down/left-pad"), 502, "upstream_unavailable", "");
        // held by a local member: the remote is not asked, so its outage does not matter
        assertThat(server.admin().get("/api/npm/npm-down/shared").status()).isEqualTo(200);
        assertThat(server.admin().get("/api/npm/npm-down/dup").status()).isEqualTo(200);
    }

    @Test
    void publishGoesToTheDefaultDeployRepositoryAndNothingElseChangesThroughTheVirtual() throws Exception {
        String body = publishBody("fresh", "1.0.0", tarball("fresh", "1.0.0"), null);
        Fixtures.expect(server.admin().putJson(REG + "fresh", body), "publish through", 201);
        assertThat(server.admin().get("/api/npm/npm-a/fresh").status()).isEqualTo(200);
        assertThat(server.admin().get("/api/npm/npm-b/fresh").status()).isEqualTo(404);

        // part may write to npm-all but not to npm-a
        assertNpmError(
                part.putJson(REG + "other", publishBody("other", "1.0.0", tarball("other", "1.0.0"), null)),
                403,
                "forbidden",
                "npm-a");
        assertThat(server.admin().get("/api/npm/npm-a/other").status()).isEqualTo(404);

        virtual("npm-nodeploy", List.of("npm-a"), null, false);
        assertNpmError(
                server.admin()
                        .putJson(
                                "/api/npm/npm-nodeploy/other",
                                publishBody("other", "1.0.0", tarball("other", "1.0.0"), null)),
                405,
                "method_not_allowed",
                "defaultDeployRepo");
        assertNpmError(
                server.admin().putJson(REG + "-/package/fresh/dist-tags/next", "\"1.0.0\""),
                405,
                "method_not_allowed",
                "npm-a, npm-b, npm-up");
        assertNpmError(server.admin().delete(REG + "fresh/-rev/1-x"), 405, "method_not_allowed", "virtual");
    }

    @Test
    void searchCoversTheLocalMembersPerCaller() throws Exception {
        JsonNode admin = Fixtures.expect(server.admin().get(REG + "-/v1/search?text=&size=100"), "search", 200)
                .json();
        List<String> names = new ArrayList<>();
        admin.path("objects")
                .forEach(o -> names.add(o.path("package").path("name").asText()));
        assertThat(names).contains("@acme/web", "@acme/secret", "dup", "shared").doesNotContain("left-pad");
        assertThat(names).doesNotHaveDuplicates();
        JsonNode mine = Fixtures.expect(part.get(REG + "-/v1/search?text=&size=100"), "search", 200)
                .json();
        List<String> partNames = new ArrayList<>();
        mine.path("objects")
                .forEach(o -> partNames.add(o.path("package").path("name").asText()));
        assertThat(partNames).contains("@acme/web", "dup").doesNotContain("@acme/secret");
    }
}
