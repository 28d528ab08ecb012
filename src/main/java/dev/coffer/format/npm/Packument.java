package dev.coffer.format.npm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The package document ("packument") npm reads, assembled from what the database holds: the full
 * one, and the abbreviated one npm install asks for ({@code application/vnd.npm.install-v1+json},
 * the fields of the npm registry's "corgi" documents). Every {@code dist.tarball} points at the
 * Coffer address the client used.
 */
public final class Packument {
    /** Strict: a key given twice is an error, as everywhere in Coffer. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    // a publish's base64 tarball is streamed (DocumentBody), so Jackson's limit on one
                    // string (20 million characters) stays for every other string
                    .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                            .maxNestingDepth(64)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public static final String ABBREVIATED = "application/vnd.npm.install-v1+json";

    private static final List<String> CORGI_FIELDS = List.of(
            "name",
            "version",
            "dependencies",
            "optionalDependencies",
            "devDependencies",
            "bundleDependencies",
            "peerDependencies",
            "peerDependenciesMeta",
            "bin",
            "directories",
            "dist",
            "engines",
            "_hasShrinkwrap",
            "hasInstallScript",
            "cpu",
            "os",
            "deprecated");

    private Packument() {}

    /**
     * @param registry the registry URL of the repository as the client addresses it, ending in '/'
     * @param abbreviated the install document rather than the full one
     */
    public static ObjectNode of(NpmPackage p, String registry, boolean abbreviated) {
        ObjectNode doc = MAPPER.createObjectNode();
        if (!abbreviated) {
            doc.put("_id", p.name());
            doc.put("_rev", p.rev());
        }
        doc.put("name", p.name());
        if (abbreviated) {
            doc.put("modified", time(p.modifiedAt()));
        } else if (p.description() != null) {
            doc.put("description", p.description());
        }
        ObjectNode tags = doc.putObject("dist-tags");
        p.distTags().forEach(tags::put);
        ObjectNode versions = doc.putObject("versions");
        for (NpmPackage.Version v : p.versions().values()) {
            ObjectNode m = manifest(v, registry, p.name());
            if (abbreviated) {
                ObjectNode small = versions.putObject(v.version());
                CORGI_FIELDS.forEach(f -> {
                    if (m.has(f)) {
                        small.set(f, m.get(f));
                    }
                });
            } else {
                versions.set(v.version(), m);
            }
        }
        if (!abbreviated) {
            ObjectNode time = doc.putObject("time");
            time.put("created", time(p.createdAt()));
            time.put("modified", time(p.modifiedAt()));
            p.versions().values().forEach(v -> time.put(v.version(), time(v.publishedAt())));
            doc.put("readme", p.readme() == null ? "" : p.readme());
        }
        return doc;
    }

    /** A version's manifest as published, its tarball URL pointing at {@code registry}. */
    public static ObjectNode manifest(NpmPackage.Version v, String registry, String name) {
        ObjectNode m = parse(v.manifest());
        JsonNode dist = m.get("dist");
        ObjectNode d = dist instanceof ObjectNode o ? o : m.putObject("dist");
        d.put(
                "tarball",
                registry + name + "/-/" + v.tarball().substring(v.tarball().lastIndexOf('/') + 1));
        return m;
    }

    /** A stored manifest (written by Coffer, so always an object). */
    public static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored npm manifest is not JSON", e);
        }
    }

    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
