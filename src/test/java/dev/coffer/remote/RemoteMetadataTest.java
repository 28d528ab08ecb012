package dev.coffer.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.PathFilter;
import dev.coffer.repository.Repository;
import dev.coffer.testing.UpstreamServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Metadata of a remote Maven repository is served from the cache while younger than cacheSeconds,
 * then revalidated with a conditional GET: 304 moves only the check time, 200 replaces it, an
 * outage serves the stale copy. Time is the harness's clock, moved by hand.
 */
class RemoteMetadataTest {
    private static final String METADATA = "com/acme/lib/maven-metadata.xml";

    private final RemoteHarness h = new RemoteHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private String text(Repository repo, String path) {
        return new String(h.cached(repo, path), StandardCharsets.UTF_8);
    }

    @Test
    void metadataIsServedFromTheCacheUntilCacheSecondsThenRevalidatedWith304() {
        h.upstream.put(METADATA, "<metadata>1.0</metadata>");
        Repository repo = h.maven("central");
        h.read(repo, METADATA);
        h.clock.advance(Duration.ofSeconds(599));
        var fresh = (RemoteRepositories.Read.Cached) h.read(repo, METADATA);
        assertThat(fresh.fetched()).isFalse();
        assertThat(h.upstream.gets(METADATA)).isEqualTo(1);

        h.clock.advance(Duration.ofSeconds(2));
        var revalidated = (RemoteRepositories.Read.Cached) h.read(repo, METADATA);
        assertThat(revalidated.stale()).isFalse();
        assertThat(revalidated.fetched()).isFalse();
        assertThat(h.upstream.gets(METADATA)).isEqualTo(2);
        UpstreamServer.Seen conditional =
                h.upstream.seen().get(h.upstream.seen().size() - 1);
        assertThat(conditional.header("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(conditional.header("If-Modified-Since")).isEqualTo(UpstreamServer.LAST_MODIFIED);

        // the 304 moved the check time: another cacheSeconds without asking
        h.clock.advance(Duration.ofSeconds(599));
        h.read(repo, METADATA);
        assertThat(h.upstream.gets(METADATA)).isEqualTo(2);
        assertThat(h.states
                        .find("central", ArtifactPath.of(METADATA))
                        .orElseThrow()
                        .checkedAt())
                .isEqualTo(h.clock.millis() - 599_000);
    }

    @Test
    void changedMetadataIsReplacedAtRevalidation() {
        h.upstream.put(METADATA, "<metadata>1.0</metadata>");
        Repository repo = h.maven("central");
        h.read(repo, METADATA);
        h.upstream.put(METADATA, "<metadata>1.0 2.0</metadata>");
        h.clock.advance(Duration.ofSeconds(601));

        var replaced = (RemoteRepositories.Read.Cached) h.read(repo, METADATA);
        assertThat(replaced.fetched()).isTrue();
        assertThat(text(repo, METADATA)).isEqualTo("<metadata>1.0 2.0</metadata>");
        assertThat(h.states
                        .find("central", ArtifactPath.of(METADATA))
                        .orElseThrow()
                        .validators()
                        .etag())
                .isEqualTo("\"v2\"");
    }

    @Test
    void anUnreachableUpstreamServesTheStaleCopyMarkedStale() {
        h.upstream.put(METADATA, "<metadata>1.0</metadata>");
        Repository repo = h.maven("central");
        h.read(repo, METADATA);
        h.clock.advance(Duration.ofSeconds(601));
        h.upstream.force(502);

        var stale = (RemoteRepositories.Read.Cached) h.read(repo, METADATA);
        assertThat(stale.stale()).isTrue();
        assertThat(text(repo, METADATA)).isEqualTo("<metadata>1.0</metadata>");
        assertThat(h.remote.meters().of("central").errors()).isEqualTo(1);

        h.upstream.force(0); // back: the next read revalidates (the failed check did not count)
        var fresh = (RemoteRepositories.Read.Cached) h.read(repo, METADATA);
        assertThat(fresh.stale()).isFalse();
    }

    @Test
    void metadataTheUpstreamNoLongerHasIsNotFoundAndLeavesTheCache() {
        h.upstream.put(METADATA, "<metadata/>");
        Repository repo = h.maven("central");
        h.read(repo, METADATA);
        h.upstream.remove(METADATA);
        h.clock.advance(Duration.ofSeconds(601));

        CofferException e = catchThrowableOfType(CofferException.class, () -> h.read(repo, METADATA));
        assertThat(e.failure()).isInstanceOf(Failure.NotFound.class);
        assertThat(h.isCached(repo, METADATA)).isFalse();
        assertThat(h.states.find("central", ArtifactPath.of(METADATA))).isEmpty();
    }

    @Test
    void snapshotsAreMetadataReleasesAreNotAndGenericRemotesHaveNoMetadata() {
        String snapshot = "com/acme/lib/1.1-SNAPSHOT/lib-1.1-SNAPSHOT.jar";
        String release = "com/acme/lib/1.0/lib-1.0.jar";
        h.upstream.put(snapshot, "s1").put(release, "r1").put(METADATA, "<m/>");
        Repository maven = h.maven("central");
        Repository generic = h.remote("files", PackageType.GENERIC, PathFilter.ALL, h.settings(600, false));
        for (Repository repo : new Repository[] {maven, generic}) {
            h.read(repo, snapshot);
            h.read(repo, release);
            h.read(repo, METADATA);
        }
        h.clock.advance(Duration.ofSeconds(601));
        for (Repository repo : new Repository[] {maven, generic}) {
            h.read(repo, snapshot);
            h.read(repo, release);
            h.read(repo, METADATA);
        }
        // maven: the snapshot and the metadata asked again; generic: nothing
        assertThat(h.upstream.gets(snapshot)).isEqualTo(3);
        assertThat(h.upstream.gets(METADATA)).isEqualTo(3);
        assertThat(h.upstream.gets(release)).isEqualTo(2);
    }

    @Test
    void anOfflineRepositoryServesOldMetadataAsStaleWithoutAsking() {
        h.upstream.put(METADATA, "<m/>");
        h.read(h.maven("central"), METADATA);
        Repository offline = h.remote("central", PackageType.MAVEN, PathFilter.ALL, h.settings(600, true));
        h.clock.advance(Duration.ofSeconds(601));
        assertThat(((RemoteRepositories.Read.Cached) h.read(offline, METADATA)).stale())
                .isTrue();
        assertThat(h.upstream.gets(METADATA)).isEqualTo(1);
    }

    @Test
    void zeroCacheSecondsRevalidatesEveryRead() {
        h.upstream.put(METADATA, "<m/>");
        Repository repo = h.remote("central", PackageType.MAVEN, PathFilter.ALL, h.settings(0, false));
        h.read(repo, METADATA);
        h.read(repo, METADATA);
        assertThat(h.upstream.gets(METADATA)).isEqualTo(2);
    }
}
