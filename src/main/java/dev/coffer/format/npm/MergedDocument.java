package dev.coffer.format.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The package document of a virtual npm repository, merged for one caller from its members'
 * documents (API.md §9): only the versions the caller may read in the member that has them; a
 * version two members have comes from the first (member order decides, as for any file); a
 * dist-tag from the first member whose tag names a version the merged document has. Tarball URLs
 * were already pointed at the virtual repository by whoever read the parts.
 */
public final class MergedDocument {
    /** Fields of a member's document that the merge builds itself rather than copies. */
    private static final Set<String> BUILT = Set.of("_id", "_rev", "name", "versions", "dist-tags", "time", "modified");

    /** One member's document, and which of its versions the caller may read there. */
    public record Part(ObjectNode doc, Predicate<String> readable) {}

    private MergedDocument() {}

    /** The merged document; empty when no member has a version the caller may read. */
    public static Optional<ObjectNode> merge(String name, List<Part> parts, boolean abbreviated) {
        ObjectNode out = Packument.MAPPER.createObjectNode();
        if (!abbreviated) {
            out.put("_id", name);
        }
        out.put("name", name);
        ObjectNode tags = out.putObject("dist-tags");
        ObjectNode versions = out.putObject("versions");
        ObjectNode time = abbreviated ? null : out.putObject("time");
        String created = null;
        String modified = null;
        boolean described = false;
        for (Part part : parts) {
            ObjectNode doc = part.doc();
            boolean contributed = false;
            JsonNode vs = doc.path("versions");
            for (Iterator<Map.Entry<String, JsonNode>> it = vs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                if (versions.has(v.getKey()) || !part.readable().test(v.getKey())) {
                    continue;
                }
                versions.set(v.getKey(), v.getValue().deepCopy());
                contributed = true;
                if (time != null && doc.path("time").path(v.getKey()).isTextual()) {
                    time.put(v.getKey(), doc.path("time").path(v.getKey()).asText());
                }
            }
            if (!contributed) {
                continue; // a member whose versions the caller may not read shows nothing, not even its readme
            }
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            doc.path("dist-tags").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> t = it.next();
                if (!tags.has(t.getKey()) && versions.has(t.getValue().asText(""))) {
                    tags.put(t.getKey(), t.getValue().asText());
                }
            }
            created = earlier(created, doc.path("time").path("created").asText(null));
            modified = later(
                    modified,
                    abbreviated
                            ? doc.path("modified").asText(null)
                            : doc.path("time").path("modified").asText(null));
            if (!described) {
                described = true;
                doc.fields().forEachRemaining(f -> {
                    if (!BUILT.contains(f.getKey())) {
                        out.set(f.getKey(), f.getValue().deepCopy());
                    }
                });
            }
        }
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        if (abbreviated && modified != null) {
            out.put("modified", modified);
        }
        if (time != null) {
            if (created != null) {
                time.put("created", created);
            }
            if (modified != null) {
                time.put("modified", modified);
            }
        }
        return Optional.of(out);
    }

    private static String earlier(String a, String b) {
        return instant(b) == null || (instant(a) != null && !instant(a).isAfter(instant(b))) ? a : b;
    }

    private static String later(String a, String b) {
        return instant(b) == null || (instant(a) != null && !instant(a).isBefore(instant(b))) ? a : b;
    }

    /** An ISO-8601 instant as npm writes them; null for none or anything else (an upstream's odd value). */
    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
