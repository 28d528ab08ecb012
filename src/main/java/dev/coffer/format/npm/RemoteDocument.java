package dev.coffer.format.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.remote.Integrity;
import dev.coffer.remote.Origin;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A package document of an npm remote repository, as its upstream sent it (API.md §10): where it is
 * on the upstream and in the cache, its tarball URLs pointed at Coffer for the client, and where a
 * tarball the client names comes from: only from the URL the document gives for a version whose
 * tarball file it is, checked against that version's {@code dist.integrity} (sha512) or else its
 * {@code dist.shasum} (sha1). The client never chooses an upstream URL.
 */
public final class RemoteDocument {
    /** What Coffer asks an upstream for when the client asked for the abbreviated form. */
    public static final String ABBREVIATED_ACCEPT = Packument.ABBREVIATED + "; q=1.0, application/json; q=0.8, */*";

    private RemoteDocument() {}

    /** {@code {url}/web}, {@code {url}/@acme%2fweb}: where the npm registry protocol has it. */
    public static URI location(URI base, String name) {
        String b = base.toString();
        int end = b.length();
        while (end > 0 && b.charAt(end - 1) == '/') {
            end--;
        }
        // names are letters, digits and ._~- (NpmNames): only the scope's slash needs encoding
        return URI.create(b.substring(0, end) + "/" + name.replace("/", "%2f"));
    }

    /**
     * Where the upstream's document is cached: {@code {name}/-/package.json}, or {@code
     * package.abbreviated.json} for the abbreviated form (the upstream answers the two apart). Next
     * to the tarballs, never a tarball's name (those end in {@code .tgz}).
     */
    public static ArtifactPath cachePath(String name, boolean abbreviated) {
        return ArtifactPath.of(name + "/-/" + (abbreviated ? "package.abbreviated.json" : "package.json"));
    }

    /** The cached bytes as a document; 502 when the upstream sent something else. */
    public static ObjectNode parse(byte[] bytes, String name) {
        try {
            JsonNode n = Packument.MAPPER.readTree(bytes);
            if (n instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException e) {
            // answered below
        }
        throw new CofferException(new Failure.BadGateway(
                "upstream_unavailable", "the upstream's package document of " + name + " is not a JSON object"));
    }

    /**
     * Every {@code versions.*.dist.tarball} pointed at {@code registry} (ending in '/'). A version
     * whose tarball file would not be one path segment of npm's characters ({@code 1.0.0/../x}) is
     * left out: its URL could point the client at another path of Coffer.
     */
    public static ObjectNode rewrite(ObjectNode doc, String name, String registry) {
        JsonNode versions = doc.get("versions");
        if (versions instanceof ObjectNode vs) {
            List<String> unsafe = new ArrayList<>();
            vs.fieldNames().forEachRemaining(v -> {
                if (!fileOk(name, v)) {
                    unsafe.add(v);
                } else if (vs.get(v) instanceof ObjectNode m && m.get("dist") instanceof ObjectNode dist) {
                    dist.put("tarball", registry + name + "/-/" + NpmNames.tarballFile(name, v));
                }
            });
            vs.remove(unsafe);
        }
        return doc;
    }

    private static boolean fileOk(String name, String version) {
        try {
            NpmNames.tarballPath(name, NpmNames.tarballFile(name, version));
            return true;
        } catch (CofferException e) {
            return false;
        }
    }

    /**
     * Where the tarball {@code file} of the package comes from: the version whose tarball it is
     * (named as npm names them, {@code web-1.0.0.tgz}), its upstream URL and integrity.
     *
     * @param upstream the repository's URL: a tarball is fetched only from its scheme, host and port
     * @throws CofferException 404 when no version of the document has that tarball, 502 when the
     *     document gives no usable URL (or one elsewhere than the upstream) or no checksum for it
     */
    public static Origin tarball(ObjectNode doc, String name, String file, URI upstream) {
        JsonNode versions = doc.get("versions");
        if (versions instanceof ObjectNode vs) {
            Iterator<Map.Entry<String, JsonNode>> it = vs.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (NpmNames.tarballFile(name, e.getKey()).equals(file)) {
                    return origin(e.getValue().path("dist"), name + "@" + e.getKey(), upstream);
                }
            }
        }
        throw CofferException.notFound(
                "the upstream's package document of " + name + " has no version whose " + "tarball is " + file);
    }

    private static Origin origin(JsonNode dist, String version, URI upstream) {
        URI uri = null;
        try {
            uri = URI.create(dist.path("tarball").asText(""));
        } catch (IllegalArgumentException e) {
            // answered below
        }
        String scheme = uri == null ? "" : String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        if (uri == null || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw bad("the upstream's document gives no http(s) tarball URL for " + version);
        }
        if (!sameOrigin(uri, upstream)) {
            // a document could otherwise send Coffer to any address it reaches (its own network's)
            throw new CofferException(new Failure.BadGateway(
                    "upstream_unavailable",
                    "the upstream's document points the tarball of " + version + " at another host than the "
                            + "upstream's own (" + uri.getHost()
                            + "); Coffer fetches tarballs only from the upstream's "
                            + "scheme, host and port"));
        }
        return new Origin(uri, null, integrity(dist, version));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(String.valueOf(b.getHost()))
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static Integrity integrity(JsonNode dist, String version) {
        for (String sri : dist.path("integrity").asText("").trim().split("\\s+")) {
            if (sri.startsWith("sha512-")) {
                String b64 = sri.substring("sha512-".length());
                int q = b64.indexOf('?'); // SRI options
                try {
                    byte[] d = Base64.getDecoder().decode(q < 0 ? b64 : b64.substring(0, q));
                    if (d.length == 64) {
                        return new Integrity("SHA-512", d, "dist.integrity (sha512) of " + version);
                    }
                } catch (IllegalArgumentException e) {
                    // not base64: answered below
                }
                throw bad("the upstream's dist.integrity of " + version + " is not a sha512 digest");
            }
        }
        String shasum = dist.path("shasum").asText("").trim().toLowerCase(Locale.ROOT);
        if (shasum.length() == 40 && shasum.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return new Integrity("SHA-1", HexFormat.of().parseHex(shasum), "dist.shasum (sha1) of " + version);
        }
        throw bad("the upstream's document gives neither a sha512 dist.integrity nor a sha1 dist.shasum for " + version
                + ", so its tarball cannot be verified; nothing was cached");
    }

    private static CofferException bad(String message) {
        return new CofferException(new Failure.BadGateway("upstream_checksum_mismatch", message));
    }
}
