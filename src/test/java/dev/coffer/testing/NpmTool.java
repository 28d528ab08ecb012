package dev.coffer.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    /** What one run of npm printed, and how it ended. */
    public record Run(int code, String out, String err) {}

    /**
     * Runs npm in {@code dir} against {@code registry} with its own settings file and cache (never
     * the user's ~/.npmrc: HOME is {@code home}), its output in files under {@code home}; at most 3
     * minutes.
     */
    public static Run run(Path home, Path dir, Path userconfig, Path cache, String registry, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(NPM.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of(
                "--userconfig",
                userconfig.toString(),
                "--cache",
                cache.toString(),
                "--registry",
                registry,
                "--no-audit",
                "--no-fund",
                "--no-update-notifier",
                "--loglevel",
                "notice"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("NO_PROXY", "127.0.0.1");
        pb.environment().remove("npm_config_registry");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("npm " + String.join(" ", args) + " did not finish");
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
