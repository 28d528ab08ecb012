package dev.coffer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.format.npm.NpmPackage;
import dev.coffer.format.npm.Packument;
import java.time.Instant;
import java.util.Locale;

/** One result of {@code npm search} (the npm registry's /-/v1/search shape), or null for no match. */
final class NpmSearch {
    private NpmSearch() {}

    /** @param text lower-cased words that must each occur in the name, description or keywords */
    static ObjectNode hit(NpmPackage p, String registry, String text) {
        String latest = p.distTags().get("latest");
        NpmPackage.Version v = latest == null ? null : p.versions().get(latest);
        if (v == null && !p.versions().isEmpty()) {
            v = p.versions().values().stream().reduce((a, b) -> b).orElseThrow();
        }
        ObjectNode manifest = v == null ? Json.object() : Packument.parse(v.manifest());
        String description = p.description() != null
                ? p.description()
                : manifest.path("description").asText("");
        JsonNode keywords = manifest.path("keywords");
        String haystack = (p.name() + " " + description + " " + (keywords.isArray() ? keywords.toString() : ""))
                .toLowerCase(Locale.ROOT);
        for (String word : text.trim().split("\\s+")) {
            if (!word.isEmpty() && !haystack.contains(word)) {
                return null;
            }
        }
        ObjectNode hit = Json.object();
        ObjectNode pkg = hit.putObject("package");
        pkg.put("name", p.name());
        if (p.name().startsWith("@")) {
            pkg.put("scope", p.name().substring(1, p.name().indexOf('/')));
        } else {
            pkg.put("scope", "unscoped");
        }
        pkg.put("version", v == null ? "" : v.version());
        pkg.put("description", description);
        if (keywords.isArray()) {
            pkg.set("keywords", keywords);
        } else {
            pkg.putArray("keywords");
        }
        pkg.put("date", Instant.ofEpochMilli(p.modifiedAt()).toString());
        pkg.putObject("links").put("npm", registry + p.name());
        String by = v == null || v.publishedBy() == null ? "" : v.publishedBy();
        pkg.putObject("publisher").put("username", by);
        // npm 11 reads maintainers[].username of every result (search filter and "Maintainers:"
        // line) and fails on a result without the array; Coffer knows the publisher, no emails
        ArrayNode maintainers = pkg.putArray("maintainers");
        if (!by.isEmpty()) {
            maintainers.addObject().put("username", by);
        }
        ObjectNode score = hit.putObject("score");
        score.put("final", 1.0);
        ObjectNode detail = score.putObject("detail");
        detail.put("quality", 1.0);
        detail.put("popularity", 1.0);
        detail.put("maintenance", 1.0);
        hit.put("searchScore", 1.0);
        return hit;
    }
}
