package dev.coffer.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
