package dev.coffer.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.PathFilter;
import dev.coffer.repository.Repository;
import dev.coffer.testing.Bytes;
import dev.coffer.testing.Digests;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fetch, cache and serve (API.md §9): what the upstream is asked, what is cached, what is answered. */
class RemoteReadsTest {
    private static final String JAR = "com/acme/lib/1.0/lib-1.0.jar";

    private final RemoteHarness h = new RemoteHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private static CofferException failure(Runnable r) {
        CofferException e = catchThrowableOfType(CofferException.class, r::run);
        assertThat(e).as("a failure").isNotNull();
        return e;
    }

    @Test
    void aFileIsFetchedOnceVerifiedAgainstTheUpstreamsSha1AndThenServedFromTheCache() {
        byte[] jar = Bytes.random(1, 5000);
        h.upstream.putWithSha1(JAR, jar);
        Repository repo = h.maven("central");

        var first = (RemoteRepositories.Read.Cached) h.read(repo, JAR);
        assertThat(first.fetched()).isTrue();
        assertThat(first.stale()).isFalse();
        assertThat(first.file().checksums().sha1()).isEqualTo(Digests.hex("SHA-1", jar));
        assertThat(first.file().createdBy()).isEqualTo("alice");
        assertThat(h.cached(repo, JAR)).isEqualTo(jar);

        var second = (RemoteRepositories.Read.Cached) h.read(repo, JAR);
        assertThat(second.fetched()).isFalse();
        assertThat(h.upstream.gets(JAR)).isEqualTo(1);
        // the upstream's .sha1 was asked first and kept with the file: Maven asks for it next
        assertThat(h.upstream.gets(JAR + ".sha1")).isEqualTo(1);
        h.read(repo, JAR + ".sha1");
        assertThat(h.upstream.gets(JAR + ".sha1")).isEqualTo(1);
        assertThat(new String(h.cached(repo, JAR + ".sha1"))).isEqualTo(Digests.hex("SHA-1", jar));

        RemoteMeters.Counts counts = h.remote.meters().of("central");
        assertThat(counts.misses()).isEqualTo(1);
        assertThat(counts.hits()).isEqualTo(2);
        assertThat(counts.errors()).isZero();
    }

    @Test
    void aFileThatDoesNotMatchTheUpstreamsSha1Is502AndNothingIsCached() {
        h.upstream.put(JAR, Bytes.random(2, 3000)).put(JAR + ".sha1", Digests.hex("SHA-1", new byte[] {1}));
        Repository repo = h.maven("central");

        CofferException e = failure(() -> h.read(repo, JAR));
        assertThat(e.failure()).isInstanceOf(Failure.BadGateway.class);
        assertThat(e.failure().code()).isEqualTo("upstream_checksum_mismatch");
        assertThat(h.isCached(repo, JAR)).isFalse();
        assertThat(h.isCached(repo, JAR + ".sha1")).isFalse();
        assertThat(h.remote.meters().of("central").errors()).isEqualTo(1);
        // a mismatch is not remembered: the next request asks again
        failure(() -> h.read(repo, JAR));
        assertThat(h.upstream.gets(JAR)).isEqualTo(2);
    }

    @Test
    void aChecksumFileThatHoldsNoSha1IsAMismatchToo() {
        h.upstream.put(JAR, "jar").put(JAR + ".sha1", "<html>not found</html>");
        Repository repo = h.maven("central");
        assertThat(failure(() -> h.read(repo, JAR)).failure().code()).isEqualTo("upstream_checksum_mismatch");
        assertThat(h.isCached(repo, JAR)).isFalse();
    }

    @Test
    void maven2StyleChecksumFilesWithAFileNameAfterTheDigestAreAccepted() {
        byte[] jar = Bytes.random(3, 100);
        h.upstream.put(JAR, jar).put(JAR + ".sha1", Digests.hex("SHA-1", jar).toUpperCase() + "  lib-1.0.jar\n");
        Repository repo = h.maven("central");
        assertThat(h.read(repo, JAR)).isInstanceOf(RemoteRepositories.Read.Cached.class);
    }

    @Test
    void withoutAnUpstreamSha1TheFileIsCachedWithCoffersOwnChecksums() {
        byte[] jar = Bytes.random(4, 2000);
        h.upstream.put(JAR, jar);
        Repository repo = h.maven("central");
        var read = (RemoteRepositories.Read.Cached) h.read(repo, JAR);
        assertThat(read.file().checksums().sha256()).isEqualTo(Digests.sha256(jar));
        assertThat(h.upstream.gets(JAR + ".sha1")).isEqualTo(1);
    }

    @Test
    void checksumFilesAndMetadataAreCachedWithoutAsking() {
        h.upstream.put(JAR + ".sha1", "whatever").put("com/acme/lib/maven-metadata.xml", "<metadata/>");
        Repository repo = h.maven("central");
        h.read(repo, JAR + ".sha1");
        h.read(repo, "com/acme/lib/maven-metadata.xml");
        assertThat(h.upstream.gets(JAR + ".sha1.sha1")).isZero();
        assertThat(h.upstream.gets("com/acme/lib/maven-metadata.xml.sha1")).isZero();
    }

    @Test
    void anUpstreamOutageServesWhatIsCachedAndIs502ForWhatIsNot() {
        h.upstream.putWithSha1(JAR, Bytes.random(5, 100)).put("other.txt", "x");
        Repository repo = h.maven("central");
        h.read(repo, JAR);

        h.upstream.force(503);
        assertThat(h.read(repo, JAR)).isInstanceOf(RemoteRepositories.Read.Cached.class);
        CofferException e = failure(() -> h.read(repo, "other.txt"));
        assertThat(e.failure()).isInstanceOf(Failure.BadGateway.class);
        assertThat(e.failure().code()).isEqualTo("upstream_unavailable");
        assertThat(e.getMessage()).contains("503");

        h.upstream.close(); // nothing listens there now: connection refused
        assertThat(failure(() -> h.read(repo, "other.txt")).failure().code()).isEqualTo("upstream_unavailable");
        assertThat(h.remote.meters().of("central").errors()).isEqualTo(2);
    }

    @Test
    void anUpstream404IsRememberedForAWhileThenAskedAgain() {
        Repository repo = h.maven("central");
        assertThat(failure(() -> h.read(repo, "a/missing.txt")).failure()).isInstanceOf(Failure.NotFound.class);
        h.upstream.put("a/missing.txt", "here now");
        assertThat(failure(() -> h.read(repo, "a/missing.txt")).failure()).isInstanceOf(Failure.NotFound.class);
        assertThat(h.upstream.gets("a/missing.txt")).isEqualTo(1);

        h.clock.advance(Duration.ofSeconds(61));
        assertThat(h.read(repo, "a/missing.txt")).isInstanceOf(RemoteRepositories.Read.Cached.class);
        assertThat(h.upstream.gets("a/missing.txt")).isEqualTo(2);
    }

    @Test
    void forgettingAPathOrChangingTheRepositoryDropsItsRemembered404s() {
        Repository repo = h.maven("central");
        failure(() -> h.read(repo, "a/b/missing.txt"));
        h.upstream.put("a/b/missing.txt", "here now");
        h.remote.forget("central", ArtifactPath.of("a"));
        assertThat(h.read(repo, "a/b/missing.txt")).isInstanceOf(RemoteRepositories.Read.Cached.class);

        failure(() -> h.read(repo, "c.txt"));
        h.upstream.put("c.txt", "c");
        h.invalidation.publish(new dev.coffer.common.Invalidation.RepositoryChanged("central"));
        assertThat(h.read(repo, "c.txt")).isInstanceOf(RemoteRepositories.Read.Cached.class);
    }

    @Test
    void anOfflineRepositoryServesOnlyItsCache() {
        h.upstream.put("cached.txt", "c").put("uncached.txt", "u");
        Repository online = h.maven("central");
        h.read(online, "cached.txt");
        Repository offline = h.remote("central", PackageType.MAVEN, PathFilter.ALL, h.settings(600, true));

        assertThat(h.read(offline, "cached.txt")).isInstanceOf(RemoteRepositories.Read.Cached.class);
        CofferException e = failure(() -> h.read(offline, "uncached.txt"));
        assertThat(e.failure()).isInstanceOf(Failure.NotFound.class);
        assertThat(e.getMessage()).contains("offline").contains("not cached");
        assertThat(h.upstream.gets("uncached.txt")).isZero();
    }

    @Test
    void pathsOutsideTheIncludeAndExcludePatternsAreNotFoundAndNeverAsked() {
        h.upstream.put("com/acme/a.jar", "a").put("org/other/b.jar", "b").put("com/acme/a-sources.jar", "s");
        Repository repo = h.remote(
                "central",
                PackageType.MAVEN,
                new PathFilter(List.of("com/acme/**"), List.of("**/*-sources.jar")),
                h.settings(600, false));

        assertThat(h.read(repo, "com/acme/a.jar")).isInstanceOf(RemoteRepositories.Read.Cached.class);
        assertThat(failure(() -> h.read(repo, "org/other/b.jar")).failure()).isInstanceOf(Failure.NotFound.class);
        assertThat(failure(() -> h.read(repo, "com/acme/a-sources.jar")).failure())
                .isInstanceOf(Failure.NotFound.class);
        assertThat(h.upstream.seen())
                .noneMatch(s -> s.rawPath().contains("org/other") || s.rawPath().contains("sources"));
    }

    @Test
    void aFolderOfCachedFilesIsAFolderNotAFetch() {
        h.upstream.put(JAR, "jar");
        Repository repo = h.maven("central");
        h.read(repo, JAR);
        assertThat(h.read(repo, "com/acme")).isInstanceOf(RemoteRepositories.Read.Folder.class);
        assertThat(h.upstream.gets("com/acme")).isZero();
    }
}
