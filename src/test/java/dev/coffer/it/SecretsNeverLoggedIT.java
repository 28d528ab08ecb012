package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Http;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * API.md §4 rule 5: a whole session that creates and uses every kind of secret — in headers, in
 * bodies, in URL paths and query strings — and then every byte the server wrote (standard output,
 * standard error, the access log with its rotated files) is searched for each of them.
 */
class SecretsNeverLoggedIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"logs/access.log", "stdout"})
    void noSecretReachesAnyLog(String accessLog, @TempDir Path data) throws Exception {
        String adminPw = "admin-" + UUID.randomUUID();
        String alicePw = "alice-" + UUID.randomUUID();
        String wrongPw = "wrong-" + UUID.randomUUID();
        List<String> secrets = new ArrayList<>(List.of(adminPw, alicePw, wrongPw));
        String all;
        try (CofferProcess c = CofferProcess.start(
                data, List.of(), Map.of("COFFER_ADMIN_PASSWORD", adminPw, "COFFER_ACCESS_LOG", accessLog))) {
            String base = c.base();
            Http admin = new Http(base).basic("admin", adminPw);
            admin.putJson("/api/repositories/libs", "{}");
            admin.putJson("/api/users/alice", "{\"password\":\"" + alicePw + "\"}");
            admin.putJson(
                    "/api/permissions/alice-libs",
                    "{\"repositories\":[\"libs\"],\"includePatterns\":[\"**\"],"
                            + "\"users\":{\"alice\":[\"r\",\"w\",\"d\"]}}");
            Http alice = new Http(base).basic("alice", alicePw).header("User-Agent", "script/1.0");
            assertThat(alice.put("/repository/libs/a.txt", "hello").status()).isEqualTo(201);
            assertThat(new Http(base).basic("alice", wrongPw).get("/api/me").status())
                    .isEqualTo(401);

            String key = alice.post("/api/access-keys", "{\"description\":\"k\"}")
                    .json()
                    .path("key")
                    .asText();
            JsonNode t = alice.header("Content-Type", "application/x-www-form-urlencoded")
                    .post("/access/api/v1/tokens", "refreshable=true&expires_in=3600")
                    .json();
            String token = t.path("access_token").asText();
            String refresh = t.path("refresh_token").asText();
            JsonNode s = new Http(base)
                    .post("/api/tokens", "{\"username\":\"alice\",\"password\":\"" + alicePw + "\"}")
                    .json();
            String session = s.path("token").asText();
            String userId = s.path("user_id").asText();
            secrets.addAll(List.of(key, token, refresh, session));

            // every way of presenting them
            Http anon = new Http(base);
            for (Http h : List.of(
                    anon.header("X-Auth-AccessKey", key),
                    anon.bearer(key),
                    anon.basic("alice", key),
                    anon.basic(key, ""),
                    anon.header("Circle-Token", key),
                    anon.bearer(token),
                    anon.basic("alice", token),
                    anon.header("X-Auth-Token", session).header("X-Auth-UserId", userId))) {
                assertThat(h.get("/repository/libs/a.txt").status()).isEqualTo(200);
            }
            // in URLs: paths, query strings, user agents, and wrong ones that are refused
            anon.get("/repository/libs/" + token);
            anon.get("/api/me?access_token=" + token + "&password=" + alicePw + "&" + key + "=1");
            anon.get("/repository/libs/a.txt?refresh_token=" + refresh);
            anon.header("User-Agent", "agent " + key).get("/api/me");
            anon.bearer(token + "x").get("/api/me");
            anon.get("/no/such/" + session + "/route?x=" + URLEncoder.encode(alicePw, StandardCharsets.UTF_8));
            JsonNode renewed = anon.post("/access/api/v1/tokens?grant_type=refresh_token&refresh_token=" + refresh, "")
                    .json();
            if (renewed.has("access_token")) {
                secrets.add(renewed.path("access_token").asText());
                secrets.add(renewed.path("refresh_token").asText());
            }
            String current = renewed.path("access_token").asText(token);
            String currentRefresh = renewed.path("refresh_token").asText(refresh);
            JsonNode renewed2 = anon.header("Content-Type", "application/x-www-form-urlencoded")
                    .post("/access/api/v1/tokens", "grant_type=refresh_token&refresh_token=" + currentRefresh)
                    .json();
            assertThat(renewed2.has("access_token")).as(renewed2.toString()).isTrue();
            current = renewed2.path("access_token").asText();
            secrets.add(current);
            secrets.add(renewed2.path("refresh_token").asText());
            // log out with the token in the path (Tuleap), and use it once more
            Http sess = anon.header("X-Auth-Token", session).header("X-Auth-UserId", userId);
            assertThat(sess.delete("/api/tokens/" + session).status()).isEqualTo(204);
            assertThat(sess.get("/api/me").status()).isEqualTo(401);
            assertThat(anon.bearer(current).get("/api/me").status()).isEqualTo(200);
            assertThat(anon.bearer(current).delete("/access/api/v1/tokens/me").status())
                    .isEqualTo(200);
            assertThat(anon.bearer(current).get("/api/me").status()).isEqualTo(401);
            c.terminate(60);
            all = String.join("\n", c.stdout()) + "\n" + c.stderr();
        }
        Path logs = data.resolve("logs");
        List<String> accessLines = new ArrayList<>();
        if (Files.isDirectory(logs)) {
            try (Stream<Path> files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    all += "\n" + Files.readString(f, StandardCharsets.UTF_8);
                }
            }
        }
        for (String line : all.split("\n")) {
            if (line.startsWith("{\"time\"")) {
                accessLines.add(line);
            }
        }
        // the access log was really written (to the file or to standard output, as configured)
        assertThat(accessLines).hasSizeGreaterThan(20);
        assertThat(accessLines).anySatisfy(l -> {
            JsonNode n = JSON.readTree(l);
            assertThat(n.path("route").asText()).isEqualTo("/api/tokens/{token}");
            assertThat(n.path("method").asText()).isEqualTo("DELETE");
            assertThat(n.path("path").asText()).isEqualTo("/api/tokens/cofst_[redacted]");
            assertThat(n.path("authenticatedBy").asText()).isEqualTo("session-token");
        });
        assertThat(Files.exists(data.resolve("logs/access.log"))).isEqualTo(!accessLog.equals("stdout"));
        for (String secret : secrets) {
            assertThat(secret).hasSizeGreaterThan(10);
            assertThat(all).as("a secret in the logs").doesNotContain(secret);
            // nor its URL-encoded form
            assertThat(all).doesNotContain(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        }
    }
}
