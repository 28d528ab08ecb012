package dev.coffer.testing;

import dev.coffer.bootstrap.Coffer;
import dev.coffer.common.Clock;
import dev.coffer.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real Coffer on 127.0.0.1 and a free port, with its own data folder; close() stops it and deletes the data. */
public final class TestServer implements Server, AutoCloseable {
    public static final String ADMIN_PASSWORD = "admin-test-password";

    private final Path data;
    // dropped on close: test classes keep their server in a static field, and a whole run's stopped
    // servers (caches, buffer pools, registries) would otherwise stay reachable to the end (issue 17)
    private volatile Coffer coffer;
    private final boolean ownsData;
    public final String output;

    private TestServer(Path data, Coffer coffer, String output, boolean ownsData) {
        this.data = data;
        this.coffer = coffer;
        this.output = output;
        this.ownsData = ownsData;
    }

    /**
     * System property: {@code postgres-s3} runs every TestServer on a fresh PostgreSQL database and
     * S3 bucket (the build's second run of the HTTP suite) instead of SQLite and the file store.
     */
    public static final String BACKENDS_PROPERTY = "coffer.test.backends";

    /** Adds settings for a fresh database in the test PostgreSQL cluster and a fresh bucket in s3proxy. */
    public static void onPostgresAndS3(Map<String, String> opts) {
        if (!opts.containsKey("database.url")) {
            PostgresServer.Db db = PostgresServer.assumeAvailable().createDatabase("server");
            opts.put("database.url", db.url());
            opts.put("database.user", db.user());
            opts.put("database.password", db.password());
        }
        if (!opts.containsKey("storage")) {
            S3ProxyServer s3 = S3ProxyServer.assumeAvailable();
            opts.put("storage", "s3");
            opts.put("s3.endpoint", s3.endpoint());
            opts.put("s3.region", S3ProxyServer.REGION);
            opts.put("s3.bucket", s3.createBucket("server"));
            opts.put("s3.path-style", "true");
            opts.put("s3.access-key", S3ProxyServer.ACCESS_KEY);
            opts.put("s3.secret-key", S3ProxyServer.SECRET_KEY);
        }
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** @param settings extra settings by config key (e.g. "max.upload" -> "1k") */
    public static TestServer start(Map<String, String> settings) {
        try {
            return start(Files.createTempDirectory("coffer-test"), settings, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param remoteClock the time remote repositories judge their cache by (tests move it) */
    public static TestServer start(Map<String, String> settings, Clock remoteClock) {
        try {
            return start(Files.createTempDirectory("coffer-test"), settings, true, remoteClock);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestServer start(Path data, Map<String, String> settings, boolean ownsData) {
        return start(data, settings, ownsData, Clock.SYSTEM);
    }

    private static TestServer start(Path data, Map<String, String> settings, boolean ownsData, Clock remoteClock) {
        Map<String, String> opts = new HashMap<>(settings);
        opts.put("host", "127.0.0.1");
        opts.put("port", "0");
        opts.put("data", data.toString());
        opts.putIfAbsent("shutdown.grace", "2s");
        // suites send many wrong passwords from one address on purpose; lockout tests set their own
        opts.putIfAbsent("lockout", "100000");
        if (System.getProperty(BACKENDS_PROPERTY, "").equals("postgres-s3")) {
            onPostgresAndS3(opts);
        }
        Settings s = Settings.load(opts, Map.of(), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Coffer c = Coffer.start(
                s,
                Map.of("COFFER_ADMIN_PASSWORD", ADMIN_PASSWORD),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                java.util.function.UnaryOperator.identity(),
                remoteClock);
        return new TestServer(data, c, out.toString(StandardCharsets.UTF_8), ownsData);
    }

    @Override
    public String base() {
        return "http://127.0.0.1:" + coffer.port();
    }

    @Override
    public int port() {
        return coffer.port();
    }

    public Path data() {
        return data;
    }

    /** Where uploads are staged before commit: store/tmp for the file store, staging/ for S3. */
    public Path stagingDir() {
        return onFileStore() ? data.resolve("store").resolve("tmp") : data.resolve("staging");
    }

    /** True when this server keeps file contents under data/store (not in S3). */
    public boolean onFileStore() {
        return !(coffer.services().blobs() instanceof dev.coffer.blob.s3.S3BlobStore);
    }

    public Coffer coffer() {
        return coffer;
    }

    /** A client acting as the bootstrap administrator. */
    @Override
    public Http admin() {
        return new Http(base()).basic("admin", ADMIN_PASSWORD);
    }

    @Override
    public Http anonymous() {
        return new Http(base());
    }

    @Override
    public void close() {
        Coffer c = coffer;
        if (c == null) {
            return;
        }
        coffer = null;
        c.close();
        if (ownsData) {
            Folders.delete(data);
        }
    }
}
