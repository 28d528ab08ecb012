package dev.coffer.testing;

import dev.coffer.bootstrap.Coffer;
import dev.coffer.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** A real Coffer on 127.0.0.1 and a free port, with its own data folder; close() stops it and deletes the data. */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "admin-test-password";

    private final Path data;
    private final Coffer coffer;
    private final boolean ownsData;
    public final String output;

    private TestServer(Path data, Coffer coffer, String output, boolean ownsData) {
        this.data = data;
        this.coffer = coffer;
        this.output = output;
        this.ownsData = ownsData;
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

    public static TestServer start(Path data, Map<String, String> settings, boolean ownsData) {
        Map<String, String> opts = new HashMap<>(settings);
        opts.put("host", "127.0.0.1");
        opts.put("port", "0");
        opts.put("data", data.toString());
        opts.putIfAbsent("shutdown.grace", "2s");
        // suites send many wrong passwords from one address on purpose; lockout tests set their own
        opts.putIfAbsent("lockout", "100000");
        Settings s = Settings.load(opts, Map.of(), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Coffer c = Coffer.start(s, Map.of("COFFER_ADMIN_PASSWORD", ADMIN_PASSWORD),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return new TestServer(data, c, out.toString(StandardCharsets.UTF_8), ownsData);
    }

    public String base() {
        return "http://127.0.0.1:" + coffer.port();
    }

    public int port() {
        return coffer.port();
    }

    public Path data() {
        return data;
    }

    public Coffer coffer() {
        return coffer;
    }

    /** A client acting as the bootstrap administrator. */
    public Http admin() {
        return new Http(base()).basic("admin", ADMIN_PASSWORD);
    }

    public Http anonymous() {
        return new Http(base());
    }

    @Override
    public void close() {
        coffer.close();
        if (ownsData) {
            try (Stream<Path> walk = Files.walk(data)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temp folder; the OS cleans up what is left
            }
        }
    }
}
