package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API.md §9 over HTTP: the repository JSON of each class, exactly; every rule of what a repository
 * may be refused with its status and code, naming the field, with nothing changed; Artifactory's
 * pattern spellings; a member of a virtual repository is not deleted.
 */
class RepositoryClassesTest {
    private static final String PW = "upstream-Secret-4711";
    private static TestServer server;
    private static Http admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        put("libs", "{\"packageType\":\"maven\"}", 201);
        put(
                "central",
                "{\"packageType\":\"maven\",\"rclass\":\"remote\",\"url\":\"https://repo1.maven.org/maven2/\"}",
                201);
        put("gen", "{}", 201);
        put("gen-virtual", "{\"rclass\":\"virtual\",\"repositories\":[\"gen\"]}", 201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Response put(String repo, String json, int status) {
        Http.Response r = admin.putJson("/api/repositories/" + repo, json);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    private static List<String> keys(JsonNode o) {
        List<String> k = new ArrayList<>();
        o.fieldNames().forEachRemaining(k::add);
        return k;
    }

    /** The PUT is refused with that status and code, naming each of {@code mentions}, and the repository is as before. */
    private static void refused(String repo, String json, int status, String code, String... mentions) {
        String before = admin.get("/api/repositories/" + repo).body();
        Http.Response r = admin.putJson("/api/repositories/" + repo, json);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.errorCode()).as(r.toString()).isEqualTo(code);
        assertThat(r.json().path("error").path("message").asText())
                .as(r.toString())
                .contains(mentions);
        assertThat(r.body()).doesNotContain(PW);
        assertThat(admin.get("/api/repositories/" + repo).body())
                .as("nothing changed after %s", r)
                .isEqualTo(before);
    }

    private static void invalid(String repo, String json, String code, String... mentions) {
        refused(repo, json, 400, code, mentions);
    }

    @Test
    void eachClassHasExactlyItsFieldsAndCredentialsAreNeverShown() {
        JsonNode local = admin.get("/api/repositories/libs").json();
        assertThat(keys(local))
                .containsExactly(
                        "name",
                        "description",
                        "anonymousRead",
                        "packageType",
                        "rclass",
                        "includePatterns",
                        "excludePatterns",
                        "created",
                        "lastModified",
                        "actions");
        assertThat(local.path("packageType").asText()).isEqualTo("maven");
        assertThat(local.path("rclass").asText()).isEqualTo("local");
        assertThat(local.path("includePatterns").toString()).isEqualTo("[\"**\"]");
        assertThat(local.path("excludePatterns").toString()).isEqualTo("[]");

        JsonNode remote = put(
                        "with-creds",
                        "{\"packageType\":\"maven\",\"rclass\":\"remote\",\"url\":\"https://up.example/m\","
                                + "\"username\":\"creds-user\",\"password\":\"" + PW + "\",\"cacheSeconds\":60}",
                        201)
                .json();
        assertThat(keys(remote))
                .containsExactly(
                        "name",
                        "description",
                        "anonymousRead",
                        "packageType",
                        "rclass",
                        "url",
                        "includePatterns",
                        "excludePatterns",
                        "cacheSeconds",
                        "offline",
                        "created",
                        "lastModified");
        assertThat(remote.path("url").asText()).isEqualTo("https://up.example/m");
        assertThat(remote.path("cacheSeconds").asLong()).isEqualTo(60);
        assertThat(remote.path("offline").asBoolean()).isFalse();

        JsonNode virtual = put(
                        "all",
                        "{\"packageType\":\"maven\",\"rclass\":\"virtual\",\"repositories\":[\"libs\",\"central\"],"
                                + "\"defaultDeployRepo\":\"libs\"}",
                        201)
                .json();
        assertThat(keys(virtual))
                .containsExactly(
                        "name",
                        "description",
                        "anonymousRead",
                        "packageType",
                        "rclass",
                        "repositories",
                        "defaultDeployRepo",
                        "includePatterns",
                        "excludePatterns",
                        "created",
                        "lastModified");
        assertThat(virtual.path("repositories").toString()).isEqualTo("[\"libs\",\"central\"]");
        assertThat(admin.get("/api/repositories/gen-virtual").json().has("defaultDeployRepo"))
                .isTrue();

        // write-only: not in a GET (even an administrator's), not in the list, not in the PUT's answer
        for (String body : List.of(
                admin.get("/api/repositories/with-creds").body(),
                admin.get("/api/repositories").body(),
                remote.toString(),
                admin.putJson("/api/repositories/with-creds", "{\"description\":\"d\"}")
                        .body())) {
            assertThat(body)
                    .doesNotContain(PW)
                    .doesNotContain("creds-user")
                    .doesNotContain("\"username\"")
                    .doesNotContain("\"password\"")
                    .doesNotContain("v1:");
        }
        // what GET returned can be PUT back, and changes nothing (the credentials stay)
        for (String name : List.of("with-creds", "all", "libs")) {
            com.fasterxml.jackson.databind.node.ObjectNode got = (com.fasterxml.jackson.databind.node.ObjectNode)
                    admin.get("/api/repositories/" + name).json();
            JsonNode back = put(name, got.toString(), 200).json();
            got.remove(List.of("actions", "lastModified"));
            ((com.fasterxml.jackson.databind.node.ObjectNode) back).remove("lastModified");
            assertThat(back).as(name).isEqualTo(got);
        }
        var service = server.coffer().services().repositories();
        assertThat(service.upstreamPassword(service.require("with-creds"))).contains(PW);

        // the list has the new fields too
        JsonNode listed = null;
        for (JsonNode r : admin.get("/api/repositories").json()) {
            if (r.path("name").asText().equals("all")) {
                listed = r;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.path("repositories").toString()).isEqualTo("[\"libs\",\"central\"]");
        assertThat(listed.path("rclass").asText()).isEqualTo("virtual");
    }

    @Test
    void typesAndClassesAreKnownSupportedAndFixed() {
        invalid("t1", "{\"packageType\":\"cargo\"}", "package_type_invalid", "generic, maven, npm, pypi, oci");
        invalid("t1", "{\"packageType\":\"pypi\"}", "package_type_unsupported", "'packageType'", "generic, maven, npm");
        invalid("t1", "{\"rclass\":\"group\"}", "rclass_invalid", "local, remote, virtual");
        assertThat(admin.get("/api/repositories/t1").status()).isEqualTo(404);

        refused("libs", "{\"packageType\":\"generic\"}", 409, "repository_type_fixed", "'libs'", "maven");
        refused("libs", "{\"rclass\":\"remote\",\"url\":\"https://e.org\"}", 409, "repository_class_fixed", "local");
        // the same values again are no change
        put("libs", "{\"packageType\":\"maven\",\"rclass\":\"local\"}", 200);
    }

    @Test
    void aRemoteNeedsAGoodUrlAndItsSettingsBelongToItAlone() {
        invalid("r1", "{\"rclass\":\"remote\"}", "url_invalid", "'url'");
        invalid("r1", "{\"rclass\":\"remote\",\"url\":\"file:///etc/passwd\"}", "url_invalid", "http or https");
        invalid("r1", "{\"rclass\":\"remote\",\"url\":\"https://e.org/m?x=1\"}", "url_invalid", "query");
        invalid("r1", "{\"rclass\":\"remote\",\"url\":\"https://e.org/m#x\"}", "url_invalid", "fragment");
        invalid("r1", "{\"rclass\":\"remote\",\"url\":\"https://bob:" + PW + "@e.org/m\"}", "url_invalid", "username");
        invalid(
                "r1",
                "{\"rclass\":\"remote\",\"url\":\"https://e.org/" + "x".repeat(2100) + "\"}",
                "url_invalid",
                "2048");
        assertThat(admin.get("/api/repositories/r1").status()).isEqualTo(404);

        invalid("central", "{\"url\":\"\"}", "url_invalid", "'url'");
        invalid("central", "{\"cacheSeconds\":-1}", "cache_seconds_invalid", "'cacheSeconds'");
        invalid("central", "{\"cacheSeconds\":31536001}", "cache_seconds_invalid", "31536000");
        invalid("central", "{\"cacheSeconds\":1e3}", "body_invalid", "'cacheSeconds'");
        invalid("central", "{\"cacheSeconds\":99999999999999999999999}", "body_invalid", "'cacheSeconds'");
        invalid("central", "{\"password\":\"" + PW + "\"}", "password_invalid", "'username'");
        invalid("central", "{\"username\":\"a:b\",\"password\":\"" + PW + "\"}", "username_invalid", "':'");
        invalid("central", "{\"repositories\":[\"libs\"]}", "field_unsupported", "virtual repositories");
        invalid("central", "{\"defaultDeployRepo\":\"libs\"}", "field_unsupported", "'defaultDeployRepo'");
        invalid("libs", "{\"url\":\"https://e.org\"}", "field_unsupported", "remote repositories");
        invalid("libs", "{\"offline\":true}", "field_unsupported", "'offline'");
        invalid("libs", "{\"username\":\"u\"}", "field_unsupported", "'username'");
        invalid("libs", "{\"repositories\":[]}", "field_unsupported", "'repositories'");
        invalid("gen-virtual", "{\"cacheSeconds\":5}", "field_unsupported", "'cacheSeconds'");

        JsonNode moved = put("central", "{\"url\":\"https://repo.maven.apache.org/maven2\",\"offline\":true}", 200)
                .json();
        assertThat(moved.path("url").asText()).isEqualTo("https://repo.maven.apache.org/maven2");
        assertThat(moved.path("offline").asBoolean()).isTrue();
    }

    @Test
    void membersAreCheckedOneByOne() {
        put("v1", "{\"packageType\":\"maven\",\"rclass\":\"virtual\"}", 201);
        invalid("v1", "{\"repositories\":[\"libs\",\"nope\"]}", "members_invalid", "'repositories[1]'", "nope");
        invalid("v1", "{\"repositories\":[\"gen\"]}", "members_invalid", "generic");
        invalid("v1", "{\"repositories\":[\"gen-virtual\"]}", "members_invalid", "do not nest");
        invalid("v1", "{\"repositories\":[\"v1\"]}", "members_invalid", "itself");
        invalid("v1", "{\"repositories\":[\"libs\",\"libs\"]}", "members_invalid", "twice");
        invalid("v1", "{\"repositories\":[\"\"]}", "members_invalid", "'repositories[0]'");
        String many = IntStream.range(0, 51).mapToObj(i -> "\"m" + i + "\"").collect(Collectors.joining(","));
        invalid("v1", "{\"repositories\":[" + many + "]}", "members_invalid", "more than 50");
        invalid(
                "v1",
                "{\"repositories\":[\"libs\"],\"defaultDeployRepo\":\"central\"}",
                "default_deploy_repo_invalid",
                "not one of the members");
        invalid(
                "v1",
                "{\"repositories\":[\"libs\",\"central\"],\"defaultDeployRepo\":\"central\"}",
                "default_deploy_repo_invalid",
                "local");
        JsonNode ok = put("v1", "{\"repositories\":[\"central\",\"libs\"],\"defaultDeployRepo\":\"libs\"}", 200)
                .json();
        assertThat(ok.path("repositories").toString()).isEqualTo("[\"central\",\"libs\"]");
        assertThat(ok.path("defaultDeployRepo").asText()).isEqualTo("libs");
    }

    @Test
    void patternsAndArtifactorysSpellingOfThem() {
        put("pat", "{}", 201);
        invalid("pat", "{\"includePatterns\":[]}", "patterns_invalid", "'includePatterns' is empty");
        invalid("pat", "{\"includePatterns\":[\"a/**b\"]}", "patterns_invalid", "'includePatterns[0]'");
        invalid("pat", "{\"excludePatterns\":[\"ok/**\",\"../x\"]}", "patterns_invalid", "'excludePatterns[1]'");
        String many = IntStream.range(0, 101).mapToObj(i -> "\"p" + i + "\"").collect(Collectors.joining(","));
        invalid("pat", "{\"excludePatterns\":[" + many + "]}", "patterns_invalid", "more than 100");
        invalid(
                "pat",
                "{\"includePatterns\":[\"**\"],\"includesPattern\":\"**/*\"}",
                "body_invalid",
                "'includePatterns'",
                "'includesPattern'");
        invalid("pat", "{\"includesPattern\":\"com/**, a/**b\"}", "patterns_invalid", "'includePatterns[1]'");

        JsonNode r = put(
                        "pat",
                        "{\"includesPattern\":\"com/acme/**, org/acme/**\",\"excludesPattern\":\"**/*.key\"}",
                        200)
                .json();
        assertThat(r.path("includePatterns").toString()).isEqualTo("[\"com/acme/**\",\"org/acme/**\"]");
        assertThat(r.path("excludePatterns").toString()).isEqualTo("[\"**/*.key\"]");
        r = put("pat", "{\"includesPattern\":\"**/*\",\"excludesPattern\":\"\"}", 200)
                .json();
        assertThat(r.path("includePatterns").toString()).isEqualTo("[\"**\"]");
        assertThat(r.path("excludePatterns").toString()).isEqualTo("[]");
    }

    @Test
    void aMemberOfAVirtualRepositoryCannotBeDeletedUntilItIsRemoved() {
        put("member", "{}", 201);
        Fixtures.put(admin, "/repository/member/a.txt", "kept");
        put("uses-member", "{\"rclass\":\"virtual\",\"repositories\":[\"member\"]}", 201);
        put("also-uses", "{\"rclass\":\"virtual\",\"repositories\":[\"gen\",\"member\"]}", 201);

        Http.Response r = admin.delete("/api/repositories/member");
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("repository_in_use");
        assertThat(r.json().path("error").path("message").asText()).contains("'also-uses'", "'uses-member'");
        assertThat(admin.get("/repository/member/a.txt").body()).isEqualTo("kept");

        put("uses-member", "{\"repositories\":[]}", 200);
        put("also-uses", "{\"repositories\":[\"gen\"]}", 200);
        assertThat(admin.delete("/api/repositories/member").status()).isEqualTo(204);
        assertThat(admin.get("/api/repositories/member").status()).isEqualTo(404);
    }
}
