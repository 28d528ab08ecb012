package dev.coffer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster for tests: {@code initdb} into a temporary folder, {@code pg_ctl}
 * start on 127.0.0.1 and a free port, trust authentication, no fsync. One cluster per test JVM
 * ({@link #shared()}), stopped and deleted by {@link #close()} or, at the latest, by a shutdown
 * hook; each test class takes a fresh database from {@link #createDatabase(String)}.
 *
 * <p>The server binaries come from Debian's {@code postgresql} package (which {@code .ci/run}
 * installs). Tests call {@link #assumeAvailable()} so that a machine without them skips with a
 * message instead of failing. Running as root, the cluster runs as the {@code postgres} user
 * (initdb refuses root).
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "coffer";
    private static final String PG_ROOT = "/usr/lib/postgresql";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;
    private static String unavailableReason;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final List<String> runAs;
    private boolean running;

    private PostgresServer(Path bin, Path dir, int port, List<String> runAs) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.runAs = runAs;
    }

    /** Connection details of one database in the cluster. */
    public record Db(String url, String user, String password) {}

    /** Skips the calling test (class) unless a cluster can run here. */
    public static PostgresServer assumeAvailable() {
        Optional<PostgresServer> s = sharedIfAvailable();
        Assumptions.assumeTrue(s.isPresent(), () -> "PostgreSQL tests skipped: " + unavailableReason);
        return s.get();
    }

    /** The cluster of this JVM, started on first use. */
    public static synchronized Optional<PostgresServer> sharedIfAvailable() {
        if (shared != null) {
            return Optional.of(shared);
        }
        if (unavailableReason != null) {
            return Optional.empty();
        }
        Optional<Path> bin = findBinaries();
        if (bin.isEmpty()) {
            unavailableReason = "no initdb/pg_ctl under " + PG_ROOT + "/*/bin (apt-get install postgresql)";
            return Optional.empty();
        }
        shared = start(bin.get());
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "postgres-stop"));
        return Optional.of(shared);
    }

    public static synchronized PostgresServer shared() {
        return sharedIfAvailable().orElseThrow(() -> new IllegalStateException(unavailableReason));
    }

    private static Optional<Path> findBinaries() {
        Path root = Path.of(PG_ROOT);
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(
                            b -> version(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static PostgresServer start(Path bin) {
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            List<String> runAs = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
            Path dir = Files.createTempDirectory("coffer-pg");
            if (root) {
                exec(List.of("chown", "postgres:postgres", dir.toString()), 30);
            }
            PostgresServer s = new PostgresServer(bin, dir, freePort(), runAs);
            Path data = dir.resolve("data");
            s.run(
                    30 * 2,
                    bin.resolve("initdb").toString(),
                    "-D",
                    data.toString(),
                    "-U",
                    USER,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync");
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the (stopped) cluster again on the same port. */
    public synchronized void start() {
        Path data = dir.resolve("data");
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        run(
                60,
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-o",
                options,
                "-l",
                dir.resolve("postgres.log").toString(),
                "-w",
                "-t",
                "60",
                "start");
        running = true;
    }

    /** Stops the cluster (fast: open connections are cut), keeping its data for {@link #start()}. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
        running = false;
    }

    public int port() {
        return port;
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * A new, empty database (name prefixed by {@code prefix}), owned by {@link #USER}, with an
     * en-US (ICU) default collation.
     */
    public Db createDatabase(String prefix) {
        String name = (prefix.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_" + DATABASES.incrementAndGet());
        if (name.length() > 60) {
            name = name.substring(name.length() - 60);
        }
        name = "db_" + name.replaceAll("^_+", "");
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
                Statement st = c.createStatement()) {
            // Like a typical production database: a natural-language collation (ICU en-US), not the
            // cluster's C, so that SQL relying on byte order behaves differently here and fails tests.
            st.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu"
                    + " ICU_LOCALE 'en-US' LOCALE 'C'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return new Db(url(name), USER, "");
    }

    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("stopping the test PostgreSQL failed: " + e.getMessage());
        }
        Folders.delete(dir);
    }

    private void run(int timeoutSeconds, String... command) {
        List<String> cmd = new ArrayList<>(runAs);
        cmd.addAll(List.of(command));
        exec(cmd, timeoutSeconds);
    }

    private static void exec(List<String> cmd, int timeoutSeconds) {
        try {
            Path log = Files.createTempFile("coffer-pg-cmd", ".log");
            try {
                Process p = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out: " + String.join(" ", cmd));
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("failed (exit " + p.exitValue() + "): " + String.join(" ", cmd)
                            + "\n" + Files.readString(log, StandardCharsets.UTF_8));
                }
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
