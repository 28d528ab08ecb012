package dev.coffer.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which changes of a repository's settings widen its exposure (API.md §3), and what an update records. */
class RepositoryDiffTest {
    private static Repository repo(String description, boolean anonymousRead) {
        return new Repository("libs", description, anonymousRead, 1, 2);
    }

    @ParameterizedTest(name = "anonymousRead {0} -> {1}")
    @CsvSource({"false, false, false", "false, true, true", "true, false, false", "true, true, false"})
    void onlyTurningAnonymousReadOnWidens(boolean before, boolean after, boolean widens) {
        RepositoryDiff d = new RepositoryDiff(repo("d", before), repo("d", after));
        assertThat(d.widensExposure()).isEqualTo(widens);
        assertThat(d.created()).isFalse();
        if (before == after) {
            assertThat(d.fields()).isEmpty();
        } else {
            assertThat(d.fields()).containsExactly(new RepositoryDiff.Field("anonymousRead", before, after, widens));
        }
    }

    @Test
    void theDescriptionIsRecordedAndWidensNothing() {
        RepositoryDiff d = new RepositoryDiff(repo("old", true), repo("new", true));
        assertThat(d.widensExposure()).isFalse();
        assertThat(d.fields()).containsExactly(new RepositoryDiff.Field("description", "old", "new", false));
    }

    @Test
    void creatingAPublicRepositoryWidensAndAPrivateOneDoesNot() {
        RepositoryDiff pub = new RepositoryDiff(null, repo("d", true));
        assertThat(pub.created()).isTrue();
        assertThat(pub.widensExposure()).isTrue();
        assertThat(pub.fields())
                .containsExactly(
                        new RepositoryDiff.Field("description", null, "d", false),
                        new RepositoryDiff.Field("anonymousRead", null, true, true));
        RepositoryDiff priv = new RepositoryDiff(null, repo("d", false));
        assertThat(priv.widensExposure()).isFalse();
        assertThat(priv.fields()).contains(new RepositoryDiff.Field("anonymousRead", null, false, false));
    }

    @Test
    void bothChangesAtOnce() {
        RepositoryDiff d = new RepositoryDiff(repo("a", false), repo("b", true));
        assertThat(d.widensExposure()).isTrue();
        assertThat(d.fields()).extracting(RepositoryDiff.Field::name).containsExactly("description", "anonymousRead");
    }

    @Test
    void aDiffIsOfOneRepository() {
        assertThatThrownBy(() -> new RepositoryDiff(repo("a", false), new Repository("other", "a", true, 1, 2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Repository remote(String url, String user, String sealed, PathFilter filter) {
        return new Repository(
                "libs",
                "d",
                false,
                PackageType.MAVEN,
                RepositoryClass.REMOTE,
                filter,
                new RemoteSettings(URI.create(url), user, sealed, 600, false),
                null,
                1,
                2);
    }

    private static Repository virtual(List<String> members, String deploy) {
        return new Repository(
                "libs",
                "d",
                false,
                PackageType.MAVEN,
                RepositoryClass.VIRTUAL,
                PathFilter.ALL,
                null,
                new VirtualSettings(members, deploy),
                1,
                2);
    }

    @Test
    void aNewUrlWidensAndCredentialsAreRecordedWithoutTheirValues() {
        Repository before = remote("https://a.example/m", "bot", "v1:AAAA", PathFilter.ALL);
        RepositoryDiff moved =
                new RepositoryDiff(before, remote("https://b.example/m", "bot2", "v1:BBBB", PathFilter.ALL));
        assertThat(moved.widensExposure()).isTrue();
        assertThat(moved.fields())
                .containsExactly(
                        new RepositoryDiff.Field("url", "https://a.example/m", "https://b.example/m", true),
                        new RepositoryDiff.Field("username", "set", "changed", false),
                        new RepositoryDiff.Field("password", "set", "changed", false));
        RepositoryDiff cleared = new RepositoryDiff(before, remote("https://a.example/m", null, null, PathFilter.ALL));
        assertThat(cleared.widensExposure()).isFalse();
        assertThat(cleared.fields())
                .containsExactly(
                        new RepositoryDiff.Field("username", "set", "none", false),
                        new RepositoryDiff.Field("password", "set", "none", false));
        assertThat(cleared.toString() + moved.fields())
                .doesNotContain("AAAA")
                .doesNotContain("BBBB")
                .doesNotContain("bot");
    }

    @Test
    void anyChangeOfThePatternsWidens() {
        Repository all = remote("https://a.example", null, null, PathFilter.ALL);
        Repository narrower = remote("https://a.example", null, null, new PathFilter(List.of("com/**"), List.of()));
        Repository excluding =
                remote("https://a.example", null, null, new PathFilter(List.of("com/**"), List.of("x/**")));
        assertThat(new RepositoryDiff(all, narrower).fields())
                .containsExactly(new RepositoryDiff.Field("includePatterns", List.of("**"), List.of("com/**"), true));
        assertThat(new RepositoryDiff(excluding, narrower).fields())
                .containsExactly(new RepositoryDiff.Field("excludePatterns", List.of("x/**"), List.of(), true));
    }

    @Test
    void onlyAnAddedMemberWidens() {
        Repository ab = virtual(List.of("a", "b"), null);
        assertThat(new RepositoryDiff(ab, virtual(List.of("b", "a"), "a")).widensExposure())
                .as("reordered, and a deploy target")
                .isFalse();
        assertThat(new RepositoryDiff(ab, virtual(List.of("a"), null)).widensExposure())
                .isFalse();
        RepositoryDiff added = new RepositoryDiff(ab, virtual(List.of("c", "a", "b", "d"), null));
        assertThat(added.widensExposure()).isTrue();
        assertThat(added.addedMembers()).containsExactly("c", "d");
        assertThat(added.fields())
                .containsExactly(
                        new RepositoryDiff.Field("repositories", List.of("a", "b"), List.of("c", "a", "b", "d"), true));
    }

    @Test
    void creatingARemoteOrVirtualRecordsWhatDiffersFromANewLocalRepository() {
        RepositoryDiff r = new RepositoryDiff(null, remote("https://a.example", "bot", "v1:AAAA", PathFilter.ALL));
        assertThat(r.fields())
                .extracting(RepositoryDiff.Field::name)
                .containsExactly(
                        "description",
                        "anonymousRead",
                        "packageType",
                        "rclass",
                        "url",
                        "username",
                        "password",
                        "cacheSeconds",
                        "offline");
        assertThat(r.fields()).contains(new RepositoryDiff.Field("password", null, "set", false));
        assertThat(r.widensExposure()).isTrue();
        RepositoryDiff v = new RepositoryDiff(null, virtual(List.of("a"), null));
        assertThat(v.addedMembers()).containsExactly("a");
        assertThat(v.fields()).contains(new RepositoryDiff.Field("repositories", null, List.of("a"), true));
    }
}
