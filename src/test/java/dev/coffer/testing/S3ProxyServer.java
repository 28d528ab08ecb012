package dev.coffer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3proxy 4.1.0 (its {@code jar-with-dependencies}, copied to {@code target/s3proxy/} by the
 * build) as a child process with its filesystem backend, on 127.0.0.1 and a free port, checking
 * AWS v2/v4 signatures against a fixed key pair. One per test JVM ({@link #shared()}), killed by
 * {@link #close()} or a shutdown hook; each test takes a fresh bucket from {@link #createBucket(String)}.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "coffer-test-access";
    public static final String SECRET_KEY = "coffer-test-secret";
    public static final String REGION = "us-east-1";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3ProxyServer shared;
    private static String unavailableReason;

    private final Process process;
    private final Path dir;
    private final int port;

    private S3ProxyServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Skips the calling test (class) unless s3proxy can run here. */
    public static S3ProxyServer assumeAvailable() {
        Optional<S3ProxyServer> s = sharedIfAvailable();
        Assumptions.assumeTrue(s.isPresent(), () -> "S3 tests skipped: " + unavailableReason);
        return s.get();
    }

    public static synchronized Optional<S3ProxyServer> sharedIfAvailable() {
        if (shared != null) {
            return Optional.of(shared);
        }
        if (unavailableReason != null) {
            return Optional.empty();
        }
        String jar = System.getProperty("coffer.s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            unavailableReason = "s3proxy jar not found (system property coffer.s3proxy.jar = " + jar
                    + "; the Maven build copies it to target/s3proxy/)";
            return Optional.empty();
        }
        shared = start(Path.of(jar));
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "s3proxy-stop"));
        return Optional.of(shared);
    }

    public static synchronized S3ProxyServer shared() {
        return sharedIfAvailable().orElseThrow(() -> new IllegalStateException(unavailableReason));
    }

    private static S3ProxyServer start(Path jar) {
        try {
            Path dir = Files.createTempDirectory("coffer-s3proxy");
            Path base = Files.createDirectories(dir.resolve("buckets"));
            int port = PostgresServer.freePort();
            Path props = dir.resolve("s3proxy.properties");
            Files.writeString(
                    props,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=http://127.0.0.1:" + port,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + ACCESS_KEY,
                            "s3proxy.credential=" + SECRET_KEY,
                            "jclouds.provider=filesystem",
                            "jclouds.filesystem.basedir=" + base,
                            ""),
                    StandardCharsets.UTF_8);
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties", props.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            S3ProxyServer s = new S3ProxyServer(p, dir, port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    String log = Files.readString(dir.resolve("s3proxy.log"), StandardCharsets.UTF_8);
                    s.close();
                    throw new IllegalStateException("s3proxy exited at start:\n" + log);
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return s;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            s.close();
            throw new IllegalStateException("s3proxy did not start listening on port " + port + " within 60 s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A client for setting up and inspecting buckets (path-style, the test key pair). */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /** A new, empty bucket whose name starts with {@code prefix}. */
    public String createBucket(String prefix) {
        String name = (prefix.toLowerCase().replaceAll("[^a-z0-9]", "-") + "-" + BUCKETS.incrementAndGet())
                .replaceAll("^-+", "");
        if (name.length() > 60) {
            name = name.substring(name.length() - 60).replaceAll("^-+", "");
        }
        try (S3Client c = client()) {
            String bucket = name;
            c.createBucket(b -> b.bucket(bucket));
        }
        return name;
    }

    @Override
    public synchronized void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        Folders.delete(dir);
    }
}
