package dev.coffer.format.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.MavenMetadataXml;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.maven.artifact.repository.metadata.Metadata;
import org.apache.maven.artifact.repository.metadata.io.xpp3.MetadataXpp3Reader;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.junit.jupiter.api.Test;

class MetadataMergeTest {
    static String ga(String lastUpdated, String latest, String release, String... versions) {
        return MavenMetadataXml.ga(lastUpdated, latest, release, versions);
    }

    static String snapshot(String timestamp, int build, String updated, String jarValue) {
        return MavenMetadataXml.snapshot(timestamp, build, updated, jarValue);
    }

    static MetadataMerge.Source src(String repo, String xml) {
        return new MetadataMerge.Source(repo, xml.getBytes(StandardCharsets.UTF_8));
    }

    static Metadata parse(byte[] bytes) throws Exception {
        return new MetadataXpp3Reader().read(new ByteArrayInputStream(bytes), true);
    }

    @Test
    void versionsAreUnitedInMavensOrderWithLatestReleaseAndLastUpdated() throws Exception {
        MetadataMerge.Merged m = MetadataMerge.merge(List.of(
                        src("a", ga("20240101101010", "1.2", "1.2", "1.0", "1.2", "1.0-beta-1")),
                        src("b", ga("20250505050505", "2.0-SNAPSHOT", "1.10", "1.1", "1.10", "2.0-SNAPSHOT", "1.0"))))
                .orElseThrow();
        Metadata out = parse(m.bytes());
        assertThat(m.repos()).containsExactly("a", "b");
        assertThat(out.getGroupId()).isEqualTo("com.acme");
        assertThat(out.getArtifactId()).isEqualTo("lib");
        assertThat(out.getVersioning().getVersions())
                .containsExactly("1.0-beta-1", "1.0", "1.1", "1.2", "1.10", "2.0-SNAPSHOT");
        assertThat(out.getVersioning().getLatest()).isEqualTo("2.0-SNAPSHOT");
        assertThat(out.getVersioning().getRelease()).isEqualTo("1.10");
        assertThat(out.getVersioning().getLastUpdated()).isEqualTo("20250505050505");
    }

    @Test
    void snapshotMetadataTakesTheNewestTimestampAndTheNewestFilePerKind() throws Exception {
        MetadataMerge.Merged m = MetadataMerge.merge(List.of(
                        src("old", snapshot("20240101.101010", 7, "20240101101010", "1.0-20240101.101010-7")),
                        src("new", snapshot("20250202.020202", 3, "20250202020202", "1.0-20250202.020202-3"))))
                .orElseThrow();
        Metadata out = parse(m.bytes());
        assertThat(out.getVersion()).isEqualTo("1.0-SNAPSHOT");
        assertThat(out.getVersioning().getSnapshot().getTimestamp()).isEqualTo("20250202.020202");
        assertThat(out.getVersioning().getSnapshot().getBuildNumber()).isEqualTo(3);
        assertThat(out.getVersioning().getSnapshotVersions()).hasSize(1);
        assertThat(out.getVersioning().getSnapshotVersions().get(0).getVersion())
                .isEqualTo("1.0-20250202.020202-3");
        assertThat(out.getVersioning().getLastUpdated()).isEqualTo("20250202020202");
    }

    @Test
    void aSingleReadableDocumentIsServedAsItsOwnBytes() {
        String only = ga("20240101101010", "1.0", "1.0", "1.0") + "<!-- kept -->\n";
        MetadataMerge.Merged m = MetadataMerge.merge(List.of(src("broken", "<metadata><versioning>"), src("ok", only)))
                .orElseThrow();
        assertThat(new String(m.bytes(), StandardCharsets.UTF_8)).isEqualTo(only);
        assertThat(m.repos()).containsExactly("ok");
    }

    @Test
    void unreadableAndForeignDocumentsAreLeftOut() throws Exception {
        String other = ga("20990101010101", "9.9", "9.9", "9.9").replace("<artifactId>lib<", "<artifactId>other<");
        MetadataMerge.Merged m = MetadataMerge.merge(List.of(
                        src("a", ga("20240101101010", "1.0", "1.0", "1.0")),
                        src("garbage", "not xml at all"),
                        src("empty", ""),
                        src("foreign", other),
                        src("b", ga("20240202101010", "1.1", "1.1", "1.1"))))
                .orElseThrow();
        assertThat(m.repos()).containsExactly("a", "b");
        assertThat(parse(m.bytes()).getVersioning().getVersions()).containsExactly("1.0", "1.1");
        assertThat(MetadataMerge.merge(List.of(src("garbage", "<<<")))).isEmpty();
        assertThat(MetadataMerge.merge(List.of())).isEmpty();
    }

    @Test
    void entitiesOfADocumentTypeAreNeverExpanded() {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE metadata [<!ENTITY x SYSTEM \"file:///etc/hostname\">"
                + "<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
                + "<metadata><groupId>com.acme</groupId><artifactId>lib</artifactId><versioning><versions>"
                + "<version>&x;</version><version>&b;</version></versions></versioning></metadata>";
        List<MetadataMerge.Source> sources =
                List.of(src("evil", xxe), src("a", ga("20240101101010", "1.0", "1.0", "1.0")));
        MetadataMerge.Merged m = MetadataMerge.merge(sources).orElseThrow();
        String text = new String(m.bytes(), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("aaaaaaaaaa");
        assertThat(m.repos()).containsExactly("a");
    }

    @Test
    void whatALogLineQuotesOfADocumentCannotForgeAnotherLine() {
        String forged = MetadataMerge.quoted("bad <version>\n12:00:00.000 INFO  fake line\u001b[2J");
        assertThat(forged).doesNotContain("\n").doesNotContain("\u001b");
        assertThat(MetadataMerge.quoted("x".repeat(5000))).hasSizeLessThan(210);
    }

    @Test
    void newerTimestampsAreTheLongerThenTheGreater() {
        assertThat(MetadataMerge.newer(null, "20240101101010")).isEqualTo("20240101101010");
        assertThat(MetadataMerge.newer("20240101101010", null)).isEqualTo("20240101101010");
        assertThat(MetadataMerge.newer("20240101101010", "20250101101010")).isEqualTo("20250101101010");
        assertThat(MetadataMerge.newer("20250101101010", "2024010110101")).isEqualTo("20250101101010");
    }

    // ---- properties

    @Provide
    Arbitrary<List<List<String>>> versionLists() {
        Arbitrary<String> version = Arbitraries.oneOf(
                Arbitraries.of("1.0", "1.0.1", "1.1", "1.10", "2.0", "1.0-alpha-1", "1.0-rc1", "2.0-SNAPSHOT"),
                Arbitraries.integers()
                        .between(0, 20)
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(3)
                        .map(l ->
                                String.join(".", l.stream().map(String::valueOf).toList())));
        return version.list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 300)
    void theMergeIsTheOrderedUnionWhateverTheMemberOrder(@ForAll("versionLists") List<List<String>> members)
            throws Exception {
        List<MetadataMerge.Source> sources = new ArrayList<>();
        Set<String> all = new LinkedHashSet<>();
        for (int i = 0; i < members.size(); i++) {
            List<String> vs = members.get(i);
            all.addAll(vs);
            sources.add(src("m" + i, ga("2024010110101" + i, vs.get(0), null, vs.toArray(new String[0]))));
        }
        List<MetadataMerge.Source> shuffled = new ArrayList<>(sources);
        Collections.shuffle(shuffled, new Random(members.hashCode()));
        Metadata a = parse(MetadataMerge.merge(sources).orElseThrow().bytes());
        Metadata b = parse(MetadataMerge.merge(shuffled).orElseThrow().bytes());

        List<String> expected = new ArrayList<>(new LinkedHashSet<>(all));
        expected.sort(MetadataMerge.VERSION_ORDER);
        // Maven's own order, whatever the tie-break
        for (int i = 1; i < expected.size(); i++) {
            assertThat(new ComparableVersion(expected.get(i - 1)).compareTo(new ComparableVersion(expected.get(i))))
                    .isLessThanOrEqualTo(0);
        }
        if (members.size() > 1) {
            assertThat(a.getVersioning().getVersions()).containsExactlyElementsOf(expected);
            assertThat(a.getVersioning().getLatest()).isEqualTo(expected.get(expected.size() - 1));
            assertThat(a.getVersioning().getRelease())
                    .isEqualTo(expected.stream()
                            .filter(v -> !v.endsWith("-SNAPSHOT"))
                            .reduce((x, y) -> y)
                            .orElse(null));
            assertThat(a.getVersioning().getLastUpdated()).isEqualTo("2024010110101" + (members.size() - 1));
        }
        if (sources.size() > 1) {
            assertThat(b.getVersioning().getVersions())
                    .isEqualTo(a.getVersioning().getVersions());
            assertThat(b.getVersioning().getLatest())
                    .isEqualTo(a.getVersioning().getLatest());
            assertThat(b.getVersioning().getRelease())
                    .isEqualTo(a.getVersioning().getRelease());
        }
    }
}
