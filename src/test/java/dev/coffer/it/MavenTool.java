package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The real {@code mvn} for integration tests: found once, run with its own settings and local repository. */
final class MavenTool {
    /** The build section of every test project: plugins pinned to versions in the machine's Maven cache. */
    static final String PINNED_PLUGINS = """
              <build>
                <plugins>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version>
                    <configuration><release>17</release></configuration></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-install-plugin</artifactId><version>3.1.4</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-deploy-plugin</artifactId><version>3.1.4</version></plugin>
                </plugins>
              </build>""";

    private final List<String> mvn;
    private final Path logs;
    private final long timeoutSeconds;

    MavenTool(Path logs, long timeoutSeconds) throws IOException {
        this.mvn = locateMaven();
        this.logs = logs;
        this.timeoutSeconds = timeoutSeconds;
        Files.createDirectories(logs);
    }

    /**
     * The Maven to run, best first: {@code -Dcoffer.it.mvn} or {@code COFFER_IT_MVN}; the newest
     * Maven 3.9.x the project's wrapper already unpacked under ~/.m2/wrapper/dists (the same
     * Maven that builds Coffer, no download); {@code mvn} on the PATH.
     */
    static List<String> locateMaven() {
        String override =
                Optional.ofNullable(System.getProperty("coffer.it.mvn")).orElse(System.getenv("COFFER_IT_MVN"));
        if (override != null && !override.isBlank()) {
            return List.of(override);
        }
        String userHome = Optional.ofNullable(System.getenv("MAVEN_USER_HOME"))
                .orElse(Path.of(System.getProperty("user.home"), ".m2").toString());
        Path dists = Path.of(userHome, "wrapper", "dists");
        if (Files.isDirectory(dists)) {
            try (Stream<Path> found = Files.find(
                    dists,
                    6,
                    (p, a) -> p.getFileName().toString().equals("mvn")
                            && p.getParent().getFileName().toString().equals("bin")
                            && Files.isExecutable(p))) {
                Optional<Path> newest = found.filter(p ->
                                mavenVersion(p).map(v -> v[0] == 3 && v[1] == 9).orElse(false))
                        .max(Comparator.<Path, int[]>comparing(
                                p -> mavenVersion(p).orElseThrow(), Arrays::compare));
                if (newest.isPresent()) {
                    return List.of(newest.get().toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "mvn");
            if (Files.isExecutable(candidate)) {
                return List.of(candidate.toString());
            }
        }
        return fail("no Maven found: set -Dcoffer.it.mvn, or build once with ./mvnw so the wrapper unpacks Maven");
    }

    /** {3, 9, 11} from .../apache-maven-3.9.11/<hash>/bin/mvn. */
    private static Optional<int[]> mavenVersion(Path mvnScript) {
        for (Path p = mvnScript; p != null; p = p.getParent()) {
            Matcher m = Pattern.compile("apache-maven-(\\d+)\\.(\\d+)\\.(\\d+)")
                    .matcher(p.getFileName() == null ? "" : p.getFileName().toString());
            if (m.matches()) {
                return Optional.of(new int[] {
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))
                });
            }
        }
        return Optional.empty();
    }

    record MavenRun(String name, int exitCode, Path log) {
        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String tail() {
            return "--- last lines of " + log + " (exit " + exitCode + ") ---\n" + MavenTool.tail(log, 60);
        }

        void assertSucceeded() {
            assertThat(exitCode).as("mvn %s\n%s", name, tail()).isZero();
        }
    }

    /** Runs Maven in batch mode with the given settings and a local repository of its own; output goes to {@code logs}/NAME.log. */
    MavenRun run(String name, Path workDir, Path settings, Path localRepo, String... goalsAndArgs) throws Exception {
        List<String> cmd = new ArrayList<>(mvn);
        cmd.addAll(List.of("-B", "-e", "-s", settings.toString(), "-Dmaven.repo.local=" + localRepo));
        cmd.addAll(List.of(goalsAndArgs));
        Path log = logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // nothing from the outer build may leak into the client under test
        env.remove("MAVEN_ARGS");
        env.remove("MAVEN_CONFIG");
        env.remove("MAVEN_PROJECTBASEDIR");
        env.put("MAVEN_OPTS", "-Xmx384m -XX:TieredStopAtLevel=1");
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("mvn " + name + " timed out after " + timeoutSeconds + "s\n" + tail(log, 60));
        }
        return new MavenRun(name, p.exitValue(), log);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
