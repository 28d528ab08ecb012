package dev.coffer.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where metadata and file contents live: the embedded SQLite database and file store under the
 * data folder (the default), or a PostgreSQL server and an S3-compatible bucket, which several
 * nodes can share.
 */
public record Backends(DatabaseSettings database, StorageSettings storage) {

    public record DatabaseSettings(String url, String user, String password, int poolSize) {
        public DatabaseSettings {
            Objects.requireNonNull(url, "url");
        }

        public boolean embedded() {
            return url.isEmpty();
        }

        /** The URL without any password parameter, for messages and logs. */
        public String safeUrl() {
            return redactUrl(url);
        }

        @Override
        public String toString() {
            return "DatabaseSettings[url=" + safeUrl() + ", user=" + user + ", poolSize=" + poolSize + "]";
        }
    }

    public enum StorageKind {
        FS,
        S3
    }

    public record StorageSettings(
            StorageKind kind,
            String endpoint,
            String region,
            String bucket,
            boolean pathStyle,
            String accessKey,
            String secretKey) {
        @Override
        public String toString() {
            return "StorageSettings[kind=" + kind + ", endpoint=" + endpoint + ", region=" + region + ", bucket="
                    + bucket + ", pathStyle=" + pathStyle + ", accessKey=" + accessKey + "]";
        }
    }

    /** Hides the value of any {@code password=} parameter of a JDBC URL. */
    public static String redactUrl(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    static Backends from(Map<String, String> v) {
        String url = v.get("database.url").trim();
        if (!url.isEmpty() && !url.startsWith("jdbc:postgresql://")) {
            throw SettingValues.bad(
                    "database.url",
                    redactUrl(url),
                    "empty (embedded database) or jdbc:postgresql://HOST:PORT/DATABASE");
        }
        int pool;
        try {
            pool = Integer.parseInt(v.get("database.pool").trim());
            if (pool < 1 || pool > 1000) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw SettingValues.bad("database.pool", v.get("database.pool"), "a whole number from 1 to 1000");
        }
        DatabaseSettings db = new DatabaseSettings(url, v.get("database.user"), v.get("database.password"), pool);

        StorageKind kind = switch (v.get("storage").trim().toLowerCase(Locale.ROOT)) {
            case "fs" -> StorageKind.FS;
            case "s3" -> StorageKind.S3;
            default -> throw SettingValues.bad("storage", v.get("storage"), "fs or s3");
        };
        boolean pathStyle = SettingValues.bool(v, "s3.path-style");
        String endpoint = v.get("s3.endpoint").trim();
        if (!endpoint.isEmpty() && !endpoint.matches("https?://.+")) {
            throw SettingValues.bad("s3.endpoint", endpoint, "an http:// or https:// URL, or empty");
        }
        String bucket = v.get("s3.bucket").trim();
        if (kind == StorageKind.S3 && bucket.isEmpty()) {
            throw SettingValues.bad("s3.bucket", bucket, "a bucket name (storage is s3)");
        }
        String accessKey = v.get("s3.access-key");
        String secretKey = v.get("s3.secret-key");
        if (accessKey.isEmpty() != secretKey.isEmpty()) {
            throw new IllegalArgumentException("settings 's3.access-key' and 's3.secret-key' go together: give both,"
                    + " or neither to use the AWS default credential chain");
        }
        return new Backends(
                db,
                new StorageSettings(
                        kind, endpoint, v.get("s3.region").trim(), bucket, pathStyle, accessKey, secretKey));
    }
}
