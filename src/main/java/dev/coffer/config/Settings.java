package dev.coffer.config;

import static dev.coffer.config.SettingValues.*;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Every setting, with where it comes from: a command-line option wins over the environment
 * variable, which wins over the config file, which wins over the default. Bad values stop the
 * start with a message that names the setting.
 */
public record Settings(
        String host,
        int port,
        Path data,
        Duration sessionTtl,
        int lockout,
        Duration lockoutWindow,
        long maxUploadBytes,
        long maxJsonBytes,
        Duration shutdownGrace,
        Duration tokenTtl,
        int lockoutAddress,
        Duration auditRetention,
        int metricsPort,
        String accessLog,
        Backends backends,
        Duration clusterResync,
        String trustedProxies,
        boolean fastDownloads,
        int auditQueue,
        int passwordConcurrency,
        int passwordQueue,
        Duration tokenMaxLifetime,
        String publicUrl,
        int passwordMinLength,
        Path secretsKeyFile,
        RemoteFetching remoteFetching,
        Duration npmDocumentMaxAge) {

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
            new Key(
                    "lockout.address",
                    "COFFER_LOCKOUT_ADDRESS",
                    "100",
                    "distinct usernames one address may fail on within the window before it is locked"),
            new Key(
                    "password.concurrency",
                    "COFFER_PASSWORD_CONCURRENCY",
                    "auto",
                    "password checks (Argon2id, 19 MiB each) run at once; auto: one fewer than the cores, at least 1"),
            new Key(
                    "password.queue",
                    "COFFER_PASSWORD_QUEUE",
                    "32",
                    "password checks that may wait for one of those; past it a password login is refused at once with 503 "
                            + "and Retry-After (keys and tokens are not affected)"),
            new Key(
                    "password.min-length",
                    "COFFER_PASSWORD_MIN_LENGTH",
                    "8",
                    "fewest characters of a password when it is set (API, command line, first admin); it may not "
                            + "be the user name either. Passwords set before keep working"),
            new Key(
                    "max.upload",
                    "COFFER_MAX_UPLOAD",
                    "unlimited",
                    "largest accepted upload (bytes, or e.g. 512m, 10g)"),
            new Key("max.json", "COFFER_MAX_JSON", "1m", "largest accepted JSON request body"),
            new Key("shutdown.grace", "COFFER_SHUTDOWN_GRACE", "30s", "how long a stop waits for requests in flight"),
            new Key(
                    "token.ttl",
                    "COFFER_TOKEN_TTL",
                    "365d",
                    "default lifetime of access tokens (expires_in not given)"),
            new Key(
                    "token.max-lifetime",
                    "COFFER_TOKEN_MAX_LIFETIME",
                    "",
                    "longest lifetime a user who is not an administrator may give an access token; empty: token.ttl"),
            new Key("audit.retention", "COFFER_AUDIT_RETENTION", "90d", "how long audit events are kept"),
            new Key(
                    "audit.queue",
                    "COFFER_AUDIT_QUEUE",
                    "200000",
                    "audited reads waiting to be written (a few seconds of downloads); when full, reads go unaudited and are counted"),
            new Key(
                    "metrics.port",
                    "COFFER_METRICS_PORT",
                    "",
                    "also serve /metrics without credentials on this port (same host); empty = only the admin route"),
            new Key(
                    "access.log",
                    "COFFER_ACCESS_LOG",
                    "logs/access.log",
                    "access log (JSON lines): 'stdout', 'off', or a file (relative to the data folder), rotated at 100 MB"),
            // where metadata and file contents live (Backends)
            new Key(
                    "database.url",
                    "COFFER_DATABASE_URL",
                    "",
                    "PostgreSQL JDBC URL (jdbc:postgresql://host:5432/coffer); empty: the embedded database"),
            new Key("database.user", "COFFER_DATABASE_USER", "", "PostgreSQL user"),
            new Key("database.password", "COFFER_DATABASE_PASSWORD", "", "PostgreSQL password"),
            new Key("database.pool", "COFFER_DATABASE_POOL", "10", "PostgreSQL connections per node"),
            new Key("storage", "COFFER_STORAGE", "fs", "where file contents live: fs (the data folder) or s3"),
            new Key(
                    "s3.endpoint",
                    "COFFER_S3_ENDPOINT",
                    "",
                    "S3 endpoint URL; empty: AWS's own endpoint for the region"),
            new Key("s3.region", "COFFER_S3_REGION", "us-east-1", "S3 region"),
            new Key("s3.bucket", "COFFER_S3_BUCKET", "", "S3 bucket (must exist)"),
            new Key(
                    "s3.path-style",
                    "COFFER_S3_PATH_STYLE",
                    "false",
                    "true: path-style URLs (endpoint/bucket/key), as MinIO and most S3-compatible servers need"),
            new Key(
                    "s3.access-key",
                    "COFFER_S3_ACCESS_KEY",
                    "",
                    "S3 access key; empty (with the secret key): the AWS default chain (environment, profile, instance role)"),
            new Key("s3.secret-key", "COFFER_S3_SECRET_KEY", "", "S3 secret key"),
            new Key(
                    "cluster.resync",
                    "COFFER_CLUSTER_RESYNC",
                    "30s",
                    "how often cached users, credentials, rights and locks are re-read even without a change event"),
            new Key(
                    "trusted.proxies",
                    "COFFER_TRUSTED_PROXIES",
                    "",
                    "load balancers (IPs or CIDR ranges, comma-separated) whose X-Forwarded-For names the client"),
            new Key(
                    "public.url",
                    "COFFER_PUBLIC_URL",
                    "",
                    "the address clients reach Coffer at (https://repo.example.com), for links Coffer writes; empty: "
                            + "a trusted proxy's X-Forwarded-Host/-Proto, else the request's Host"),
            new Key(
                    "secrets.key-file",
                    "COFFER_SECRETS_KEY_FILE",
                    "secrets.key",
                    "the 32-byte key that encrypts remote repositories' upstream passwords (relative to the data folder); "
                            + "created on first start. Every node on one PostgreSQL database must be given the same file. "
                            + "A backup does not contain it: keep it with the backups"),
            new Key(
                    "fast.downloads",
                    "COFFER_FAST_DOWNLOADS",
                    "true",
                    "serve plain GETs of files up to 64 KiB in front of the router, with the same checks; false: everything goes through the router"),
            // remote repositories (API.md section 9)
            new Key(
                    "remote.connect-timeout",
                    "COFFER_REMOTE_CONNECT_TIMEOUT",
                    "10s",
                    "longest wait for a connection to a remote repository's upstream"),
            new Key(
                    "remote.response-timeout",
                    "COFFER_REMOTE_RESPONSE_TIMEOUT",
                    "30s",
                    "longest wait for an upstream's response headers; past it the upstream counts as unavailable (502)"),
            new Key(
                    "remote.idle-timeout",
                    "COFFER_REMOTE_IDLE_TIMEOUT",
                    "60s",
                    "longest pause inside an upstream's response body before the fetch is abandoned (nothing is cached)"),
            new Key(
                    "remote.not-found-ttl",
                    "COFFER_REMOTE_NOT_FOUND_TTL",
                    "60s",
                    "how long a path the upstream did not have answers 404 without asking the upstream again"),
            new Key(
                    "npm.document-max-age",
                    "COFFER_NPM_DOCUMENT_MAX_AGE",
                    "300s",
                    "how long npm may use a package document from its own cache without asking again (Cache-Control: "
                            + "private, max-age), as the npm registry's 300 s; 0s: npm revalidates every time"));

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
        return new Settings(
                v.get("host"),
                port,
                Path.of(v.get("data")),
                duration(v, "session.ttl"),
                integer(v, "lockout", 1, 1_000_000),
                duration(v, "lockout.window"),
                size(v, "max.upload"),
                size(v, "max.json"),
                duration(v, "shutdown.grace"),
                duration(v, "token.ttl"),
                integer(v, "lockout.address", 1, 1_000_000),
                duration(v, "audit.retention"),
                optionalPort(v, "metrics.port", port),
                SettingValues.accessLog(v, "access.log"),
                Backends.from(v),
                duration(v, "cluster.resync"),
                v.get("trusted.proxies").trim(),
                bool(v, "fast.downloads"),
                integer(v, "audit.queue", 1, 10_000_000),
                SettingValues.passwordConcurrency(v, "password.concurrency"),
                integer(v, "password.queue", 0, 100_000),
                v.get("token.max-lifetime").isBlank() ? duration(v, "token.ttl") : duration(v, "token.max-lifetime"),
                SettingValues.publicUrl(v, "public.url"),
                integer(v, "password.min-length", 1, 1024),
                SettingValues.keyFile(v, "secrets.key-file", Path.of(v.get("data"))),
                new RemoteFetching(
                        duration(v, "remote.connect-timeout"),
                        duration(v, "remote.response-timeout"),
                        duration(v, "remote.idle-timeout"),
                        duration(v, "remote.not-found-ttl")),
                SettingValues.maxAge(v, "npm.document-max-age"));
    }

    /** A duration written 90s, 5m, 24h, 7d (or ms). */
    public static Duration parseDuration(String s) {
        return SettingValues.parseDuration(s);
    }

    /** Where the access log goes: null for off, "stdout", or a file (relative paths are under the data folder). */
    public Path accessLogFile() {
        if (accessLog.equalsIgnoreCase("off") || accessLog.equalsIgnoreCase("stdout")) {
            return null;
        }
        return data.resolve(accessLog);
    }
}
