package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Http;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: Coffer as the caching proxy of Maven Central itself. A small project with real
 * dependencies (commons-text and, transitively, commons-lang3) and every plugin it needs resolves
 * with an empty local repository only through a Coffer virtual repository over a local one and a
 * remote of Maven Central. The one test here that needs the internet: it is skipped, loudly, only
 * when Maven Central cannot be reached at all.
 */
class MavenCentralIT {
    private static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
    private static final String ADMIN_PASSWORD = "central-it-admin-" + UUID.randomUUID();

    @TempDir
    Path temp;

    @Test
    void buildsAProjectWithRealDependenciesThroughCoffer() throws Exception {
        String unreachable = unreachable();
        if (unreachable != null) {
            System.err.println("*** MavenCentralIT SKIPPED: Maven Central (" + CENTRAL + ") cannot be reached: "
                    + unreachable + " ***");
        }
        Assumptions.assumeTrue(unreachable == null, () -> "Maven Central cannot be reached: " + unreachable);

        Path logs = Path.of("target", "maven-central-it").toAbsolutePath();
        MavenTool maven = new MavenTool(logs, 420);
        try (CofferProcess coffer = CofferProcess.start(
                temp.resolve("data"), List.of("-Xmx256m"), Map.of("COFFER_ADMIN_PASSWORD", ADMIN_PASSWORD))) {
            Http admin = new Http(coffer.base()).basic("admin", ADMIN_PASSWORD);
            ok(admin.putJson(
                    "/api/repositories/central",
                    "{\"rclass\":\"remote\",\"packageType\":\"maven\",\"url\":\"" + CENTRAL + "\"}"));
            ok(admin.putJson("/api/repositories/libs-local", "{\"packageType\":\"maven\"}"));
            ok(
                    admin.putJson(
                            "/api/repositories/maven",
                            "{\"rclass\":\"virtual\",\"packageType\":\"maven\",\"repositories\":[\"libs-local\",\"central\"]}"));

            Path project = temp.resolve("app");
            writeProject(project);
            Path settings = temp.resolve("settings.xml");
            Files.writeString(settings, """
                    <settings xmlns="http://maven.apache.org/SETTINGS/1.2.0">
                      <servers><server><id>coffer</id><username>admin</username><password>%s</password></server></servers>
                      <mirrors><mirror><id>coffer</id><mirrorOf>*</mirrorOf><url>%s/repository/maven/</url></mirror></mirrors>
                    </settings>
                    """.formatted(ADMIN_PASSWORD, coffer.base()), StandardCharsets.UTF_8);
            Path localRepo = temp.resolve("local-repo");
            MavenTool.MavenRun run = maven.run("package", project, settings, localRepo, "package");
            run.assertSucceeded();
            assertThat(localRepo.resolve("org/apache/commons/commons-text/1.12.0/commons-text-1.12.0.jar"))
                    .exists();
            assertThat(localRepo.resolve("org/apache/commons/commons-lang3/3.14.0/commons-lang3-3.14.0.jar"))
                    .exists();
            // from Coffer's cache: the bytes Maven got, checked against Central's own .sha1
            String jar = "org/apache/commons/commons-lang3/3.14.0/commons-lang3-3.14.0.jar";
            Http.Response cached = admin.get("/api/storage/central/" + jar);
            assertThat(cached.status()).as("%s", cached).isEqualTo(200);
            String sha1 = cached.json().path("checksums").path("sha1").asText();
            assertThat(sha1).isEqualTo(Digests.hex("SHA-1", Files.readAllBytes(localRepo.resolve(jar))));
            String published = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(CENTRAL + jar + ".sha1"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body()
                    .trim();
            assertThat(published).startsWith(sha1);
        }
    }

    /** Null when Central answers at all (any HTTP status), else why not. */
    private static String unreachable() {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            client.send(
                    HttpRequest.newBuilder(URI.create(CENTRAL))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .timeout(Duration.ofSeconds(15))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return null;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void ok(Http.Response r) {
        assertThat(r.status()).as("%s", r).isBetween(200, 299);
    }

    private static void writeProject(Path dir) throws IOException {
        Path source = dir.resolve("src/main/java/com/example/app/App.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package com.example.app;

                import org.apache.commons.text.WordUtils;

                public final class App {
                    public static String title(String s) {
                        return WordUtils.capitalizeFully(s);
                    }
                }
                """, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>app</artifactId>
                  <version>1.0</version>
                  <properties><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
                  <dependencies>
                    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId><version>1.12.0</version></dependency>
                  </dependencies>
%s
                </project>
                """.formatted(MavenTool.PINNED_PLUGINS), StandardCharsets.UTF_8);
    }
}
