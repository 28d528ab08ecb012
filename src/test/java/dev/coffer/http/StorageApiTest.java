package dev.coffer.http;

import static dev.coffer.testing.Fixtures.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Bytes;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** API.md §2: /api/storage info and Artifactory-style properties. */
class StorageApiTest {
    private static TestServer server;
    private static Http admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String newRepo() {
        return Fixtures.newRepo(server, "st");
    }

    private static List<String> values(JsonNode props, String key) {
        List<String> out = new ArrayList<>();
        props.path(key).forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void fileInfo() {
        String repo = newRepo();
        byte[] data = Bytes.pattern(4321);
        Instant before = Instant.now().minusSeconds(2);
        Fixtures.put(admin, "/repository/" + repo + "/com/acme/lib.jar", "");
        admin.put("/repository/" + repo + "/com/acme/lib.jar", data);

        Http.Response r = admin.get("/api/storage/" + repo + "/com/acme/lib.jar");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode j = r.json();
        assertThat(j.path("repo").asText()).isEqualTo(repo);
        assertThat(j.path("path").asText()).isEqualTo("com/acme/lib.jar");
        assertThat(j.path("folder").isBoolean()).isTrue();
        assertThat(j.path("folder").asBoolean()).isFalse();
        assertThat(j.path("size").asLong()).isEqualTo(4321);
        Instant created = Instant.parse(j.path("created").asText());
        Instant modified = Instant.parse(j.path("lastModified").asText());
        assertThat(created).isAfter(before).isBeforeOrEqualTo(modified);
        assertThat(modified).isBefore(Instant.now().plusSeconds(2));
        assertThat(j.path("createdBy").asText()).isEqualTo("admin");
        assertThat(j.path("checksums").path("sha256").asText()).isEqualTo(Digests.hex("SHA-256", data));
        assertThat(j.path("checksums").path("sha1").asText()).isEqualTo(Digests.hex("SHA-1", data));
        assertThat(j.path("checksums").path("md5").asText()).isEqualTo(Digests.hex("MD5", data));
        assertThat(j.path("properties").isObject()).isTrue();
        assertThat(j.path("properties").size()).isZero();
        assertThat(j.path("children").isArray()).isTrue();
        assertThat(j.path("children").size()).isZero();
    }

    @Test
    void folderInfo() {
        String repo = newRepo();
        for (String p : List.of("f/a.txt", "f/sub/b.txt", "f/sub/deeper/c.txt", "g.txt")) {
            Fixtures.put(admin, "/repository/" + repo + "/" + p, p);
        }
        JsonNode f = admin.get("/api/storage/" + repo + "/f").json();
        assertThat(f.path("repo").asText()).isEqualTo(repo);
        assertThat(f.path("path").asText()).isEqualTo("f");
        assertThat(f.path("folder").asBoolean()).isTrue();
        assertThat(f.path("children")).hasSize(2);
        assertThat(f.path("children").get(0).path("name").asText()).isEqualTo("a.txt");
        assertThat(f.path("children").get(0).path("folder").asBoolean(true)).isFalse();
        assertThat(f.path("children").get(1).path("name").asText()).isEqualTo("sub");
        assertThat(f.path("children").get(1).path("folder").asBoolean()).isTrue();

        assertThat(admin.get("/api/storage/" + repo + "/f/").json().path("children"))
                .hasSize(2);
        JsonNode root = admin.get("/api/storage/" + repo).json();
        assertThat(root.path("folder").asBoolean()).isTrue();
        assertThat(root.path("children").findValuesAsText("name")).containsExactly("f", "g.txt");
        assertThat(admin.get("/api/storage/" + repo + "/").json().path("children"))
                .hasSize(2);
    }

    @Test
    void emptyRepositoryRootIsAnEmptyFolder() {
        String repo = newRepo();
        JsonNode root = admin.get("/api/storage/" + repo + "/").json();
        assertThat(root.path("folder").asBoolean()).isTrue();
        assertThat(root.path("children")).isEmpty();
    }

    @Test
    void setAndDeleteProperties() {
        String repo = newRepo();
        String file = "/api/storage/" + repo + "/p/app.zip";
        Fixtures.put(admin, "/repository/" + repo + "/p/app.zip", "zip");

        Http.Response set = admin.put(file + "?properties=" + enc("k1=v1;k2=v2,v3"), "");
        assertThat(set.status()).as(set.toString()).isEqualTo(204);
        JsonNode props = admin.get(file).json().path("properties");
        assertThat(values(props, "k1")).containsExactly("v1");
        assertThat(values(props, "k2")).containsExactly("v2", "v3");

        Http.Response del = admin.delete(file + "?properties=k1");
        assertThat(del.status()).as(del.toString()).isEqualTo(204);
        props = admin.get(file).json().path("properties");
        assertThat(props.has("k1")).isFalse();
        assertThat(values(props, "k2")).containsExactly("v2", "v3");

        // the content is untouched by properties
        assertThat(admin.get("/repository/" + repo + "/p/app.zip").body()).isEqualTo("zip");
    }

    @Test
    void propertiesInArtifactorysUnencodedSyntax() {
        String repo = newRepo();
        String file = "/api/storage/" + repo + "/p/raw.zip";
        Fixtures.put(admin, "/repository/" + repo + "/p/raw.zip", "zip");
        assertThat(admin.put(file + "?properties=a=1;b=2,3", "").status()).isEqualTo(204);
        JsonNode props = admin.get(file).json().path("properties");
        assertThat(values(props, "a")).containsExactly("1");
        assertThat(values(props, "b")).containsExactly("2", "3");
        assertThat(admin.delete(file + "?properties=a,b").status()).isEqualTo(204);
        assertThat(admin.get(file).json().path("properties").size()).isZero();
    }

    @Test
    void setReplacesTheValuesOfAKey() {
        String repo = newRepo();
        String file = "/api/storage/" + repo + "/r.zip";
        Fixtures.put(admin, "/repository/" + repo + "/r.zip", "zip");
        admin.put(file + "?properties=" + enc("k=a,b"), "");
        admin.put(file + "?properties=" + enc("k=c;other=x y"), "");
        JsonNode props = admin.get(file).json().path("properties");
        assertThat(values(props, "k")).containsExactly("c");
        assertThat(values(props, "other")).containsExactly("x y");
    }

    @Test
    void propertiesNeedAnnotate() {
        String repo = newRepo();
        Fixtures.put(admin, "/repository/" + repo + "/f.zip", "zip");
        admin.put("/api/storage/" + repo + "/f.zip?properties=keep=1", "");
        Fixtures.user(server, "rw-" + repo, "pw-password");
        Fixtures.user(server, "ra-" + repo, "pw-password");
        Fixtures.grantUser(server, "rw-" + repo, repo, "rw-" + repo, "rw");
        Fixtures.grantUser(server, "ra-" + repo, repo, "ra-" + repo, "ra");
        Http rw = new Http(server.base()).basic("rw-" + repo, "pw-password");
        Http ra = new Http(server.base()).basic("ra-" + repo, "pw-password");
        String file = "/api/storage/" + repo + "/f.zip";

        assertThat(rw.get(file).status()).isEqualTo(200);
        Http.Response put = rw.put(file + "?properties=k=v", "");
        assertThat(put.status()).as(put.toString()).isEqualTo(403);
        assertThat(put.errorCode()).isEqualTo("forbidden");
        assertThat(rw.delete(file + "?properties=keep").status()).isEqualTo(403);
        assertThat(rw.put("/api/storage/" + repo + "/missing.zip?properties=k=v", "")
                        .status())
                .isEqualTo(403);
        JsonNode props = admin.get(file).json().path("properties");
        assertThat(props.has("k")).isFalse();
        assertThat(values(props, "keep")).containsExactly("1");

        assertThat(ra.put(file + "?properties=k=v", "").status()).isEqualTo(204);
        assertThat(ra.delete(file + "?properties=keep").status()).isEqualTo(204);
        props = admin.get(file).json().path("properties");
        assertThat(values(props, "k")).containsExactly("v");
        assertThat(props.has("keep")).isFalse();
    }

    @Test
    void missingThingsAre404() {
        String repo = newRepo();
        Fixtures.put(admin, "/repository/" + repo + "/there.txt", "x");
        Http.Response r = admin.get("/api/storage/" + repo + "/missing.txt");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("not_found");
        assertThat(admin.get("/api/storage/" + repo + "/no/such/folder/").status())
                .isEqualTo(404);
        assertThat(admin.put("/api/storage/" + repo + "/missing.txt?properties=k=v", "")
                        .status())
                .isEqualTo(404);
        assertThat(admin.delete("/api/storage/" + repo + "/missing.txt?properties=k")
                        .status())
                .isEqualTo(404);
        Http.Response noRepo = admin.get("/api/storage/" + Fixtures.unique("nosuch") + "/x");
        assertThat(noRepo.status()).isEqualTo(404);
        assertThat(noRepo.errorCode()).isEqualTo("repository_not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?properties=", "?properties=novalue", "?properties=%3Dv", "?other=k=v"})
    void malformedPropertySpecIs400(String query) {
        String repo = newRepo();
        Fixtures.put(admin, "/repository/" + repo + "/f.zip", "zip");
        Http.Response r = admin.put("/api/storage/" + repo + "/f.zip" + query, "");
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(admin.get("/api/storage/" + repo + "/f.zip")
                        .json()
                        .path("properties")
                        .size())
                .isZero();
    }
}
