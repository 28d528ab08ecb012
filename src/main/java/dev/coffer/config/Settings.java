package dev.coffer.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting, with where it comes from: a command-line option wins over the environment
 * variable, which wins over the config file, which wins over the default. Bad values stop the
 * start with a message that names the setting.
 */
public record Settings(String host, int port, Path data, Duration sessionTtl, int lockout, Duration lockoutWindow,
        long maxUploadBytes, long maxJsonBytes, Duration shutdownGrace, Duration tokenTtl, int lockoutAddress,
        Duration auditRetention, int metricsPort, String accessLog, Backends backends, Duration clusterResync,
        String trustedProxies, boolean fastDownloads, int auditQueue, int passwordConcurrency, int passwordQueue,
        Duration tokenMaxLifetime, String publicUrl, int passwordMinLength) {

    /** {@link #metricsPort()} when no separate management listener is configured. */
    public static final int METRICS_PORT_OFF = -1;

    /** One setting: config-file key, environment variable, default, what it means. */
    public record Key(String name, String env, String defaultValue, String description) {}

    public static final List<Key> KEYS = List.of(
            new Key("host", "COFFER_HOST", "127.0.0.1", "address to listen on"),
            new Key("port", "COFFER_PORT", "8080", "port to listen on; 0 picks a free port"),
            new Key("data", "COFFER_DATA", "./data", "folder for the embedded database and the file store"),
            new Key("session.ttl", "COFFER_SESSION_TTL", "24h", "lifetime of session tokens"),
            new Key("lockout", "COFFER_LOCKOUT", "10", "failed password logins before a username is locked"),
            new Key("lockout.window", "COFFER_LOCKOUT_WINDOW", "5m", "window in which failed logins are counted"),
            new Key("lockout.address", "COFFER_LOCKOUT_ADDRESS", "100",
                    "distinct usernames one address may fail on within the window before it is locked"),
            new Key("password.concurrency", "COFFER_PASSWORD_CONCURRENCY", "auto",
                    "password checks (Argon2id, 19 MiB each) run at once; auto: one fewer than the cores, at least 1"),
            new Key("password.queue", "COFFER_PASSWORD_QUEUE", "32",
                    "password checks that may wait for one of those; past it a password login is refused at once with 503 "
                            + "and Retry-After (keys and tokens are not affected)"),
            new Key("password.min-length", "COFFER_PASSWORD_MIN_LENGTH", "8",
                    "fewest characters of a password when it is set (API, command line, first admin); it may not "
                            + "be the user name either. Passwords set before keep working"),
            new Key("max.upload", "COFFER_MAX_UPLOAD", "unlimited", "largest accepted upload (bytes, or e.g. 512m, 10g)"),
            new Key("max.json", "COFFER_MAX_JSON", "1m", "largest accepted JSON request body"),
            new Key("shutdown.grace", "COFFER_SHUTDOWN_GRACE", "30s", "how long a stop waits for requests in flight"),
            new Key("token.ttl", "COFFER_TOKEN_TTL", "365d", "default lifetime of access tokens (expires_in not given)"),
            new Key("token.max-lifetime", "COFFER_TOKEN_MAX_LIFETIME", "",
                    "longest lifetime a user who is not an administrator may give an access token; empty: token.ttl"),
            new Key("audit.retention", "COFFER_AUDIT_RETENTION", "90d", "how long audit events are kept"),
            new Key("audit.queue", "COFFER_AUDIT_QUEUE", "200000",
                    "audited reads waiting to be written (a few seconds of downloads); when full, reads go unaudited and are counted"),
            new Key("metrics.port", "COFFER_METRICS_PORT", "",
                    "also serve /metrics without credentials on this port (same host); empty = only the admin route"),
            new Key("access.log", "COFFER_ACCESS_LOG", "logs/access.log",
                    "access log (JSON lines): 'stdout', 'off', or a file (relative to the data folder), rotated at 100 MB"),
            // where metadata and file contents live (Backends)
            new Key("database.url", "COFFER_DATABASE_URL", "",
                    "PostgreSQL JDBC URL (jdbc:postgresql://host:5432/coffer); empty: the embedded database"),
            new Key("database.user", "COFFER_DATABASE_USER", "", "PostgreSQL user"),
            new Key("database.password", "COFFER_DATABASE_PASSWORD", "", "PostgreSQL password"),
            new Key("database.pool", "COFFER_DATABASE_POOL", "10", "PostgreSQL connections per node"),
            new Key("storage", "COFFER_STORAGE", "fs", "where file contents live: fs (the data folder) or s3"),
            new Key("s3.endpoint", "COFFER_S3_ENDPOINT", "",
                    "S3 endpoint URL; empty: AWS's own endpoint for the region"),
            new Key("s3.region", "COFFER_S3_REGION", "us-east-1", "S3 region"),
            new Key("s3.bucket", "COFFER_S3_BUCKET", "", "S3 bucket (must exist)"),
            new Key("s3.path-style", "COFFER_S3_PATH_STYLE", "false",
                    "true: path-style URLs (endpoint/bucket/key), as MinIO and most S3-compatible servers need"),
            new Key("s3.access-key", "COFFER_S3_ACCESS_KEY", "",
                    "S3 access key; empty (with the secret key): the AWS default chain (environment, profile, instance role)"),
            new Key("s3.secret-key", "COFFER_S3_SECRET_KEY", "", "S3 secret key"),
            new Key("cluster.resync", "COFFER_CLUSTER_RESYNC", "30s",
                    "how often cached users, credentials, rights and locks are re-read even without a change event"),
            new Key("trusted.proxies", "COFFER_TRUSTED_PROXIES", "",
                    "load balancers (IPs or CIDR ranges, comma-separated) whose X-Forwarded-For names the client"),
            new Key("public.url", "COFFER_PUBLIC_URL", "",
                    "the address clients reach Coffer at (https://repo.example.com), for links Coffer writes; empty: "
                            + "a trusted proxy's X-Forwarded-Host/-Proto, else the request's Host"),
            new Key("fast.downloads", "COFFER_FAST_DOWNLOADS", "true",
                    "serve plain GETs of files up to 64 KiB in front of the router, with the same checks; false: everything goes through the router"));

    public static Settings load(Map<String, String> options, Map<String, String> env, Path configFile) {
        Map<String, String> file = new LinkedHashMap<>();
        if (configFile != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + configFile + ": " + e.getMessage());
            }
            for (String k : p.stringPropertyNames()) {
                if (KEYS.stream().noneMatch(key -> key.name().equals(k))) {
                    throw new IllegalArgumentException("unknown setting '" + k + "' in " + configFile);
                }
                file.put(k, p.getProperty(k).trim());
            }
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (Key k : KEYS) {
            String value = options.get(k.name());
            if (value == null) {
                value = env.get(k.env());
            }
            if (value == null) {
                value = file.get(k.name());
            }
            v.put(k.name(), value == null ? k.defaultValue() : value);
        }
        int port = integer(v, "port", 0, 65535);
        return new Settings(v.get("host"), port, Path.of(v.get("data")), duration(v, "session.ttl"),
                integer(v, "lockout", 1, 1_000_000), duration(v, "lockout.window"), size(v, "max.upload"),
                size(v, "max.json"), duration(v, "shutdown.grace"), duration(v, "token.ttl"),
                integer(v, "lockout.address", 1, 1_000_000), duration(v, "audit.retention"),
                optionalPort(v, "metrics.port", port),
                accessLog(v, "access.log"), Backends.from(v), duration(v, "cluster.resync"),
                v.get("trusted.proxies").trim(), bool(v, "fast.downloads"), integer(v, "audit.queue", 1, 10_000_000),
                passwordConcurrency(v, "password.concurrency"), integer(v, "password.queue", 0, 100_000),
                v.get("token.max-lifetime").isBlank() ? duration(v, "token.ttl") : duration(v, "token.max-lifetime"),
                publicUrl(v, "public.url"), integer(v, "password.min-length", 1, 1024));
    }

    /**
     * An absolute http(s) URL without user info, query or fragment, and without a trailing '/'
     * (links are written as this + "/repository/..."); empty for none.
     */
    private static String publicUrl(Map<String, String> v, String key) {
        String s = v.get(key).trim();
        if (s.isEmpty()) {
            return "";
        }
        String expected = "an absolute http or https URL such as https://repo.example.com (no user, query or fragment)";
        java.net.URI u;
        try {
            u = new java.net.URI(s);
        } catch (java.net.URISyntaxException e) {
            throw bad(key, s, expected);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getRawUserInfo() != null
                || u.getRawQuery() != null || u.getRawFragment() != null || u.isOpaque()) {
            throw bad(key, s, expected);
        }
        return s.replaceAll("/+$", "");
    }

    /** 'auto': a core is always left for requests that need no hash (keys, tokens, remembered passwords). */
    private static int passwordConcurrency(Map<String, String> v, String key) {
        if (v.get(key).trim().equalsIgnoreCase("auto")) {
            return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        }
        try {
            return integer(v, key, 1, 1024);
        } catch (IllegalArgumentException e) {
            throw bad(key, v.get(key), "'auto' or a whole number from 1 to 1024");
        }
    }

    private static int optionalPort(Map<String, String> v, String key, int mainPort) {
        if (v.get(key).isBlank()) {
            return METRICS_PORT_OFF;
        }
        int p = integer(v, key, 0, 65535);
        if (p != 0 && p == mainPort) {
            throw bad(key, v.get(key), "a port other than the main port " + mainPort + " (or empty for none)");
        }
        return p;
    }

    private static String accessLog(Map<String, String> v, String key) {
        String s = v.get(key).trim();
        if (s.isEmpty() || s.indexOf('\0') >= 0) {
            throw bad(key, v.get(key), "'stdout', 'off' or a file path");
        }
        return s;
    }

    /** Where the access log goes: null for off, "stdout", or a file (relative paths are under the data folder). */
    public Path accessLogFile() {
        if (accessLog.equalsIgnoreCase("off") || accessLog.equalsIgnoreCase("stdout")) {
            return null;
        }
        return data.resolve(accessLog);
    }

    private static int integer(Map<String, String> v, String key, int min, int max) {
        try {
            int n = Integer.parseInt(v.get(key).trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, v.get(key), "a whole number from " + min + " to " + max);
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** Durations are written 90s, 5m, 24h, 7d or 500ms. */
    public static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + s);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static Duration duration(Map<String, String> v, String key) {
        try {
            Duration d = parseDuration(v.get(key));
            if (d.isZero()) {
                throw new IllegalArgumentException();
            }
            return d;
        } catch (RuntimeException e) {
            throw bad(key, v.get(key), "a duration such as 90s, 5m or 24h");
        }
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)b?");

    private static long size(Map<String, String> v, String key) {
        String s = v.get(key).trim().toLowerCase(Locale.ROOT);
        if (s.equals("unlimited")) {
            return -1;
        }
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw bad(key, v.get(key), "a size in bytes such as 1048576, 512m or 10g, or 'unlimited'");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return n << shift;
    }

    /** "true" or "false", any case; anything else stops the start. */
    static boolean bool(Map<String, String> v, String key) {
        String s = v.get(key).trim().toLowerCase(java.util.Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            throw bad(key, v.get(key), "true or false");
        }
        return s.equals("true");
    }

    static IllegalArgumentException bad(String key, String value, String expected) {
        String env = KEYS.stream().filter(k -> k.name().equals(key)).findFirst().map(Key::env).orElse(key);
        return new IllegalArgumentException("setting '" + key + "' (" + env + ") is '" + value + "'; expected " + expected);
    }
}
