package dev.coffer.format.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.common.ArtifactPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MavenLayoutTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "com/acme/lib/1.0/lib-1.0.jar | com/acme/lib",
                "com/acme/lib/1.0/lib-1.0.jar.sha1 | com/acme/lib",
                "com/acme/lib/maven-metadata.xml | com/acme/lib",
                "com/acme/lib/maven-metadata.xml.sha256 | com/acme/lib",
                "com/acme/lib/1.0-SNAPSHOT/maven-metadata.xml | com/acme/lib",
                "com/acme/lib/1.0-SNAPSHOT/maven-metadata.xml.md5 | com/acme/lib",
                "com/acme/lib/1.0-SNAPSHOT/lib-1.0-20250101.101010-1.jar | com/acme/lib",
                "junit/junit/4.13/junit-4.13.pom | junit/junit",
                "junit/junit/maven-metadata.xml | junit/junit",
                "org/apache/maven/plugins/maven-metadata.xml | org/apache/maven/plugins",
                "a/b.jar | ''",
                "top.txt | ''",
                "g/maven-metadata.xml | ''",
                "x/y/z.jar | ''",
            })
    void namespaceIsTheGroupAndArtifactFolder(String path, String expected) {
        assertThat(MavenLayout.namespace(ArtifactPath.of(path)).map(ArtifactPath::toString))
                .isEqualTo(expected.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "com/acme/lib/maven-metadata.xml, com/acme/lib/maven-metadata.xml",
        "com/acme/lib/maven-metadata.xml.sha1, com/acme/lib/maven-metadata.xml",
        "com/acme/lib/maven-metadata.xml.sha512, com/acme/lib/maven-metadata.xml",
        "com/acme/lib/maven-metadata.xml.asc, ''",
        "com/acme/lib/1.0/lib-1.0.pom, ''",
        "maven-metadata.xml.bak, ''",
    })
    void metadataDocumentsAndTheirChecksums(String path, String document) {
        assertThat(MavenLayout.metadataDocument(ArtifactPath.of(path)).map(ArtifactPath::toString))
                .isEqualTo(document.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(document));
    }
}
