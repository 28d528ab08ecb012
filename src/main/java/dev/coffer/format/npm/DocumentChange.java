package dev.coffer.format.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.CofferException;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a PUT of a whole package document changes. npm deprecates by sending back the document it
 * read with {@code deprecated} set on versions, and unpublishes a version by sending it back
 * without that version (libnpmpublish/unpublish.js). Only those changes are taken; anything else
 * that differs from what is stored is refused (400), since npm never sends it.
 *
 * @param removed versions taken out
 * @param manifests version to its new manifest text (a changed {@code deprecated})
 * @param deprecations version to its new deprecation message ("" for none), for the audit
 * @param tags tag to its new version, or null for a tag removed (only tags of removed versions)
 */
public record DocumentChange(
        Set<String> removed,
        Map<String, String> manifests,
        Map<String, String> deprecations,
        Map<String, String> tags) {

    public boolean isEmpty() {
        return removed.isEmpty() && manifests.isEmpty() && tags.isEmpty();
    }

    /** Taking every one of {@code versions} out, with the tags that named them. */
    public static DocumentChange removing(NpmPackage p, Collection<String> versions) {
        Map<String, String> tags = new LinkedHashMap<>();
        p.distTags().forEach((tag, v) -> {
            if (versions.contains(v)) {
                tags.put(tag, null);
            }
        });
        return new DocumentChange(new LinkedHashSet<>(versions), Map.of(), Map.of(), tags);
    }

    /**
     * @param mayRemove the route unpublishes (its admission was the delete action); otherwise a
     *     missing version is refused
     */
    public static DocumentChange read(NpmPackage p, ObjectNode body, boolean mayRemove) {
        if (Publication.isPublish(body)) {
            throw refused("a new version is published with PUT /{name} and its tarball, not onto a revision");
        }
        String name = Publication.text(body, "name");
        if (name != null && !name.equals(p.name())) {
            throw CofferException.invalid("name_mismatch", "the body's 'name' is not the package of the URL");
        }
        same(body, "description", p.description());
        ObjectNode versions = Publication.object(body, "versions");
        if (versions == null) {
            throw CofferException.invalid("body_invalid", "'versions' is missing: send the whole package document");
        }
        for (Iterator<String> it = versions.fieldNames(); it.hasNext(); ) {
            String v = it.next();
            if (!p.versions().containsKey(v)) {
                throw refused("version " + v + " is not published; publish it with npm publish");
            }
        }
        Set<String> removed = new LinkedHashSet<>();
        Map<String, String> manifests = new LinkedHashMap<>();
        Map<String, String> deprecations = new LinkedHashMap<>();
        for (NpmPackage.Version stored : p.versions().values()) {
            JsonNode sent = versions.get(stored.version());
            if (sent == null) {
                if (!mayRemove) {
                    throw refused("version " + stored.version() + " is missing; unpublish versions with npm unpublish");
                }
                removed.add(stored.version());
                continue;
            }
            if (!(sent instanceof ObjectNode s)) {
                throw CofferException.invalid("body_invalid", "'versions." + stored.version() + "' must be an object");
            }
            ObjectNode was = Packument.parse(stored.manifest());
            String before = was.path("deprecated").asText("");
            JsonNode d = s.get("deprecated");
            if (d != null && !d.isNull() && !d.isTextual()) {
                throw CofferException.invalid("body_invalid", "'deprecated' must be a string");
            }
            String after = d == null || d.isNull() ? "" : d.asText();
            if (!withoutVolatile(was).equals(withoutVolatile(s))) {
                throw refused("only the 'deprecated' message of a published version can change (version "
                        + stored.version() + " differs in more)");
            }
            if (!before.equals(after)) {
                if (mayRemove) {
                    throw refused("deprecate with npm deprecate, not onto a revision");
                }
                if (after.isEmpty()) {
                    was.remove("deprecated");
                } else {
                    was.put("deprecated", after);
                }
                manifests.put(stored.version(), Packument.text(was));
                deprecations.put(stored.version(), after);
            }
        }
        Map<String, String> tags = tags(p, Publication.object(body, "dist-tags"), removed);
        return new DocumentChange(removed, manifests, deprecations, tags);
    }

    /** Tags may change only where they named a removed version (npm moves 'latest' then). */
    private static Map<String, String> tags(NpmPackage p, ObjectNode sent, Set<String> removed) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> wanted = new LinkedHashMap<>();
        if (sent != null) {
            sent.fields()
                    .forEachRemaining(e -> wanted.put(e.getKey(), e.getValue().asText(null)));
        }
        Set<String> all = new LinkedHashSet<>(p.distTags().keySet());
        all.addAll(wanted.keySet());
        for (String tag : all) {
            String before = p.distTags().get(tag);
            String after = sent == null ? before : wanted.get(tag);
            if (Objects.equals(before, after) && !removed.contains(before)) {
                continue;
            }
            if (before == null || !removed.contains(before)) {
                throw refused("dist-tag '" + tag + "' changed; change dist-tags with npm dist-tag");
            }
            if (after != null && (removed.contains(after) || !p.versions().containsKey(after))) {
                after = null;
            }
            out.put(tag, after);
        }
        return out;
    }

    private static JsonNode withoutVolatile(ObjectNode manifest) {
        ObjectNode copy = manifest.deepCopy();
        copy.remove("deprecated");
        if (copy.get("dist") instanceof ObjectNode dist) {
            dist.remove("tarball"); // rewritten to the caller's address when served
        }
        return copy;
    }

    private static void same(ObjectNode body, String field, String stored) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !v.asText().equals(stored == null ? "" : stored)) {
            throw refused("'" + field + "' of a published package does not change here");
        }
    }

    private static CofferException refused(String why) {
        return CofferException.invalid("change_unsupported", why);
    }
}
