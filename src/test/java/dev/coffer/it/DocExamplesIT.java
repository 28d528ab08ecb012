package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every `sh` example of the README and of docs/ runs as written, top to bottom, extracted from the
 * documents (not copied): each document against a new server started as `./coffer serve` starts it
 * (the packaged jar, a fresh data folder, the generated admin password in data/admin.password),
 * from a folder where `./coffer` runs that jar and `data` is the server's data folder. Only the
 * address differs: `http://127.0.0.1:8080` becomes the test server's. Blocks that need servers of
 * one's own (PostgreSQL, S3, a load balancer) are fenced as text in the documents, not sh.
 */
class DocExamplesIT {
    private static final String ADDRESS = "http://127.0.0.1:8080";

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(Path.of("README.md"));
        try (Stream<Path> s = Files.list(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs.stream().filter(d -> !script(d).isEmpty()).toList();
    }

    /** The document's sh blocks, in order. */
    static String script(Path doc) {
        List<String> lines;
        try {
            lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        StringBuilder out = new StringBuilder();
        boolean in = false;
        for (String line : lines) {
            if (!in && line.equals("```sh")) {
                in = true;
            } else if (in && line.equals("```")) {
                in = false;
                out.append('\n');
            } else if (in) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void everyShellExampleRunsAsWritten(Path doc, @TempDir Path work) throws Exception {
        String script = script(doc);
        assertThat(script).as("%s has examples", doc).isNotBlank();
        // the server is the test's; a block that starts one (or the build) is fenced as shell, not sh
        assertThat(script)
                .as("%s: an sh block starts a server or a build", doc)
                .doesNotContain("coffer serve")
                .doesNotContain("mvnw");
        Path data = work.resolve("data");
        Path coffer = work.resolve("coffer");
        Files.writeString(
                coffer,
                "#!/bin/sh\nexec \"" + Path.of(System.getProperty("java.home"), "bin", "java") + "\" "
                        + CofferProcess.childTmpdir() + " -jar \""
                        + CofferProcess.jar().toAbsolutePath() + "\" \"$@\"\n");
        Files.setPosixFilePermissions(coffer, PosixFilePermissions.fromString("rwx------"));
        try (CofferProcess c = CofferProcess.start(data, List.of(), Map.of())) {
            assertThat(data.resolve("admin.password"))
                    .as("the first start wrote the admin's password")
                    .exists();
            String runnable = script.replace(ADDRESS, c.base());
            ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", runnable)
                    .directory(work.toFile())
                    .redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("COFFER_"));
            pb.environment().put("TMPDIR", work.toString());
            // an example never writes the user's own settings (npm config set writes ~/.npmrc)
            pb.environment().put("npm_config_userconfig", work.resolve("npmrc").toString());
            // and never waits for a keyboard: a prompting example gets end of input and fails
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Path log = work.resolve("examples.out");
            pb.redirectOutput(log.toFile());
            Process bash = pb.start();
            boolean finished = bash.waitFor(300, TimeUnit.SECONDS);
            if (!finished) {
                bash.descendants().forEach(ProcessHandle::destroyForcibly);
                bash.destroyForcibly().waitFor();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(finished)
                    .as("%s finished within 300 s, output:%n%s", doc, out)
                    .isTrue();
            assertThat(bash.exitValue()).as("%s, output:%n%s", doc, out).isZero();
            assertThat(out).as("%s: no server error", doc).doesNotContain("\"status\":500");
            if (doc.getFileName().toString().equals("README.md")) {
                readmeTourDidWhatItSays(c, out);
            } else if (doc.getFileName().toString().equals("credentials.md")) {
                assertThat(out)
                        .contains("revoked key: 401")
                        .contains("outside its scope: 403")
                        .contains("refreshed away: 401");
            }
        }
    }

    /** Beyond running: the tour's statuses and what it left behind. */
    private static void readmeTourDidWhatItSays(CofferProcess c, String out) {
        assertThat(out)
                .as("the anonymous try before it went public, then the token's upload outside its scope")
                .contains("without credentials: 401")
                .contains("the token writing: 403");
        Http anonymous = new Http(c.base());
        assertThat(anonymous.get("/repository/libs/app/1.0/app-1.0.zip").status())
                .isEqualTo(200);
        assertThat(anonymous.put("/repository/libs/app/x", "nope").status()).isEqualTo(401);
        assertThat(anonymous.get("/repository/libs/app/1.0/other.zip").status())
                .as("the token wrote nothing")
                .isEqualTo(404);
    }
}
