package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documents in this repository stay true: docs/api.md's route index is exactly the server's
 * route table; every link of the README and docs/ points at a file of this repository; every test
 * class they name exists; and the README stays a landing page.
 */
class DocsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern ROUTE_ROW = Pattern.compile("^\\| (GET|HEAD|PUT|POST|DELETE) \\| `([^`]+)` \\|");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern TEST_CLASS = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:Test|IT|Contract|Properties))`");

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void theApiReferenceListsExactlyTheServersRoutes() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/api.md"), StandardCharsets.UTF_8)) {
            Matcher m = ROUTE_ROW.matcher(line);
            if (m.find()) {
                assertThat(documented.add(m.group(1) + " " + m.group(2)))
                        .as("listed twice: %s", line)
                        .isTrue();
            }
        }
        Set<String> served = new TreeSet<>();
        try (TestServer server = TestServer.start()) {
            for (Route r : server.coffer().http().routes()) {
                served.add(r.method().name() + " " + r.path());
            }
        }
        assertThat(documented)
                .as("docs/api.md's route index against the server's route table")
                .containsExactlyInAnyOrderElementsOf(served);
    }

    @Test
    void everyLinkPointsAtAFileOfThisRepository() throws IOException {
        for (Path doc : documents()) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            assertThat(text).as("%s links outside the repository", doc).doesNotContain("../shared");
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://127.0.0.1") || target.startsWith("#")) {
                    continue; // the local server, or a heading of the same page
                }
                assertThat(target)
                        .as("%s: link %s (only files of this repository)", doc, target)
                        .doesNotContain("://")
                        .doesNotStartWith("/");
                Path file =
                        doc.getParent().resolve(target.replaceFirst("#.*$", "")).normalize();
                assertThat(file).as("%s: link %s", doc, target).startsWith(ROOT).exists();
            }
        }
    }

    @Test
    void everyTestClassTheDocumentsNameExists() throws IOException {
        Set<String> classes = new TreeSet<>();
        try (Stream<Path> s = Files.walk(ROOT.resolve("src/test/java"))) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".java"))
                    .forEach(n -> classes.add(n.substring(0, n.length() - 5)));
        }
        for (Path doc : documents()) {
            Matcher m = TEST_CLASS.matcher(Files.readString(doc, StandardCharsets.UTF_8));
            while (m.find()) {
                assertThat(classes).as("%s names %s", doc, m.group(1)).contains(m.group(1));
            }
        }
    }

    @Test
    void theReadmeIsALandingPage() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(readme.getBytes(StandardCharsets.UTF_8).length)
                .as("README size")
                .isLessThan(15_000);
        assertThat(readme).contains("./coffer serve").contains("./mvnw verify").contains("## Security");
    }
}
