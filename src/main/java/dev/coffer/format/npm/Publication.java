package dev.coffer.format.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.CofferException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code npm publish}, read from the body npm sends ({@code _id, name, description, dist-tags,
 * versions, readme, _attachments, access}) and checked before anything is stored: one version, its
 * manifest naming this package and version, one tarball whose sha512 and sha1 match the
 * manifest's {@code dist.integrity} and {@code dist.shasum} (when given).
 */
public record Publication(
        String name,
        String version,
        ObjectNode manifest,
        Map<String, String> distTags,
        String description,
        String readme,
        DocumentBody.Tarball tarball) {

    /** Whether a PUT of a package document is a publish: it carries a tarball. */
    public static boolean isPublish(ObjectNode body) {
        JsonNode a = body.get("_attachments");
        return a instanceof ObjectNode o && !o.isEmpty();
    }

    /** @param data the attachment's decoded bytes, or null when none came */
    public static Publication read(String name, ObjectNode body, DocumentBody.Tarball data) {
        String sent = text(body, "name");
        if (sent != null && !sent.equals(name)) {
            throw CofferException.invalid(
                    "name_mismatch", "the body's 'name' (" + sent + ") is not the package of the URL (" + name + ")");
        }
        String id = text(body, "_id");
        if (id != null && !id.equals(name)) {
            throw CofferException.invalid("name_mismatch", "the body's '_id' is not the package of the URL");
        }
        ObjectNode versions = object(body, "versions");
        if (versions == null || versions.size() != 1) {
            throw CofferException.invalid("body_invalid", "'versions' must hold exactly the one version published");
        }
        String version = NpmNames.version(versions.fieldNames().next(), "versions");
        if (!(versions.get(version) instanceof ObjectNode manifest)) {
            throw CofferException.invalid("body_invalid", "'versions." + version + "' must be an object");
        }
        if (!name.equals(text(manifest, "name")) || !version.equals(text(manifest, "version"))) {
            throw CofferException.invalid(
                    "body_invalid", "the manifest of " + version + " must name this package and version");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        ObjectNode distTags = object(body, "dist-tags");
        if (distTags != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = distTags.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!version.equals(e.getValue().asText(null))) {
                    throw CofferException.invalid(
                            "body_invalid", "'dist-tags' of a publish may only name the version published");
                }
                tags.put(NpmNames.tag(e.getKey()), version);
            }
        }
        DocumentBody.Tarball tarball = attachment(object(body, "_attachments"), data);
        verify(manifest, tarball);
        String description = text(body, "description");
        if (description == null) {
            description = text(manifest, "description");
        }
        String readme = text(body, "readme");
        if (readme == null) {
            readme = text(manifest, "readme");
        }
        return new Publication(name, version, manifest, tags, description, readme, tarball);
    }

    private static DocumentBody.Tarball attachment(ObjectNode attachments, DocumentBody.Tarball data) {
        if (attachments == null || attachments.size() != 1) {
            throw CofferException.invalid("body_invalid", "'_attachments' must hold exactly one tarball");
        }
        if (data == null) {
            throw CofferException.invalid("body_invalid", "the attachment has no 'data' (base64)");
        }
        JsonNode length = attachments.elements().next().get("length");
        if (length != null && length.isNumber() && length.asLong() != data.size()) {
            throw CofferException.invalid(
                    "integrity_mismatch",
                    "the tarball is " + data.size() + " bytes, not the 'length' sent (" + length.asLong()
                            + "); nothing was published");
        }
        return data;
    }

    /** The tarball's integrity against the manifest's; 400 integrity_mismatch when it differs. */
    private static void verify(ObjectNode manifest, DocumentBody.Tarball tarball) {
        JsonNode dist = manifest.get("dist");
        String integrity = dist == null ? null : dist.path("integrity").asText(null);
        String shasum = dist == null ? null : dist.path("shasum").asText(null);
        if (integrity != null) {
            String sha512 = "sha512-" + tarball.sha512();
            boolean anySha512 = false;
            boolean match = false;
            for (String part : integrity.trim().split("\\s+")) {
                String hash = part.contains("?") ? part.substring(0, part.indexOf('?')) : part;
                if (hash.startsWith("sha512-")) {
                    anySha512 = true;
                    match |= hash.equals(sha512);
                }
            }
            if (anySha512 && !match) {
                throw mismatch("dist.integrity (sha512)");
            }
        }
        if (shasum != null && !shasum.equalsIgnoreCase(tarball.sha1())) {
            throw mismatch("dist.shasum (sha1)");
        }
    }

    private static CofferException mismatch(String what) {
        return CofferException.invalid(
                "integrity_mismatch", "the tarball does not match the manifest's " + what + "; nothing was published");
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw CofferException.invalid("body_invalid", "'" + field + "' must be a string");
        }
        return v.asText();
    }

    static ObjectNode object(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!(v instanceof ObjectNode o)) {
            throw CofferException.invalid("body_invalid", "'" + field + "' must be an object");
        }
        return o;
    }
}
