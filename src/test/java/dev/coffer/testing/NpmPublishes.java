package dev.coffer.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** {@code npm publish} over HTTP, for tests that need npm packages on a running server (API.md §10). */
public final class NpmPublishes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NpmPublishes() {}

    /**
     * Publishes {@code name@version} to {@code repo} with the body npm sends (libnpmpublish's), the
     * tarball's integrity and shasum included, under the dist-tag {@code tag}; checks for 201.
     */
    public static void publish(
            Http h,
            String repo,
            String name,
            String version,
            String tag,
            byte[] tgz,
            String description,
            String readme) {
        ObjectNode root = JSON.createObjectNode();
        root.put("_id", name);
        root.put("name", name);
        root.put("description", description);
        root.putObject("dist-tags").put(tag, version);
        ObjectNode m = root.putObject("versions").putObject(version);
        m.put("name", name);
        m.put("version", version);
        m.put("_id", name + "@" + version);
        m.put("description", description);
        m.put("license", "MIT");
        m.putObject("dependencies").put("left-pad", "^1.0.0");
        String file = name.substring(name.indexOf('/') + 1) + "-" + version + ".tgz";
        ObjectNode dist = m.putObject("dist");
        dist.put("integrity", "sha512-" + Base64.getEncoder().encodeToString(digest("SHA-512", tgz)));
        dist.put("shasum", HexFormat.of().formatHex(digest("SHA-1", tgz)));
        dist.put("tarball", "http://127.0.0.1/" + name + "/-/" + file);
        root.put("access", "public");
        root.put("readme", readme);
        ObjectNode a = root.putObject("_attachments").putObject(file);
        a.put("content_type", "application/octet-stream");
        a.put("data", Base64.getEncoder().encodeToString(tgz));
        a.put("length", tgz.length);
        Fixtures.expect(
                h.putJson("/api/npm/" + repo + "/" + name.replace("/", "%2f"), Fixtures.json(root)),
                "npm publish " + name + "@" + version,
                201);
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
