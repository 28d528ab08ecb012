package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.config.Settings;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 (finding 13), SECURITY-CHECKLIST 11: the download links of {@code /api/builds/...}
 * come from {@code public.url}, else from a trusted proxy's X-Forwarded-Proto/-Host, and only
 * without either from the request's own Host.
 */
class LinkBaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** GET /api/builds/web/42/artifacts with exactly these header lines (Host among them), on a socket. */
    private static JsonNode artifacts(TestServer s, String... headerLines) throws IOException {
        StringBuilder req = new StringBuilder("GET /api/builds/web/42/artifacts HTTP/1.1\r\nConnection: close\r\n");
        for (String line : headerLines) {
            req.append(line).append("\r\n");
        }
        req.append("\r\n");
        RawHttp.Reply r = RawHttp.exchange(
                s.port(), req.toString().getBytes(StandardCharsets.ISO_8859_1), "GET /api/builds/web/42/artifacts");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static TestServer serverWithABuild(Map<String, String> settings) {
        TestServer s = TestServer.start(settings);
        Fixtures.repo(s, "pub", true);
        Fixtures.put(s.admin(), "/repository/pub/app/app.jar;build.name=web;build.number=42", "jar");
        return s;
    }

    private static String url(JsonNode artifacts) {
        assertThat(artifacts).hasSize(1);
        return artifacts.get(0).get("url").asText();
    }

    @Test
    void aConfiguredPublicUrlWinsOverAnyHost() throws IOException {
        try (TestServer s = serverWithABuild(
                Map.of("public.url", "https://repo.example.com/coffer/", "trusted.proxies", "127.0.0.1"))) {
            assertThat(url(artifacts(s, "Host: evil.example")))
                    .isEqualTo("https://repo.example.com/coffer/repository/pub/app/app.jar");
            assertThat(url(artifacts(
                            s, "Host: evil.example", "X-Forwarded-Host: evil2.example", "X-Forwarded-Proto: http")))
                    .startsWith("https://repo.example.com/coffer/");
        }
    }

    @Test
    void aTrustedProxysForwardedHostAndProtoAreUsed() throws IOException {
        try (TestServer s = serverWithABuild(Map.of("trusted.proxies", "127.0.0.1"))) {
            assertThat(url(artifacts(
                            s,
                            "Host: internal:8080",
                            "X-Forwarded-Host: repo.example.com",
                            "X-Forwarded-Proto: https")))
                    .isEqualTo("https://repo.example.com/repository/pub/app/app.jar");
            // the first (outermost) of a list; garbage is not used
            assertThat(url(artifacts(
                            s,
                            "Host: internal:8080",
                            "X-Forwarded-Host: repo.example.com:8443, inner",
                            "X-Forwarded-Proto: https, http")))
                    .startsWith("https://repo.example.com:8443/repository/");
            assertThat(url(artifacts(
                            s,
                            "Host: internal:8080",
                            "X-Forwarded-Host: evil.example/x?",
                            "X-Forwarded-Proto: javascript")))
                    .startsWith("http://internal:8080/repository/");
        }
    }

    @Test
    void withoutEitherTheRequestsHostIsUsedAndForwardedHeadersAreNot() throws IOException {
        try (TestServer s = serverWithABuild(Map.of())) {
            assertThat(url(artifacts(
                            s,
                            "Host: direct.example:8080",
                            "X-Forwarded-Host: evil.example",
                            "X-Forwarded-Proto: https")))
                    .startsWith("http://direct.example:8080/repository/");
        }
    }

    @Test
    void theForwardedHeadersOfAnUntrustedPeerAreIgnored() throws IOException {
        try (TestServer s = serverWithABuild(Map.of("trusted.proxies", "10.0.0.0/8"))) {
            assertThat(url(artifacts(s, "Host: direct.example", "X-Forwarded-Host: evil.example")))
                    .startsWith("http://direct.example/repository/");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://repo.example.com",
                "https://user:pw@repo.example.com",
                "repo.example.com",
                "https://repo.example.com/?q=1",
                "https://repo.example.com/#x",
                "https://",
                "https://repo example"
            })
    void aBadPublicUrlStopsTheStart(String value) {
        assertThatThrownBy(() -> Settings.load(Map.of("public.url", value), Map.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'public.url' (COFFER_PUBLIC_URL)");
    }

    @Test
    void aPublicUrlIsKeptWithoutItsTrailingSlash() {
        assertThat(Settings.load(Map.of(), Map.of("COFFER_PUBLIC_URL", "https://repo.example.com/"), null)
                        .publicUrl())
                .isEqualTo("https://repo.example.com");
        assertThat(Settings.load(Map.of(), Map.of(), null).publicUrl()).isEmpty();
        assertThat(List.of(Settings.load(Map.of(), Map.of("COFFER_PUBLIC_URL", "http://10.0.0.1:8080/a/b"), null)
                        .publicUrl()))
                .containsExactly("http://10.0.0.1:8080/a/b");
    }
}
