package dev.coffer.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of DESIGN.md: bootstrap -> http, web -> admission -> services -> authz, common;
 * adapters at the edge.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.coffer");
    }

    @Test
    void authorizationCoreIsPure() {
        noClasses()
                .that()
                .resideInAPackage("dev.coffer.authz..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("dev.coffer.authz..", "dev.coffer.common..", "java.lang..", "java.util..")
                .check(classes);
    }

    @Test
    void slicesKnowNoFrameworkNoSqlNoAdapter() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.coffer.common..",
                        "dev.coffer.authz..",
                        "dev.coffer.artifact..",
                        "dev.coffer.repository..",
                        "dev.coffer.identity..",
                        "dev.coffer.permission..",
                        "dev.coffer.credential..",
                        "dev.coffer.token..",
                        "dev.coffer.audit..",
                        "dev.coffer.remote..",
                        "dev.coffer.admission..",
                        "dev.coffer.virtual..",
                        "dev.coffer.format..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.javalin..",
                        "org.eclipse.jetty..",
                        "jakarta.servlet..",
                        "java.sql..",
                        "software.amazon..",
                        "dev.coffer.persistence..",
                        "dev.coffer.http..",
                        "dev.coffer.blob.fs..",
                        "dev.coffer.blob.s3..",
                        "dev.coffer.bootstrap..")
                .check(classes);
    }

    @Test
    void onlyTheCompositionRootPicksAdapters() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.coffer.bootstrap..", "dev.coffer.persistence..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.coffer.persistence..")
                .check(classes);
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.coffer.bootstrap..", "dev.coffer.blob..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.coffer.blob.fs..", "dev.coffer.blob.s3..")
                .check(classes);
    }

    /** Admission is decided once, for every entry point; no service reaches back up to it. */
    @Test
    void onlyEntryPointsAdmit() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "dev.coffer.admission..", "dev.coffer.http..", "dev.coffer.web..", "dev.coffer.bootstrap..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.coffer.admission..")
                .check(classes);
    }

    @Test
    void domainDoesNotDependOnHttp() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.coffer.http..", "dev.coffer.bootstrap..", "dev.coffer.web..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.coffer.http..")
                .check(classes);
    }

    /** The size at which the CI hook warns: a class past it does more than one thing (DESIGN.md, "God classes"). */
    private static final int MAX_LINES = 350;

    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void noClassIsLongerThanTheLimit() throws IOException {
        assertThat(MAIN.resolve("dev/coffer")).as("run from the project folder").isDirectory();
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(MAIN)) {
            tooLong = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> lines(p) > MAX_LINES)
                    .map(p -> MAIN.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
        assertThat(tooLong)
                .as("classes over " + MAX_LINES + " lines: split them along their responsibilities")
                .isEmpty();
    }

    private static long lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
