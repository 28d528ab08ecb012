package dev.coffer.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading and checking the values of {@link Settings}: each parser names the setting it refuses. */
final class SettingValues {
    private SettingValues() {}

    /**
     * An absolute http(s) URL without user info, query or fragment, and without a trailing '/'
     * (links are written as this + "/repository/..."); empty for none.
     */
    static String publicUrl(Map<String, String> v, String key) {
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
        if (!(scheme.equals("http") || scheme.equals("https"))
                || u.getHost() == null
                || u.getRawUserInfo() != null
                || u.getRawQuery() != null
                || u.getRawFragment() != null
                || u.isOpaque()) {
            throw bad(key, s, expected);
        }
        return s.replaceAll("/+$", "");
    }

    /** A file path, relative to the data folder unless absolute. */
    static java.nio.file.Path keyFile(Map<String, String> v, String key, java.nio.file.Path data) {
        String s = v.get(key).trim();
        if (s.isEmpty() || s.indexOf('\0') >= 0) {
            throw bad(key, v.get(key), "a file path (relative to the data folder, or absolute)");
        }
        try {
            return data.resolve(s);
        } catch (java.nio.file.InvalidPathException e) {
            throw bad(key, v.get(key), "a file path (relative to the data folder, or absolute)");
        }
    }

    /** 'auto': a core is always left for requests that need no hash (keys, tokens, remembered passwords). */
    static int passwordConcurrency(Map<String, String> v, String key) {
        if (v.get(key).trim().equalsIgnoreCase("auto")) {
            return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        }
        try {
            return integer(v, key, 1, 1024);
        } catch (IllegalArgumentException e) {
            throw bad(key, v.get(key), "'auto' or a whole number from 1 to 1024");
        }
    }

    static int optionalPort(Map<String, String> v, String key, int mainPort) {
        if (v.get(key).isBlank()) {
            return Settings.METRICS_PORT_OFF;
        }
        int p = integer(v, key, 0, 65535);
        if (p != 0 && p == mainPort) {
            throw bad(key, v.get(key), "a port other than the main port " + mainPort + " (or empty for none)");
        }
        return p;
    }

    static String accessLog(Map<String, String> v, String key) {
        String s = v.get(key).trim();
        if (s.isEmpty() || s.indexOf('\0') >= 0) {
            throw bad(key, v.get(key), "'stdout', 'off' or a file path");
        }
        return s;
    }

    static int integer(Map<String, String> v, String key, int min, int max) {
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

    static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

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

    static Duration duration(Map<String, String> v, String key) {
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

    /** A cache lifetime from 0s (none) to a day, whole seconds (HTTP's max-age). */
    static Duration maxAge(Map<String, String> v, String key) {
        Duration d;
        try {
            d = parseDuration(v.get(key));
        } catch (RuntimeException e) {
            throw bad(key, v.get(key), "a duration from 0s to 1d such as 300s or 5m");
        }
        if (d.compareTo(Duration.ofDays(1)) > 0 || d.toMillis() % 1000 != 0) {
            throw bad(key, v.get(key), "a duration of whole seconds from 0s to 1d such as 300s or 5m");
        }
        return d;
    }

    static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)b?");

    static long size(Map<String, String> v, String key) {
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
        String env = Settings.KEYS.stream()
                .filter(k -> k.name().equals(key))
                .findFirst()
                .map(Settings.Key::env)
                .orElse(key);
        return new IllegalArgumentException(
                "setting '" + key + "' (" + env + ") is '" + value + "'; expected " + expected);
    }
}
