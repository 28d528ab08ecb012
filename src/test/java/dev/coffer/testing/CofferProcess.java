package dev.coffer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged jar run as a real child process, as a user runs it. close() kills it if still alive. */
public final class CofferProcess implements Server, AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("coffer listening on http://([^:]+):(\\d+)");

    private final Process process;
    private final Path out;
    private final Path err;
    private final String adminPassword;
    private int port = -1;

    private CofferProcess(Process process, Path out, Path err, String adminPassword) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.adminPassword = adminPassword;
    }

    /**
     * The test JVM's temporary folder (target/tmp, see pom.xml) for a child JVM too, so that nothing
     * a run leaves (sqlite-jdbc's extracted library, logs) lands in the machine's /tmp.
     */
    public static String childTmpdir() {
        return "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir");
    }

    public static Path jar() {
        String jar = System.getProperty("coffer.jar");
        if (jar == null) {
            throw new IllegalStateException("system property coffer.jar is not set (run through failsafe)");
        }
        return Path.of(jar);
    }

    /** Starts {@code java [jvmArgs] -jar coffer.jar serve --port 0 --data DIR} and waits for the listening line. */
    public static CofferProcess start(Path data, List<String> jvmArgs, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(childTmpdir());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar().toString(), "serve", "--port", "0", "--data", data.toString()));
        // Output goes to files, not pipes: a pipe read after the process exits can lose its last lines.
        Path logs = Files.createTempDirectory("coffer-process");
        Path out = logs.resolve("stdout.log");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(logs.resolve("stderr.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("COFFER_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        CofferProcess cp = new CofferProcess(p, out, logs.resolve("stderr.log"), env.get("COFFER_ADMIN_PASSWORD"));
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            for (String line : cp.stdout()) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    cp.port = Integer.parseInt(m.group(2));
                    return cp;
                }
            }
            sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("coffer did not start; stdout: " + cp.stdout() + " stderr: " + cp.stderr());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<String> stdout() {
        try {
            return Files.readAllLines(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    public String stderr() {
        try {
            return Files.readString(err, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public int port() {
        return port;
    }

    /**
     * A client acting as the administrator with the COFFER_ADMIN_PASSWORD this process was started
     * with: the administrator's password when that start created the administrator.
     */
    @Override
    public Http admin() {
        if (adminPassword == null) {
            throw new IllegalStateException("started without COFFER_ADMIN_PASSWORD");
        }
        return new Http(base()).basic("admin", adminPassword);
    }

    public Process process() {
        return process;
    }

    /** SIGTERM, then wait for the exit; returns the exit code. */
    public int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("coffer did not stop within " + timeoutSeconds + " s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        Folders.delete(out.getParent());
    }
}
