package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Http;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, real clients: {@code mvn} builds a project whose dependencies (transitive ones and
 * every plugin) resolve only through a Coffer virtual repository over a local repository and a
 * remote of another Coffer process, both started here.
 *
 * <pre>
 *   mvn ──▶ A: maven (virtual) ─┬─▶ libs-local (local: com.acme:core)
 *                               └─▶ upstream (remote, with credentials) ──▶ B: public (virtual) ─┬─▶ team (local: com.upstream:*)
 *                                                                                                  └─▶ m2 (remote) ──▶ ~/.m2 over HTTP
 * </pre>
 *
 * No internet: the plugins come from the machine's Maven cache, served read-only over HTTP
 * ({@link StaticFiles}) as the upstream of B's remote. Then namespace protection with a real
 * remote: coordinates of A's local repository uploaded upstream ("public" com.acme:core:2.0) are
 * never taken, and a deploy through the virtual lands in its default deploy repository.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MavenVirtualIT {
    private static final String ADMIN_PASSWORD = "virtual-it-admin-" + UUID.randomUUID();
    private static final String PROXY_PASSWORD = "proxy-secret-" + UUID.randomUUID();
    private static final String DEV_PASSWORD = "dev-password-" + UUID.randomUUID();

    @TempDir
    static Path temp;

    private final Path logs = Path.of("target", "maven-virtual-it").toAbsolutePath();
    private StaticFiles m2;
    private CofferProcess upstreamCoffer;
    private CofferProcess coffer;
    private Http upstreamAdmin;
    private Http admin;
    private MavenTool maven;
    private Path settings;
    private Path project;

    @BeforeAll
    void start() throws Exception {
        maven = new MavenTool(logs, 240);
        m2 = new StaticFiles(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        upstreamCoffer = CofferProcess.start(
                temp.resolve("b"), List.of("-Xmx256m"), Map.of("COFFER_ADMIN_PASSWORD", ADMIN_PASSWORD));
        coffer = CofferProcess.start(
                temp.resolve("a"), List.of("-Xmx256m"), Map.of("COFFER_ADMIN_PASSWORD", ADMIN_PASSWORD));
        upstreamAdmin = new Http(upstreamCoffer.base()).basic("admin", ADMIN_PASSWORD);
        admin = new Http(coffer.base()).basic("admin", ADMIN_PASSWORD);
        project = temp.resolve("app");
        writeProject(project);
        settings = writeSettings(temp.resolve("settings.xml"));
    }

    @AfterAll
    void stop() throws Exception {
        if (coffer != null) {
            coffer.close();
        }
        if (upstreamCoffer != null) {
            upstreamCoffer.close();
        }
        if (m2 != null) {
            m2.close();
        }
    }

    @Test
    @Order(1)
    void upstreamCofferServesTeamLibrariesAndTheMavenCache() {
        ok(upstreamAdmin.putJson(
                "/api/repositories/m2",
                "{\"rclass\":\"remote\",\"packageType\":\"maven\",\"url\":\"" + m2.url() + "\"}"));
        ok(upstreamAdmin.putJson("/api/repositories/team", "{\"packageType\":\"maven\"}"));
        ok(upstreamAdmin.putJson(
                "/api/repositories/public",
                "{\"rclass\":\"virtual\",\"packageType\":\"maven\",\"repositories\":[\"team\",\"m2\"]}"));
        ok(upstreamAdmin.putJson("/api/users/proxy", "{\"password\":\"" + PROXY_PASSWORD + "\"}"));
        ok(upstreamAdmin.putJson(
                "/api/permissions/proxy-reads",
                "{\"repositories\":[\"public\",\"team\",\"m2\"],\"includePatterns\":[\"**\"],"
                        + "\"users\":{\"proxy\":[\"r\"]}}"));
        // com.upstream:util:1.0 depends on com.upstream:base:1.0 (a transitive dependency)
        deployLibrary(upstreamAdmin, "team", "com.upstream", "base", "1.0", "");
        deployLibrary(
                upstreamAdmin,
                "team",
                "com.upstream",
                "util",
                "1.0",
                "<dependency><groupId>com.upstream</groupId><artifactId>base</artifactId><version>1.0</version></dependency>");
        assertThat(new Http(upstreamCoffer.base())
                        .basic("proxy", PROXY_PASSWORD)
                        .get("/repository/public/com/upstream/util/1.0/util-1.0.pom")
                        .status())
                .isEqualTo(200);
    }

    @Test
    @Order(2)
    void cofferHasLocalRemoteAndVirtual() {
        ok(admin.putJson("/api/repositories/libs-local", "{\"packageType\":\"maven\"}"));
        ok(admin.putJson(
                "/api/repositories/upstream",
                "{\"rclass\":\"remote\",\"packageType\":\"maven\",\"url\":\"" + upstreamCoffer.base()
                        + "/repository/public/\",\"username\":\"proxy\",\"password\":\"" + PROXY_PASSWORD + "\"}"));
        ok(admin.putJson(
                "/api/repositories/maven",
                "{\"rclass\":\"virtual\",\"packageType\":\"maven\",\"repositories\":[\"libs-local\",\"upstream\"],"
                        + "\"defaultDeployRepo\":\"libs-local\"}"));
        ok(admin.putJson("/api/users/dev", "{\"password\":\"" + DEV_PASSWORD + "\"}"));
        ok(admin.putJson(
                "/api/permissions/dev",
                "{\"repositories\":[\"maven\",\"libs-local\",\"upstream\"],\"includePatterns\":[\"**\"],"
                        + "\"users\":{\"dev\":[\"r\",\"w\"]}}"));
        deployLibrary(admin, "libs-local", "com.acme", "core", "1.0", "");
        Http.Response repo = admin.get("/api/repositories/upstream");
        assertThat(repo.body()).contains("\"rclass\":\"remote\"").doesNotContain(PROXY_PASSWORD);
    }

    @Test
    @Order(3)
    void mvnBuildsWithEveryDependencyAndPluginThroughTheVirtualRepository() throws Exception {
        Path localRepo = temp.resolve("local-repo-build");
        MavenTool.MavenRun run = maven.run("package", project, settings, localRepo, "package");
        run.assertSucceeded();
        assertThat(project.resolve("target/app-1.0.jar")).as(run.tail()).exists();
        // the team's own library, the upstream's and its transitive dependency, and the plugins
        assertThat(localRepo.resolve("com/acme/core/1.0/core-1.0.jar")).exists();
        assertThat(localRepo.resolve("com/upstream/util/1.0/util-1.0.jar")).exists();
        assertThat(localRepo.resolve("com/upstream/base/1.0/base-1.0.jar")).exists();
        assertThat(localRepo.resolve("org/apache/maven/plugins/maven-compiler-plugin/3.14.0"))
                .isDirectory();
        // they came through Coffer: the remote's cache holds them, and B's remote read the Maven cache
        Http.Response cached = admin.get(
                "/repository/upstream/org/apache/maven/plugins/maven-jar-plugin/3.4.2/" + "maven-jar-plugin-3.4.2.jar");
        assertThat(cached.status()).isEqualTo(200);
        assertThat(cached.bytes())
                .isEqualTo(Files.readAllBytes(Path.of(
                        System.getProperty("user.home"),
                        ".m2/repository/org/apache/maven/plugins/maven-jar-plugin/3.4.2/maven-jar-plugin-3.4.2.jar")));
        assertThat(m2.served()).isPositive();
        assertThat((String.join("\n", coffer.stdout()) + coffer.stderr())).doesNotContain(PROXY_PASSWORD);
    }

    @Test
    @Order(4)
    void aPublicUploadOfTheTeamsCoordinatesIsIgnored() throws Exception {
        // dependency confusion: someone publishes com.acme:core:2.0 upstream
        deployLibrary(upstreamAdmin, "team", "com.acme", "core", "2.0", "");
        Http dev = new Http(coffer.base()).basic("dev", DEV_PASSWORD);
        assertThat(admin.get("/repository/upstream/com/acme/core/2.0/core-2.0.pom")
                        .status())
                .as("the remote itself does reach it")
                .isEqualTo(200);
        assertThat(dev.get("/repository/maven/com/acme/core/2.0/core-2.0.pom").status())
                .as("not through the virtual: com.acme:core lives in a local member")
                .isEqualTo(404);
        Http.Response metadata = dev.get("/repository/maven/com/acme/core/maven-metadata.xml");
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.body()).contains("<version>1.0</version>").doesNotContain("2.0");
        Path localRepo = temp.resolve("local-repo-confusion");
        MavenTool.MavenRun run = maven.run(
                "get-core-2.0",
                temp,
                settings,
                localRepo,
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get",
                "-Dartifact=com.acme:core:2.0");
        assertThat(run.exitCode()).as(run.tail()).isNotZero();
        assertThat(localRepo.resolve("com/acme/core/2.0/core-2.0.jar")).doesNotExist();
    }

    @Test
    @Order(5)
    void mvnDeployThroughTheVirtualLandsInTheDefaultDeployRepository() throws Exception {
        MavenTool.MavenRun run = maven.run("deploy", project, settings, temp.resolve("local-repo-deploy"), "deploy");
        run.assertSucceeded();
        Http.Response jar = admin.get("/repository/libs-local/com/example/app/1.0/app-1.0.jar");
        assertThat(jar.status()).as(run.tail()).isEqualTo(200);
        assertThat(jar.bytes()).isEqualTo(Files.readAllBytes(project.resolve("target/app-1.0.jar")));
    }

    // ---------------------------------------------------------------- helpers

    private static void ok(Http.Response r) {
        assertThat(r.status()).as("%s", r).isBetween(200, 299);
    }

    /** A pom, a small jar, their .sha1 and the artifact's maven-metadata.xml, as a deploy leaves them. */
    private static void deployLibrary(
            Http http, String repo, String group, String artifact, String version, String dependencies) {
        String dir = "/repository/" + repo + "/" + group.replace('.', '/') + "/" + artifact + "/";
        String pom = """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version>
                  <dependencies>%s</dependencies>
                </project>
                """.formatted(group, artifact, version, dependencies);
        byte[] jar = jar("META-INF/" + artifact + ".txt", artifact + " " + version);
        String base = dir + version + "/" + artifact + "-" + version;
        put(http, base + ".pom", pom.getBytes(StandardCharsets.UTF_8));
        put(
                http,
                base + ".pom.sha1",
                Digests.hex("SHA-1", pom.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        put(http, base + ".jar", jar);
        put(http, base + ".jar.sha1", Digests.hex("SHA-1", jar).getBytes(StandardCharsets.UTF_8));
        String metadata = """
                <metadata><groupId>%s</groupId><artifactId>%s</artifactId><versioning>
                  <latest>%s</latest><release>%s</release><versions><version>%s</version></versions>
                  <lastUpdated>20261205000000</lastUpdated></versioning></metadata>
                """.formatted(group, artifact, version, version, version);
        put(http, dir + "maven-metadata.xml", metadata.getBytes(StandardCharsets.UTF_8));
    }

    /** A jar (a zip) of one text entry. */
    private static byte[] jar(String entry, String text) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(entry));
            zip.write(text.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void put(Http http, String path, byte[] body) {
        ok(http.put(path, body));
    }

    private Path writeSettings(Path file) throws Exception {
        Files.writeString(file, """
                <settings xmlns="http://maven.apache.org/SETTINGS/1.2.0">
                  <servers><server><id>coffer</id><username>dev</username><password>%s</password></server></servers>
                  <mirrors><mirror><id>coffer</id><mirrorOf>*</mirrorOf><url>%s/repository/maven/</url></mirror></mirrors>
                </settings>
                """.formatted(DEV_PASSWORD, coffer.base()), StandardCharsets.UTF_8);
        return file;
    }

    private void writeProject(Path dir) throws Exception {
        Path source = dir.resolve("src/main/java/com/example/app/App.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package com.example.app;

                public final class App {
                    public static void main(String[] args) {
                        System.out.println("app");
                    }
                }
                """, StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>app</artifactId>
                  <version>1.0</version>
                  <packaging>jar</packaging>
                  <properties>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency><groupId>com.acme</groupId><artifactId>core</artifactId><version>1.0</version></dependency>
                    <dependency><groupId>com.upstream</groupId><artifactId>util</artifactId><version>1.0</version></dependency>
                  </dependencies>
                  <distributionManagement>
                    <repository><id>coffer</id><url>%s/repository/maven/</url></repository>
                  </distributionManagement>
%s
                </project>
                """.formatted(coffer.base(), MavenTool.PINNED_PLUGINS), StandardCharsets.UTF_8);
    }
}
