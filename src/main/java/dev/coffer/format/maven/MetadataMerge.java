package dev.coffer.format.maven;

import dev.coffer.common.TerminalText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.artifact.repository.metadata.Metadata;
import org.apache.maven.artifact.repository.metadata.Plugin;
import org.apache.maven.artifact.repository.metadata.Snapshot;
import org.apache.maven.artifact.repository.metadata.SnapshotVersion;
import org.apache.maven.artifact.repository.metadata.Versioning;
import org.apache.maven.artifact.repository.metadata.io.xpp3.MetadataXpp3Reader;
import org.apache.maven.artifact.repository.metadata.io.xpp3.MetadataXpp3Writer;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.codehaus.plexus.util.xml.pull.XmlPullParserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the {@code maven-metadata.xml} documents of several repositories into the one a virtual
 * repository serves (G/A level and snapshot version level, and group-level plugin prefixes), with
 * Maven's own model and version order:
 *
 * <ul>
 *   <li>versions: the union, in Maven's version order ({@link ComparableVersion});
 *   <li>latest: the highest version; release: the highest that is not a snapshot;
 *   <li>lastUpdated: the newest;
 *   <li>snapshot: the newest timestamp (then build number); snapshotVersions: per classifier and
 *       extension, the newest {@code updated};
 *   <li>plugins: the union by prefix, the first document's entry for a prefix.
 * </ul>
 *
 * A document that cannot be read, or that names other coordinates than the first readable one, is
 * left out with a warning: one broken member must not break every build that reads the virtual
 * repository. A single readable document is served as its own bytes.
 */
public final class MetadataMerge {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataMerge.class);
    /** Maven's order; versions it holds equal ("1.0", "1.0.0") by their text, so the merge does not depend on member order. */
    static final Comparator<String> VERSION_ORDER =
            Comparator.comparing(ComparableVersion::new).thenComparing(Comparator.naturalOrder());

    /** One member's document: its bytes, and the name of the repository it came from (for the log). */
    public record Source(String repo, byte[] bytes) {
        public Source {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** The merged document, and the repositories whose documents are in it. */
    public record Merged(byte[] bytes, List<String> repos) {}

    private MetadataMerge() {}

    /** Empty when no source could be read. */
    public static Optional<Merged> merge(List<Source> sources) {
        List<Metadata> docs = new ArrayList<>();
        List<Source> used = new ArrayList<>();
        for (Source s : sources) {
            Optional<Metadata> m = read(s);
            if (m.isEmpty()) {
                continue;
            }
            if (!docs.isEmpty() && !sameCoordinates(docs.get(0), m.get())) {
                LOG.warn(
                        "maven-metadata.xml of repository '{}' names {} where '{}' names {}: left out of the merge",
                        s.repo(),
                        coordinates(m.get()),
                        used.get(0).repo(),
                        coordinates(docs.get(0)));
                continue;
            }
            docs.add(m.get());
            used.add(s);
        }
        if (docs.isEmpty()) {
            return Optional.empty();
        }
        List<String> repos = used.stream().map(Source::repo).toList();
        if (docs.size() == 1) {
            return Optional.of(new Merged(used.get(0).bytes(), repos));
        }
        return Optional.of(new Merged(write(mergeDocuments(docs)), repos));
    }

    private static Optional<Metadata> read(Source s) {
        try {
            // not strict: elements a newer Maven added are kept out, not fatal
            return Optional.of(new MetadataXpp3Reader().read(new ByteArrayInputStream(s.bytes()), false));
        } catch (IOException | XmlPullParserException | RuntimeException e) {
            LOG.warn(
                    "maven-metadata.xml of repository '{}' cannot be read ({}): left out of the merge",
                    s.repo(),
                    quoted(e.getMessage()));
            return Optional.empty();
        }
    }

    /**
     * The parser's message quotes the document, which a remote member's upstream wrote: shortened,
     * and its control characters escaped, so it cannot forge log lines.
     */
    static String quoted(String message) {
        String m = String.valueOf(message);
        return TerminalText.escape(m.length() > 200 ? m.substring(0, 200) + "…" : m);
    }

    private static boolean sameCoordinates(Metadata a, Metadata b) {
        return Objects.equals(a.getGroupId(), b.getGroupId())
                && Objects.equals(a.getArtifactId(), b.getArtifactId())
                && Objects.equals(a.getVersion(), b.getVersion());
    }

    private static String coordinates(Metadata m) {
        return quoted(m.getGroupId() + ":" + m.getArtifactId() + (m.getVersion() == null ? "" : ":" + m.getVersion()));
    }

    /** The merge of documents for the same coordinates (at least one). */
    static Metadata mergeDocuments(List<Metadata> docs) {
        Metadata first = docs.get(0);
        Metadata out = new Metadata();
        out.setModelVersion(first.getModelVersion());
        out.setGroupId(first.getGroupId());
        out.setArtifactId(first.getArtifactId());
        out.setVersion(first.getVersion());
        Map<String, Plugin> plugins = new LinkedHashMap<>();
        List<Versioning> versionings = new ArrayList<>();
        for (Metadata m : docs) {
            m.getPlugins().forEach(p -> plugins.putIfAbsent(p.getPrefix(), p));
            if (m.getVersioning() != null) {
                versionings.add(m.getVersioning());
            }
        }
        out.setPlugins(new ArrayList<>(plugins.values()));
        if (!versionings.isEmpty()) {
            out.setVersioning(merge(versionings.toArray(new Versioning[0])));
        }
        return out;
    }

    private static Versioning merge(Versioning... all) {
        Set<String> versions = new LinkedHashSet<>();
        Set<String> candidates = new LinkedHashSet<>();
        String lastUpdated = null;
        Snapshot snapshot = null;
        Map<String, SnapshotVersion> byKind = new LinkedHashMap<>();
        for (Versioning v : all) {
            versions.addAll(v.getVersions());
            addIfSet(candidates, v.getLatest());
            addIfSet(candidates, v.getRelease());
            lastUpdated = newer(lastUpdated, v.getLastUpdated());
            snapshot = newer(snapshot, v.getSnapshot());
            for (SnapshotVersion sv : v.getSnapshotVersions()) {
                String kind = sv.getClassifier() + ":" + sv.getExtension();
                SnapshotVersion known = byKind.get(kind);
                if (known == null || !Objects.equals(newer(known.getUpdated(), sv.getUpdated()), known.getUpdated())) {
                    byKind.put(kind, sv);
                }
            }
        }
        Versioning out = new Versioning();
        List<String> ordered = new ArrayList<>(versions);
        ordered.sort(VERSION_ORDER);
        out.setVersions(ordered);
        candidates.addAll(ordered);
        out.setLatest(candidates.stream().max(VERSION_ORDER).orElse(null));
        out.setRelease(candidates.stream()
                .filter(c -> !MavenLayout.isSnapshotVersion(c))
                .max(VERSION_ORDER)
                .orElse(null));
        out.setLastUpdated(lastUpdated);
        out.setSnapshot(snapshot);
        out.setSnapshotVersions(new ArrayList<>(byKind.values()));
        return out;
    }

    private static void addIfSet(Set<String> to, String value) {
        if (value != null && !value.isBlank()) {
            to.add(value);
        }
    }

    /**
     * The later of two timestamps of one format ({@code yyyyMMddHHmmss}, {@code yyyyMMdd.HHmmss}):
     * a longer one is later (a missing digit is a broken one), then by text; {@code current} on a tie.
     */
    static String newer(String current, String candidate) {
        if (candidate == null || candidate.isBlank()) {
            return current;
        }
        if (current == null) {
            return candidate;
        }
        int byLength = Integer.compare(candidate.length(), current.length());
        return byLength > 0 || (byLength == 0 && candidate.compareTo(current) > 0) ? candidate : current;
    }

    private static Snapshot newer(Snapshot current, Snapshot candidate) {
        if (candidate == null) {
            return current;
        }
        if (current == null) {
            return candidate;
        }
        String ts = newer(current.getTimestamp(), candidate.getTimestamp());
        if (!Objects.equals(ts, current.getTimestamp())) {
            return candidate;
        }
        boolean sameTime = Objects.equals(current.getTimestamp(), candidate.getTimestamp());
        return sameTime && candidate.getBuildNumber() > current.getBuildNumber() ? candidate : current;
    }

    static byte[] write(Metadata m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new MetadataXpp3Writer().write(out, m);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }
}
