package dev.coffer.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.ArtifactPath;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.PathFilter;
import dev.coffer.repository.RemoteSettings;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryClass;
import dev.coffer.testing.Http;
import dev.coffer.testing.UpstreamServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the upstream client sends: the URL, the remote's credentials (to its origin only), its name. */
class UpstreamClientTest {
    private final UpstreamServer upstream = UpstreamServer.start();
    private final UpstreamServer elsewhere = UpstreamServer.start();
    private final UpstreamClient client = new UpstreamClient(
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            r -> Optional.ofNullable(r.remote().sealedPassword()).map(p -> "opened-" + p + "-for-" + r.name()));

    @AfterEach
    void close() {
        client.close();
        upstream.close();
        elsewhere.close();
    }

    private static Repository repo(String base, String user, String storedPassword) {
        return new Repository(
                "up",
                "",
                false,
                PackageType.MAVEN,
                RepositoryClass.REMOTE,
                PathFilter.ALL,
                new RemoteSettings(URI.create(base), user, storedPassword, 600, false),
                null,
                1,
                1);
    }

    private UpstreamAnswer get(String base, String user, String storedPassword, String path) {
        UpstreamAnswer a = client.get(repo(base, user, storedPassword), ArtifactPath.of(path), Validators.NONE);
        if (a instanceof UpstreamAnswer.Found f) {
            f.close();
        }
        return a;
    }

    @Test
    void segmentsArePercentEncodedAndJoinedWithoutDoubleSlashes() {
        get(upstream.url() + "//", null, null, "com/a b/x#y?z%/\u00e9+;.txt");
        assertThat(upstream.seen().get(0).rawPath()).isEqualTo("/maven2/com/a%20b/x%23y%3Fz%25/%C3%A9+%3B.txt");
    }

    @Test
    void theRemotesCredentialsGoAsBasicWithCoffersUserAgent() {
        upstream.put("a.txt", "a");
        assertThat(get(upstream.url(), "svc", "s3aled", "a.txt")).isInstanceOf(UpstreamAnswer.Found.class);
        UpstreamServer.Seen seen = upstream.seen().get(0);
        assertThat(seen.header("Authorization")).isEqualTo(Http.basicAuthorization("svc", "opened-s3aled-for-up"));
        assertThat(seen.header("User-Agent")).isEqualTo(UpstreamClient.USER_AGENT);

        get(upstream.url(), null, null, "a.txt");
        assertThat(upstream.seen().get(1).header("Authorization")).isNull();
    }

    @Test
    void redirectsAreFollowedButCredentialsStayWithTheUpstreamsOrigin() {
        elsewhere.put("moved.txt", "m");
        upstream.redirect("a.txt", elsewhere.url() + "/moved.txt");
        assertThat(get(upstream.url(), "svc", "pw", "a.txt")).isInstanceOf(UpstreamAnswer.Found.class);
        assertThat(upstream.seen().get(0).header("Authorization")).isNotNull();
        assertThat(elsewhere.seen()).hasSize(1);
        assertThat(elsewhere.seen().get(0).header("Authorization")).isNull();
    }

    @Test
    void aRedirectToAFolderListingIsNoFile() {
        upstream.put("dir/", "<html>listing</html>");
        upstream.redirect("dir", upstream.url() + "/dir/");
        assertThat(get(upstream.url(), null, null, "dir")).isInstanceOf(UpstreamAnswer.Absent.class);
    }

    @Test
    void statusesAreClassified() {
        assertThat(get(upstream.url(), null, null, "missing")).isInstanceOf(UpstreamAnswer.Absent.class);
        upstream.force(401);
        assertThat(get(upstream.url(), null, null, "x")).isInstanceOf(UpstreamAnswer.Failed.class);
        upstream.force(500);
        assertThat(((UpstreamAnswer.Failed) get(upstream.url(), null, null, "x")).reason())
                .contains("500");
        upstream.close();
        assertThat(((UpstreamAnswer.Failed) get(upstream.url(), null, null, "x")).reason())
                .contains("refused");
    }

    @Test
    void anUpstreamThatDoesNotAnswerOrStallsInsideTheBodyFailsWithinTheLimits() throws Exception {
        try (UpstreamClient impatient = new UpstreamClient(
                Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMillis(300), r -> Optional.empty())) {
            upstream.put("slow.txt", "s");
            upstream.gate("slow.txt", 1); // never opened: no response headers
            UpstreamAnswer a =
                    impatient.get(repo(upstream.url(), null, null), ArtifactPath.of("slow.txt"), Validators.NONE);
            assertThat(((UpstreamAnswer.Failed) a).reason()).contains("did not answer within");

            upstream.putStalling("stall.bin", new byte[100_000], 1000);
            UpstreamAnswer.Found f = (UpstreamAnswer.Found)
                    impatient.get(repo(upstream.url(), null, null), ArtifactPath.of("stall.bin"), Validators.NONE);
            try (f) {
                assertThat(f.size()).isEqualTo(100_000);
                IOException stalled = org.junit.jupiter.api.Assertions.assertThrows(
                        IOException.class, () -> f.body().readAllBytes());
                assertThat(stalled.getMessage()).contains("sent nothing for");
            }
        }
    }

    @Test
    void redirectsAreNeverFollowedFromHttpsToHttpNorToOtherSchemes() {
        URI https = URI.create("https://repo.example.com/maven2/a.jar");
        assertThat(UpstreamClient.refusal(https, URI.create("http://repo.example.com/maven2/a.jar")))
                .contains("https to http");
        assertThat(UpstreamClient.refusal(https, URI.create("https://cdn.example.com/a.jar")))
                .isNull();
        assertThat(UpstreamClient.refusal(URI.create("http://repo.example.com/a"), https))
                .isNull();
        assertThat(UpstreamClient.refusal(https, URI.create("ftp://repo.example.com/a.jar")))
                .contains("ftp");
        assertThat(UpstreamClient.location(https, "/other/b.jar"))
                .isEqualTo(URI.create("https://repo.example.com/other/b.jar"));
        assertThat(UpstreamClient.location(https, "file:///etc/passwd")).isNull();
        assertThat(UpstreamClient.location(https, "http://[broken")).isNull();
        assertThat(UpstreamClient.location(https, null)).isNull();
    }

    @Test
    void tooManyRedirectsFail() {
        upstream.redirect("loop", upstream.url() + "/loop");
        assertThat(((UpstreamAnswer.Failed) get(upstream.url(), null, null, "loop")).reason())
                .contains("more than 5");
    }
}
