package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Digests;
import dev.coffer.testing.Http;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Maven against a real Coffer process (API.md §1: "Maven clients must work against
 * /repository/{repo}/ unchanged"): deploy with settings.xml credentials, a refused release
 * redeploy (overwrite needs {@code d}), metadata updates with only {@code w}, and resolution
 * with, without and then without-but-anonymous credentials.
 *
 * <p>No internet is needed: every Maven run gets its own empty local repository, and the
 * machine's ~/.m2/repository is offered to it read-only as the {@code central} repository through
 * a {@code file://} URL (a local repository layout is a valid remote layout). So plugins come from
 * the cache, ~/.m2 is never written to, and com.example:hello can only come from Coffer.
 *
 * <p>The steps build on each other and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MavenClientIT {
    private static final String ADMIN_PASSWORD = "maven-it-admin-" + UUID.randomUUID();
    private static final String DEPLOYER = "deployer";
    private static final String DEPLOYER_PASSWORD = "deployer-" + UUID.randomUUID();
    private static final String GROUP_PATH = "com/example/hello";
    private static final String DEPENDENCY_GET = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get";
    private static final long SERVER_START_TIMEOUT_SECONDS = 60;
    private static final long MAVEN_TIMEOUT_SECONDS = 150;

    @TempDir
    static Path temp; // static: created before @BeforeAll, deleted after @AfterAll stopped the server

    private final Path logs = Path.of("target", "maven-it").toAbsolutePath();
    private Process server;
    private String base;
    private Http admin;
    private MavenTool maven;
    private Path project;
    private Path settingsWithCredentials;
    private Path settingsAnonymous;
    private Path deployRepo;
    private byte[] deployedJar;

    @BeforeAll
    void startCofferAndPrepareProject() throws Exception {
        Files.createDirectories(logs);
        base = startCofferProcess();
        admin = new Http(base).basic("admin", ADMIN_PASSWORD);
        maven = new MavenTool(logs, MAVEN_TIMEOUT_SECONDS);

        Path m2Repository = cachedLocalRepository();
        settingsWithCredentials = writeSettings(temp.resolve("settings-deployer.xml"), m2Repository, true);
        settingsAnonymous = writeSettings(temp.resolve("settings-anonymous.xml"), m2Repository, false);
        project = temp.resolve("hello");
        writeProject(project, "1.0.0");
        deployRepo = temp.resolve("repo-deploy");
    }

    @AfterAll
    void stopCoffer() throws InterruptedException {
        if (server == null) {
            return;
        }
        server.destroy(); // SIGTERM: the server's shutdown hook closes the database cleanly
        if (!server.waitFor(20, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(server.isAlive()).as("coffer process still running").isFalse();
    }

    @Test
    @Order(1)
    void setUpPrivateRepositoryAndDeployerWithReadWriteOnly() {
        expect2xx(admin.putJson(
                "/api/repositories/releases", "{\"description\":\"Maven releases\",\"anonymousRead\":false}"));
        expect2xx(
                admin.putJson("/api/users/" + DEPLOYER, "{\"password\":\"" + DEPLOYER_PASSWORD + "\",\"groups\":[]}"));
        // r and w, deliberately no d: overwriting a release must be refused
        expect2xx(admin.putJson(
                "/api/permissions/releases-deployer",
                "{\"repositories\":[\"releases\"],\"includePatterns\":[\"**\"]," + "\"users\":{\"" + DEPLOYER
                        + "\":[\"r\",\"w\"]}}"));
        assertThat(new Http(base).get("/repository/releases/").status()).isEqualTo(401);
    }

    @Test
    @Order(2)
    void mvnDeployUploadsJarPomChecksumsAndMetadata() throws Exception {
        MavenTool.MavenRun run = maven.run("deploy-1.0.0", project, settingsWithCredentials, deployRepo, "deploy");
        run.assertSucceeded();

        deployedJar = assertDeployedWithMatchingSha1(GROUP_PATH + "/1.0.0/hello-1.0.0.jar", run);
        assertThat(deployedJar)
                .as("deployed jar = the jar Maven built")
                .isEqualTo(Files.readAllBytes(project.resolve("target/hello-1.0.0.jar")));
        byte[] pom = assertDeployedWithMatchingSha1(GROUP_PATH + "/1.0.0/hello-1.0.0.pom", run);
        assertThat(new String(pom, StandardCharsets.UTF_8)).contains("<artifactId>hello</artifactId>");

        Http.Response metadata = admin.get("/repository/releases/" + GROUP_PATH + "/maven-metadata.xml");
        assertThat(metadata.status())
                .as("maven-metadata.xml %s\n%s", metadata, run.tail())
                .isEqualTo(200);
        assertThat(metadata.body()).contains("<version>1.0.0</version>");
    }

    @Test
    @Order(3)
    void redeployOfTheSameReleaseIsRefusedWith403() throws Exception {
        MavenTool.MavenRun run = maven.run("redeploy-1.0.0", project, settingsWithCredentials, deployRepo, "deploy");
        assertThat(run.exitCode())
                .as("a release redeploy without 'd' must fail\n%s", run.tail())
                .isNotZero();
        assertThat(run.output()).as(run.tail()).contains("403");
        // nothing was replaced
        assertThat(admin.get("/repository/releases/" + GROUP_PATH + "/1.0.0/hello-1.0.0.jar")
                        .bytes())
                .isEqualTo(deployedJar);
    }

    @Test
    @Order(4)
    void deployOfANewVersionReplacesMavenMetadataWithWriteOnly() throws Exception {
        writeProject(project, "1.0.1");
        MavenTool.MavenRun run = maven.run("deploy-1.0.1", project, settingsWithCredentials, deployRepo, "deploy");
        run.assertSucceeded();

        assertDeployedWithMatchingSha1(GROUP_PATH + "/1.0.1/hello-1.0.1.jar", run);
        Http.Response metadata = admin.get("/repository/releases/" + GROUP_PATH + "/maven-metadata.xml");
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.body())
                .as("metadata after the second version")
                .contains("<version>1.0.0</version>", "<version>1.0.1</version>", "<release>1.0.1</release>");
        Http.Response metadataSha1 = admin.get("/repository/releases/" + GROUP_PATH + "/maven-metadata.xml.sha1");
        assertThat(metadataSha1.status()).isEqualTo(200);
        assertThat(metadataSha1.body().trim()).isEqualTo(metadata.header("X-Checksum-Sha1"));
    }

    @Test
    @Order(5)
    void resolveWithCredentialsIntoAnEmptyLocalRepository() throws Exception {
        Path fresh = temp.resolve("repo-resolve-deployer");
        MavenTool.MavenRun run = resolveHello("resolve-deployer", settingsWithCredentials, fresh);
        run.assertSucceeded();
        assertResolvedFromCoffer(fresh, run);
    }

    @Test
    @Order(6)
    void resolveWithoutCredentialsIsUnauthorized() throws Exception {
        Path fresh = temp.resolve("repo-resolve-anonymous");
        MavenTool.MavenRun run = resolveHello("resolve-anonymous", settingsAnonymous, fresh);
        assertThat(run.exitCode())
                .as("anonymous resolve of a private repository must fail\n%s", run.tail())
                .isNotZero();
        assertThat(run.output()).as(run.tail()).containsAnyOf("401", "Unauthorized", "not authorized");
        assertThat(fresh.resolve(GROUP_PATH + "/1.0.0/hello-1.0.0.jar")).doesNotExist();
    }

    @Test
    @Order(7)
    void resolveWithoutCredentialsWorksOnceAnonymousReadIsOn() throws Exception {
        expect2xx(admin.putJson("/api/repositories/releases", "{\"anonymousRead\":true}"));
        // a new empty local repository: the previous one remembers the failure (*.lastUpdated)
        Path fresh = temp.resolve("repo-resolve-anonymous-read");
        MavenTool.MavenRun run = resolveHello("resolve-anonymous-read", settingsAnonymous, fresh);
        run.assertSucceeded();
        assertResolvedFromCoffer(fresh, run);
    }

    // ---------------------------------------------------------------- assertions

    /** GETs {@code path} in releases as admin; its X-Checksum-Sha1 must equal the .sha1 Maven uploaded. */
    private byte[] assertDeployedWithMatchingSha1(String path, MavenTool.MavenRun run) {
        Http.Response file = admin.get("/repository/releases/" + path);
        assertThat(file.status()).as("GET %s: %s\n%s", path, file, run.tail()).isEqualTo(200);
        Http.Response sha1File = admin.get("/repository/releases/" + path + ".sha1");
        assertThat(sha1File.status())
                .as("GET %s.sha1: %s\n%s", path, sha1File, run.tail())
                .isEqualTo(200);
        String uploadedSha1 = sha1File.body().trim();
        assertThat(file.header("X-Checksum-Sha1"))
                .as("X-Checksum-Sha1 of " + path)
                .isEqualTo(uploadedSha1);
        assertThat(Digests.hex("SHA-1", file.bytes()))
                .as("sha1 of the bytes of " + path)
                .isEqualTo(uploadedSha1);
        return file.bytes();
    }

    private void assertResolvedFromCoffer(Path localRepo, MavenTool.MavenRun run) throws IOException {
        Path jar = localRepo.resolve(GROUP_PATH + "/1.0.0/hello-1.0.0.jar");
        assertThat(jar).as(run.tail()).exists();
        assertThat(Files.readAllBytes(jar)).as("resolved jar = deployed jar").isEqualTo(deployedJar);
        // Maven records where it got the file: it must be the repository with id 'coffer'
        assertThat(Files.readString(localRepo.resolve(GROUP_PATH + "/1.0.0/_remote.repositories")))
                .contains("hello-1.0.0.jar>coffer=");
    }

    private static void expect2xx(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isBetween(200, 299);
    }

    // ---------------------------------------------------------------- Coffer process

    /** Starts {@code java -jar coffer.jar serve --port 0} and returns its base URL from the "listening" line. */
    private String startCofferProcess() throws Exception {
        Path jar =
                Path.of(System.getProperty("coffer.jar", "target/coffer.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged server (run through 'mvn verify')").exists();
        Path data = temp.resolve("coffer-data");
        Files.createDirectories(data);
        ProcessBuilder pb = new ProcessBuilder(
                        javaExecutable(),
                        "-jar",
                        jar.toString(),
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--data",
                        data.toString())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("COFFER_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.environment().keySet().removeIf(k -> k.startsWith("COFFER_") && !k.equals("COFFER_ADMIN_PASSWORD"));
        // output goes to a file, not a pipe: nothing can block the server, and no line is lost
        // when it exits (a pipe read from a thread races with the JDK closing it at exit)
        Path log = logs.resolve("coffer-server.log");
        pb.redirectOutput(log.toFile());
        server = pb.start();

        Pattern listening = Pattern.compile("coffer listening on (http://\\S+:\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SERVER_START_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return m.group(1);
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("coffer did not start (alive: " + server.isAlive() + ")\n" + MavenTool.tail(log, 40));
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The machine's Maven cache, offered read-only to every run as 'central'. */
    private static Path cachedLocalRepository() {
        Path repo = Path.of(System.getProperty(
                "coffer.it.m2repo",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        assertThat(repo.resolve("org/apache/maven/plugins/maven-deploy-plugin/3.1.4"))
                .as("plugins cached")
                .exists();
        // if hello were cached there, a resolve could succeed without Coffer
        assertThat(repo.resolve(GROUP_PATH))
                .as("com.example:hello must not be in the Maven cache")
                .doesNotExist();
        return repo;
    }

    /** Resolves com.example:hello:1.0.0 from Coffer (repository id 'coffer') into {@code localRepo}. */
    private MavenTool.MavenRun resolveHello(String name, Path settings, Path localRepo) throws Exception {
        Path workDir = temp.resolve("work-" + name); // no pom.xml here: a standalone goal
        Files.createDirectories(workDir);
        return maven.run(
                name,
                workDir,
                settings,
                localRepo,
                DEPENDENCY_GET,
                "-Dartifact=com.example:hello:1.0.0",
                "-DremoteRepositories=coffer::default::" + base + "/repository/releases/");
    }

    // ---------------------------------------------------------------- generated files

    /**
     * settings.xml: 'central' (and, as a guard, every other internet repository) is the cached
     * ~/.m2/repository through file://; with credentials it also has the &lt;server&gt; for id coffer.
     */
    private static Path writeSettings(Path file, Path m2Repository, boolean withCredentials) throws IOException {
        String cache = m2Repository.toUri().toString();
        String server = withCredentials ? """
                  <servers>
                    <server>
                      <id>coffer</id>
                      <username>%s</username>
                      <password>%s</password>
                    </server>
                  </servers>
                """.formatted(DEPLOYER, DEPLOYER_PASSWORD) : "";
        String repository = """
                      <id>central</id>
                      <url>%s</url>
                      <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
                      <snapshots><enabled>false</enabled></snapshots>
                """.formatted(cache);
        Files.writeString(file, """
                <settings xmlns="http://maven.apache.org/SETTINGS/1.2.0">
                %s
                  <mirrors>
                    <!-- external:* leaves out localhost and file: Coffer stays reachable, the internet is never asked -->
                    <mirror>
                      <id>no-internet</id>
                      <mirrorOf>external:*,!central</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                  <profiles>
                    <profile>
                      <id>cached-central</id>
                      <repositories><repository>
                %s      </repository></repositories>
                      <pluginRepositories><pluginRepository>
                %s      </pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>cached-central</activeProfile></activeProfiles>
                </settings>
                """.formatted(server, cache, repository, repository), StandardCharsets.UTF_8);
        return file;
    }

    /** A one-class jar project whose plugins are all pinned to versions in the cache. */
    private void writeProject(Path dir, String version) throws IOException {
        Path source = dir.resolve("src/main/java/com/example/hello/Hello.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package com.example.hello;

                public final class Hello {
                    public static String greet(String name) {
                        return "hello, " + name;
                    }
                }
                """, StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>hello</artifactId>
                  <version>%s</version>
                  <packaging>jar</packaging>
                  <properties>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <maven.compiler.release>17</maven.compiler.release>
                  </properties>
                  <distributionManagement>
                    <repository>
                      <id>coffer</id>
                      <url>%s/repository/releases/</url>
                    </repository>
                  </distributionManagement>
%s
                </project>
                """.formatted(version, base, MavenTool.PINNED_PLUGINS), StandardCharsets.UTF_8);
    }
}
