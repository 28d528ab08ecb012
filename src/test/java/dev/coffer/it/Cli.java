package dev.coffer.it;

import dev.coffer.testing.CofferProcess;
import dev.coffer.testing.Folders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar coffer.jar ARGS} to completion, as a script would. */
final class Cli {
    record Result(int code, String out, String err) {}

    private Cli() {}

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(CofferProcess.childTmpdir());
        cmd.addAll(List.of("-jar", CofferProcess.jar().toString()));
        cmd.addAll(List.of(args));
        Path logs = Files.createTempDirectory("coffer-cli");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(logs.resolve("out").toFile())
                .redirectError(logs.resolve("err").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().keySet().removeIf(k -> k.startsWith("COFFER_"));
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("coffer " + String.join(" ", args) + " did not finish");
        }
        try {
            return new Result(
                    p.exitValue(),
                    Files.readString(logs.resolve("out"), StandardCharsets.UTF_8),
                    Files.readString(logs.resolve("err"), StandardCharsets.UTF_8));
        } finally {
            Folders.delete(logs);
        }
    }
}
