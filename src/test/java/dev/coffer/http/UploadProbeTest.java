package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Bytes;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 15, item 10: a caller without `r` learns nothing from an upload that a plain write would not
 * tell. The upload itself (checksums, size) is checked before anything that depends on whether
 * the file exists, so a bad upload answers the same over an existing file and a missing one.
 */
class UploadProbeTest {
    private static TestServer server;
    private static Http admin;
    private static Http writer;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("max.upload", "1k"));
        admin = server.admin();
        Fixtures.repo(server, "probe", false);
        Fixtures.user(server, "wonly", "wonly-pass");
        Fixtures.grantUser(server, "wonly-probe", "probe", "wonly", "w");
        writer = new Http(server.base()).basic("wonly", "wonly-pass");
        Fixtures.put(admin, "/repository/probe/p/exists.bin", "admin's");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource({"X-Checksum-Sha256, 64", "X-Checksum-Sha1, 40", "X-Checksum-Md5, 32"})
    void aWrongChecksumIs409WhetherOrNotTheFileExists(String header, int digits) {
        Http bad = writer.header(header, "0".repeat(digits));
        Http.Response existing = bad.put("/repository/probe/p/exists.bin", "mine");
        Http.Response absent = bad.put("/repository/probe/p/absent.bin", "mine");
        assertThat(existing.status()).as(existing.toString()).isEqualTo(409);
        assertThat(existing.errorCode()).isEqualTo("checksum_mismatch");
        assertThat(absent.status()).as(absent.toString()).isEqualTo(409);
        assertThat(absent.body()).isEqualTo(existing.body());
        assertThat(admin.get("/repository/probe/p/exists.bin").body()).isEqualTo("admin's");
        assertThat(admin.get("/repository/probe/p/absent.bin").status()).isEqualTo(404);
    }

    @Test
    void anUploadOverTheLimitIs413WhetherOrNotTheFileExists() {
        byte[] big = Bytes.pattern(2048);
        // streamed without Content-Length, so only reading the body finds it too large
        Http.Response existing =
                writer.putStream("/repository/probe/p/exists.bin", () -> new ByteArrayInputStream(big));
        Http.Response absent =
                writer.putStream("/repository/probe/p/absent-big.bin", () -> new ByteArrayInputStream(big));
        assertThat(existing.status()).as(existing.toString()).isEqualTo(413);
        assertThat(absent.status()).as(absent.toString()).isEqualTo(413);
        assertThat(absent.body()).isEqualTo(existing.body());
        assertThat(admin.get("/repository/probe/p/exists.bin").body()).isEqualTo("admin's");
    }

    @Test
    void aGoodUploadStillTellsWhatAPlainWriteTells() {
        Http.Response refused = writer.put("/repository/probe/p/exists.bin", "mine");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("overwrite_denied");
        String sha = Digests.hex("SHA-256", "mine".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Http.Response created = writer.header("X-Checksum-Sha256", sha).put("/repository/probe/p/new.bin", "mine");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }
}
