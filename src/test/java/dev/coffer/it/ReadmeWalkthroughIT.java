package dev.coffer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Http;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's curl walk-through, run as written against the packaged jar (only the port differs). */
class ReadmeWalkthroughIT {

    static String walkthrough() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = lines.indexOf("## Walk-through with curl");
        assertThat(start).as("README has the walk-through section").isGreaterThanOrEqualTo(0);
        int open = start;
        while (!lines.get(open).equals("```sh")) {
            open++;
        }
        List<String> script = new ArrayList<>();
        for (int i = open + 1; !lines.get(i).equals("```"); i++) {
            script.add(lines.get(i));
        }
        return String.join("\n", script);
    }

    @Test
    void theCurlWalkThroughWorksAsWritten(@TempDir Path data, @TempDir Path work) throws Exception {
        String script = walkthrough();
        assertThat(script).contains("./coffer serve &").contains("C=http://127.0.0.1:8080");
        Files.createDirectories(work.resolve("build"));
        byte[] zip = new byte[100_000];
        new java.util.Random(3).nextBytes(zip);
        Files.write(work.resolve("build/app.zip"), zip);
        try (CofferProcess c = CofferProcess.start(data, List.of(), Map.of("COFFER_ADMIN_PASSWORD", "change-me"))) {
            String runnable = script.replace("./coffer serve &", ": the test started the server")
                    .replace("C=http://127.0.0.1:8080", "C=" + c.base());
            Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", runnable).directory(work.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bash.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(bash.exitValue()).as(out).isZero();

            assertThat(out).contains("\"code\":\"authentication_required\""); // the anonymous try before it went public
            assertThat(Files.readAllBytes(work.resolve("app-1.0.zip"))).isEqualTo(zip);
            Http admin = new Http(c.base()).basic("admin", "change-me");
            assertThat(admin.get("/api/repositories/libs").json().path("anonymousRead").asBoolean()).isTrue();
            assertThat(admin.get("/api/storage/libs/app/1.0/app-1.0.zip").json().path("properties")
                    .path("build.number").get(0).asText()).isEqualTo("42");
            assertThat(new Http(c.base()).get("/repository/libs/app/1.0/app-1.0.zip").bytes()).isEqualTo(zip);
            assertThat(new Http(c.base()).put("/repository/libs/app/x", "nope").status()).isEqualTo(401);
        }
    }
}
