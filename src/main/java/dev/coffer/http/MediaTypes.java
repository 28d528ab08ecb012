package dev.coffer.http;

import java.util.Locale;
import java.util.Map;

/** Content-Type from the file name; unknown names are served as bytes. */
final class MediaTypes {
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("jar", "application/java-archive"),
            Map.entry("war", "application/java-archive"),
            Map.entry("ear", "application/java-archive"),
            Map.entry("pom", "application/x-maven-pom+xml"),
            Map.entry("xml", "application/xml"),
            Map.entry("json", "application/json"),
            Map.entry("module", "application/json"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tgz", "application/gzip"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("txt", "text/plain"),
            Map.entry("md5", "text/plain"),
            Map.entry("sha1", "text/plain"),
            Map.entry("sha256", "text/plain"),
            Map.entry("sha512", "text/plain"),
            Map.entry("asc", "text/plain"),
            Map.entry("properties", "text/plain"),
            Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"),
            Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("pdf", "application/pdf"));

    private MediaTypes() {}

    static String forName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return "application/octet-stream";
        }
        String type = BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return "application/octet-stream";
        }
        return type.startsWith("text/") || type.endsWith("xml") || type.endsWith("json")
                ? type + "; charset=utf-8"
                : type;
    }
}
