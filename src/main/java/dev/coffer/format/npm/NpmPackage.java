package dev.coffer.format.npm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * What the database holds of one package of an npm repository; the package document is assembled
 * from it per request ({@link Packument}).
 *
 * @param versions by version, in the order they were published
 * @param distTags tag to version
 */
public record NpmPackage(
        String repo,
        String name,
        String description,
        String readme,
        long revision,
        long createdAt,
        long modifiedAt,
        Map<String, Version> versions,
        Map<String, String> distTags) {

    public NpmPackage {
        versions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(versions));
        distTags = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(distTags));
    }

    /** One published version: its manifest as npm sent it (JSON text) and where its tarball is. */
    public record Version(String version, String manifest, String tarball, long publishedAt, String publishedBy) {}

    /**
     * The document's {@code _rev}, CouchDB-shaped ({@code N-hex}): it changes with every change of
     * the package, and a write that names another one is refused (a lost update).
     */
    public String rev() {
        return rev(repo, name, revision);
    }

    static String rev(String repo, String name, long revision) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((repo + "\0" + name + "\0" + revision).getBytes(StandardCharsets.UTF_8));
            return revision + "-" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
