package dev.coffer.virtual;

import static dev.coffer.testing.MavenMetadataXml.ga;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.authz.PermissionTarget;
import dev.coffer.authz.Principal;
import dev.coffer.authz.Scope;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.credential.AuthMethod;
import dev.coffer.credential.Caller;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.Repository;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.artifact.repository.metadata.Metadata;
import org.apache.maven.artifact.repository.metadata.io.xpp3.MetadataXpp3Reader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Merged maven-metadata.xml through a virtual repository, per caller, with checksums of what the caller gets. */
class VirtualMetadataTest {
    static final String META = "com/acme/lib/maven-metadata.xml";
    final FakeMembers w = new FakeMembers();
    Repository v;

    @BeforeEach
    void world() {
        w.local("releases");
        w.local("staging");
        w.remote("central", true);
        v = w.virtual("v", PackageType.MAVEN, true, null, "releases", "staging", "central");
        w.file("releases", META, ga("20240101101010", "1.1", "1.1", "1.0", "1.1"));
        w.file("staging", META, ga("20250101101010", "2.0-rc1", "2.0-rc1", "2.0-rc1"));
        w.file(
                "central",
                "org/junit/junit/maven-metadata.xml",
                dev.coffer.testing.MavenMetadataXml.of(
                        "org.junit", "junit", "20230101101010", "4.13", "4.13", "4.12", "4.13"));
        w.file("central", META, ga("20990101101010", "99.0", "99.0", "99.0"));
        grant("everyone", "releases", Action.READ);
        grant("insider", "staging", Action.READ);
        grant("insider", "releases", Action.READ);
    }

    void grant(String user, String repo, Action a) {
        w.targets.add(new PermissionTarget(
                "t" + w.targets.size(),
                List.of(repo),
                List.of("**"),
                List.of(),
                Map.of(user, EnumSet.of(a)),
                Map.of()));
    }

    static Caller user(String name) {
        return new Caller(
                new Principal.User(name.hashCode(), name, false, Set.of(), Scope.USER), AuthMethod.PASSWORD, null);
    }

    Generated get(Caller c, String path) {
        return new VirtualMetadata(w.resolver())
                .serve(v, c, ArtifactPath.of(path))
                .orElseThrow();
    }

    static Metadata parse(Generated g) throws Exception {
        return new MetadataXpp3Reader().read(new ByteArrayInputStream(g.bytes()), true);
    }

    static String hex(String alg, byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(b));
    }

    @Test
    void eachCallerGetsTheVersionsOfTheMembersTheyMayRead() throws Exception {
        Metadata insider = parse(get(user("insider"), META));
        Metadata everyone = parse(get(user("everyone"), META));

        assertThat(insider.getVersioning().getVersions()).containsExactly("1.0", "1.1", "2.0-rc1");
        assertThat(insider.getVersioning().getRelease()).isEqualTo("2.0-rc1");
        assertThat(insider.getVersioning().getLastUpdated()).isEqualTo("20250101101010");
        assertThat(everyone.getVersioning().getVersions()).containsExactly("1.0", "1.1");
        assertThat(everyone.getVersioning().getRelease()).isEqualTo("1.1");
        // the remote member holds 99.0 of com/acme/lib, a namespace the local members hold: never merged
        assertThat(insider.getVersioning().getVersions()).doesNotContain("99.0");
    }

    @Test
    void checksumsAreOfTheDocumentTheSameCallerGets() throws Exception {
        for (Caller c : List.of(user("insider"), user("everyone"))) {
            byte[] doc = get(c, META).bytes();
            for (String[] kind :
                    new String[][] {{"md5", "MD5"}, {"sha1", "SHA-1"}, {"sha256", "SHA-256"}, {"sha512", "SHA-512"}}) {
                Generated sum = get(c, META + "." + kind[0]);
                assertThat(new String(sum.bytes(), StandardCharsets.US_ASCII)).isEqualTo(hex(kind[1], doc));
                assertThat(sum.file().size()).isEqualTo(sum.bytes().length);
            }
            Generated g = get(c, META);
            assertThat(g.file().checksums().sha256()).isEqualTo(hex("SHA-256", doc));
            assertThat(g.file().repo()).isEqualTo("v");
        }
        assertThat(get(user("insider"), META + ".sha1").bytes())
                .isNotEqualTo(get(user("everyone"), META + ".sha1").bytes());
        // anonymous may read the virtual repository, but no member that has the document
        VirtualMetadata m = new VirtualMetadata(w.resolver());
        assertThat(m.serve(v, Caller.ANONYMOUS, ArtifactPath.of(META))).isEmpty();
        assertThat(m.serve(v, Caller.ANONYMOUS, ArtifactPath.of(META + ".sha1")))
                .isEmpty();
    }

    @Test
    void anUnreadableDocumentIsLeftOutNotAFailure() throws Exception {
        w.file("staging", META, "<metadata><versioning><versions><version>3.0");
        grant("everyone", "staging", Action.READ);
        assertThat(parse(get(user("everyone"), META)).getVersioning().getVersions())
                .containsExactly("1.0", "1.1");
    }

    @Test
    void aRemoteMembersDocumentIsMergedWhereNoLocalMemberHoldsTheNamespace() throws Exception {
        Metadata junit = parse(get(user("everyone"), "org/junit/junit/maven-metadata.xml"));
        assertThat(junit.getVersioning().getVersions()).containsExactly("4.12", "4.13");
        // once a local member holds org/junit/junit, the remote one contributes nothing
        w.file("releases", "org/junit/junit/4.99/junit-4.99.pom", "<project/>");
        assertThat(new VirtualMetadata(w.resolver())
                        .serve(v, user("everyone"), ArtifactPath.of("org/junit/junit/maven-metadata.xml")))
                .isEmpty();
    }

    @Test
    void nothingReadableIsNothingAndAnOutageWithNothingElseIsAnOutage() {
        VirtualMetadata m = new VirtualMetadata(w.resolver());
        assertThat(m.serve(v, user("everyone"), ArtifactPath.of("com/acme/none/maven-metadata.xml")))
                .isEmpty();
        w.down.add("central");
        assertThatThrownBy(() -> m.serve(v, user("everyone"), ArtifactPath.of("org/other/x/maven-metadata.xml")))
                .isInstanceOf(CofferException.class);
        // with a readable member's document, the outage of another one leaves just its versions out
        assertThat(m.serve(v, user("everyone"), ArtifactPath.of(META))).isPresent();
    }

    @Test
    void aChecksumNeedsTheDocumentReadableOnTheVirtualRepository() {
        w.targets.add(new PermissionTarget(
                "sums-only",
                List.of("v2"),
                List.of("**/*.sha1"),
                List.of(),
                Map.of("everyone", EnumSet.of(Action.READ)),
                Map.of()));
        Repository v2 = w.virtual("v2", PackageType.MAVEN, false, null, "releases");
        VirtualMetadata m = new VirtualMetadata(w.resolver());
        assertThat(m.serve(v2, user("everyone"), ArtifactPath.of(META + ".sha1")))
                .isEmpty();
    }
}
