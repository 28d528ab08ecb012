package dev.coffer.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The npm CLI the npm tests drive: skipped where it is missing, a failure in CI (which installs it). */
public final class NpmTool {
    public static final Path NPM = Path.of("/usr/bin/npm");

    private NpmTool() {}

    public static void require() {
        if (Files.isExecutable(NPM)) {
            return;
        }
        String why =
                "the npm tests drive the npm CLI at " + NPM + ": apt-get install -y nodejs npm (.ci/run does this)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(why);
        }
        Assumptions.abort(why);
    }
}
