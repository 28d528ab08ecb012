package dev.coffer.format.npm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.CofferException;
import dev.coffer.remote.Origin;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where an npm remote's documents and tarballs come from, and what a tarball is checked against. */
class RemoteDocumentTest {
    private static final byte[] TGZ = "tgz".getBytes(StandardCharsets.UTF_8);
    private static final URI UP = URI.create("https://up.example/npm/");

    private static ObjectNode doc(String name, ObjectNode dist) {
        ObjectNode d = Packument.MAPPER.createObjectNode().put("name", name);
        d.putObject("versions").putObject("1.0.0").set("dist", dist);
        return d;
    }

    private static ObjectNode dist() {
        return Packument.MAPPER.createObjectNode().put("tarball", "https://up.example/web/-/web-1.0.0.tgz");
    }

    @Test
    void documentsAreAtTheRegistrysAddressScopedNamesWithAnEncodedSlash() {
        assertThat(RemoteDocument.location(URI.create("https://r.example/npm//"), "@acme/web"))
                .hasToString("https://r.example/npm/@acme%2fweb");
        assertThat(RemoteDocument.location(URI.create("https://r.example"), "web"))
                .hasToString("https://r.example/web");
    }

    @Test
    void sha512IntegrityIsPreferredThenTheSha1Shasum() throws Exception {
        byte[] sha512 = MessageDigest.getInstance("SHA-512").digest(TGZ);
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(TGZ);
        ObjectNode both = dist().put(
                        "integrity", "sha1-xyz sha512-" + Base64.getEncoder().encodeToString(sha512))
                .put("shasum", HexFormat.of().formatHex(sha1));
        Origin o = RemoteDocument.tarball(doc("web", both), "web", "web-1.0.0.tgz", UP);
        assertThat(o.uri()).hasToString("https://up.example/web/-/web-1.0.0.tgz");
        assertThat(o.integrity().algorithm()).isEqualTo("SHA-512");
        assertThat(o.integrity().digest()).isEqualTo(sha512);

        ObjectNode shasum = dist().put("shasum", HexFormat.of().formatHex(sha1).toUpperCase());
        Origin s = RemoteDocument.tarball(doc("web", shasum), "web", "web-1.0.0.tgz", UP);
        assertThat(s.integrity().algorithm()).isEqualTo("SHA-1");
        assertThat(s.integrity().digest()).isEqualTo(sha1);
    }

    @Test
    void noChecksumABrokenOneOrNoHttpUrlIsRefusedAndAnUnknownFileIsNotFound() {
        assertThatThrownBy(() -> RemoteDocument.tarball(doc("web", dist()), "web", "web-1.0.0.tgz", UP))
                .isInstanceOf(CofferException.class)
                .hasMessageContaining("neither a sha512 dist.integrity nor a sha1 dist.shasum");
        assertThatThrownBy(() -> RemoteDocument.tarball(
                        doc("web", dist().put("integrity", "sha512-AAAA")), "web", "web-1.0.0.tgz", UP))
                .hasMessageContaining("is not a sha512 digest");
        ObjectNode file = dist().put("tarball", "file:///etc/passwd").put("shasum", "0".repeat(40));
        assertThatThrownBy(() -> RemoteDocument.tarball(doc("web", file), "web", "web-1.0.0.tgz", UP))
                .hasMessageContaining("no http(s) tarball URL");
        assertThatThrownBy(() -> RemoteDocument.tarball(doc("web", dist()), "web", "web-2.0.0.tgz", UP))
                .isInstanceOf(CofferException.class)
                .extracting(e -> ((CofferException) e).failure().code())
                .isEqualTo("not_found");
    }

    @Test
    void aTarballIsFetchedOnlyFromTheUpstreamsSchemeHostAndPort() {
        String sha1 = "0".repeat(40);
        for (String elsewhere : List.of(
                "https://169.254.169.254/latest/meta-data",
                "http://up.example/web/-/web-1.0.0.tgz",
                "https://up.example:8443/web/-/web-1.0.0.tgz",
                "https://up.example.evil/web/-/web-1.0.0.tgz",
                "https://127.0.0.1/web/-/web-1.0.0.tgz")) {
            ObjectNode d = dist().put("tarball", elsewhere).put("shasum", sha1);
            assertThatThrownBy(() -> RemoteDocument.tarball(doc("web", d), "web", "web-1.0.0.tgz", UP))
                    .as(elsewhere)
                    .isInstanceOfSatisfying(CofferException.class, e -> {
                        assertThat(e.failure().code()).isEqualTo("upstream_unavailable");
                        assertThat(e.failure().message()).contains("another host");
                    });
        }
        ObjectNode upper = dist().put("tarball", "https://UP.example:443/web/-/web-1.0.0.tgz")
                .put("shasum", sha1);
        assertThat(RemoteDocument.tarball(doc("web", upper), "web", "web-1.0.0.tgz", UP)
                        .uri()
                        .getHost())
                .isEqualTo("UP.example");
    }
}
