package dev.coffer.security;

import static dev.coffer.security.NpmMatrixOracle.*;
import static dev.coffer.security.NpmProbes.file;
import static dev.coffer.security.NpmProbes.registry;
import static dev.coffer.security.NpmProbes.url;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.ArtifactPath;
import dev.coffer.format.npm.NpmStore;
import dev.coffer.security.NpmLayersOracle.Fetch;
import dev.coffer.security.NpmLayersOracle.Read;
import dev.coffer.security.NpmMatrixOracle.Op;
import dev.coffer.testing.Http;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The requests of {@link AccessMatrixNpmLayersTest}'s cells and what each checks besides the
 * status: what a read returned (which versions, from which member, which tags, whose tarball), what
 * the remotes' caches gained (exactly what the oracle says was fetched), and that a write changed
 * nothing but what it says.
 */
final class NpmLayersProbes {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A read of the matrix: what it asks for, and of which version (tarballs). */
    enum Kind {
        DOC_FULL,
        DOC_ABBREVIATED,
        DOC_MISSING,
        DIST_TAGS,
        TARBALL_GET,
        TARBALL_HEAD
    }

    record ReadOp(Kind kind, String version) {
        @Override
        public String toString() {
            return kind + (version == null ? "" : " " + version);
        }
    }

    private final NpmLayersWorld world;
    /** The remote cache paths ({@code repo:path}) held now, as the cells have seen them fill. */
    private final Set<String> cached = new HashSet<>();
    /** Every cache path a cell fetched, in order: the audit's remote.fetch events must be exactly these. */
    final List<String> fetched = new ArrayList<>();

    NpmLayersProbes(NpmLayersWorld world) {
        this.world = world;
    }

    /** What the oracle reads of the world: the members' packages, and the caches as the cells left them. */
    NpmLayersOracle.Holdings holdings() {
        return new NpmLayersOracle.Holdings() {
            @Override
            public List<String> versions(String member, String name) {
                return world.versions(member, name);
            }

            @Override
            public Map<String, String> tags(String member, String name) {
                return world.tags(member, name);
            }

            @Override
            public boolean cached(String remote, String path) {
                return cached.contains(remote + ":" + path);
            }
        };
    }

    Http.Response read(Http h, ReadOp op, String repo, String name, int n) {
        String reg = registry(repo);
        return switch (op.kind()) {
            case DOC_FULL -> h.get(reg + url(name, n));
            case DOC_ABBREVIATED ->
                h.header("Accept", NpmProbes.ABBREVIATED + ", application/json; q=0.8")
                        .get(reg + url(name, n));
            case DOC_MISSING -> h.get(reg + url(name + "-missing", n));
            case DIST_TAGS -> h.get(reg + "-/package/" + url(name, n) + "/dist-tags");
            case TARBALL_GET -> h.get(reg + url(name, n) + "/-/" + file(name, op.version()));
            case TARBALL_HEAD -> h.head(reg + url(name, n) + "/-/" + file(name, op.version()));
        };
    }

    /** What a 200 returned, against the oracle's versions (and their members), tags, or tarball's member. */
    List<String> answer(ReadOp op, String repo, String name, Read x, Http.Response r) {
        List<String> out = new ArrayList<>();
        if (x.status() != 200 || r.status() != 200) {
            return out;
        }
        switch (op.kind()) {
            case DOC_FULL, DOC_ABBREVIATED -> {
                JsonNode d = r.json();
                boolean small = op.kind() == Kind.DOC_ABBREVIATED;
                if (!name.equals(d.path("name").asText())) {
                    out.add("the document is not " + name + "'s: " + d.path("name"));
                }
                if (small != String.valueOf(r.header("Content-Type")).startsWith(NpmProbes.ABBREVIATED)
                        || small == d.has("readme")) {
                    out.add("not the " + (small ? "abbreviated" : "full") + " document: " + r.header("Content-Type"));
                }
                Map<String, String> got = new TreeMap<>();
                d.path("versions").fields().forEachRemaining(v -> got.put(v.getKey(), whose(name, v.getKey(), v)));
                if (!got.equals(new TreeMap<>(x.versions()))) {
                    out.add("versions (from) " + got + " instead of " + new TreeMap<>(x.versions()));
                }
                d.path("versions").fields().forEachRemaining(v -> {
                    String want = NpmLayersOracle.tarball(name, v.getKey());
                    String link = v.getValue().path("dist").path("tarball").asText();
                    if (!link.equals(world.server.base() + registry(repo) + want)) {
                        out.add(v.getKey() + "'s tarball is at " + link);
                    }
                });
                tags(out, d.path("dist-tags"), x);
            }
            case DIST_TAGS -> tags(out, r.json(), x);
            case TARBALL_GET -> {
                String want = NpmLayersWorld.content(x.member(), name, op.version());
                if (!want.equals(r.body())) {
                    out.add("the tarball holds '" + r.body() + "' instead of '" + want + "'");
                }
            }
            case TARBALL_HEAD -> {
                int want =
                        NpmLayersWorld.content(x.member(), name, op.version()).length();
                if (!String.valueOf(want).equals(r.header("Content-Length"))) {
                    out.add("HEAD announced " + r.header("Content-Length") + " bytes instead of " + want);
                }
            }
            default -> {}
        }
        return out;
    }

    private static void tags(List<String> out, JsonNode tags, Read x) {
        Map<String, String> got = new TreeMap<>();
        tags.fields().forEachRemaining(t -> got.put(t.getKey(), t.getValue().asText()));
        if (!got.equals(new TreeMap<>(x.tags()))) {
            out.add("dist-tags " + got + " instead of " + new TreeMap<>(x.tags()));
        }
    }

    /** The member whose tarball a version's dist.shasum is (or what it is, when none's). */
    private static String whose(String name, String version, Map.Entry<String, JsonNode> v) {
        String shasum = v.getValue().path("dist").path("shasum").asText();
        for (String m : NpmLayersOracle.ORDER) {
            if (shasum.equals(sha1(NpmLayersWorld.content(m, name, version)))) {
                return m;
            }
        }
        return "shasum " + shasum;
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A write as npm sends it; the revision is any (admission, then the 405, come first). */
    Http.Response write(Http h, Op op, String repo, String name, int n) {
        String reg = registry(repo) + url(name, n);
        String rev = "/-rev/3-0123456789abcdef0123456789abcdef";
        return switch (op) {
            case PUBLISH_NEW -> h.putJson(reg, NpmProbes.publishBody(name, "9.0.0", "fresh"));
            case PUBLISH_EXISTING -> h.putJson(reg, NpmProbes.publishBody(name, "1.0.0", "again"));
            case TAG_ADD -> h.putJson(registry(repo) + "-/package/" + url(name, n) + "/dist-tags/next", "\"1.0.0\"");
            case TAG_REMOVE -> h.delete(registry(repo) + "-/package/" + url(name, n) + "/dist-tags/beta");
            case DEPRECATE -> h.putJson(reg, change(name, "1.0.0", "cell " + n));
            case DEPRECATE_REV -> h.putJson(reg + rev, change(name, "1.0.0", "cell " + n));
            case UNPUBLISH_VERSION -> h.putJson(reg + rev, change(name, "1.1.0", null));
            case UNPUBLISH_TARBALL -> h.delete(reg + "/-/" + file(name, "1.0.0") + rev);
            case UNPUBLISH_PACKAGE -> h.delete(reg + rev);
            default -> throw new IllegalArgumentException(op + " is a read");
        };
    }

    /** A package document as npm sends it to deprecate {@code version}, or (message null) with only it left. */
    private static String change(String name, String version, String message) {
        ObjectNode d = JSON.createObjectNode();
        d.put("_id", name);
        d.put("name", name);
        ObjectNode v = d.putObject("versions").putObject(version);
        v.put("name", name);
        v.put("version", version);
        if (message != null) {
            v.put("deprecated", message);
        }
        return d.toString();
    }

    /**
     * What the remotes' caches of {@code name} gained in a cell, against what the oracle says it
     * fetched; the caches as they are now are what the next cell's oracle reads.
     */
    List<String> settle(String name, Fetch f) {
        List<String> out = new ArrayList<>();
        Set<String> gained = new java.util.TreeSet<>();
        for (String p : world.cachePaths(name)) {
            String[] rp = p.split(":", 2);
            boolean now = world.inStore(rp[0], rp[1]);
            if (now && cached.add(p)) {
                gained.add(p);
            } else if (!now && cached.remove(p)) {
                out.add(p + " left the cache");
            }
        }
        Set<String> want = new java.util.TreeSet<>(f.paths());
        for (String of : f.oneDocumentOf()) {
            String[] rn = of.split(":", 2);
            List<String> forms = List.of(
                    rn[0] + ":" + NpmLayersOracle.docPath(rn[1], true),
                    rn[0] + ":" + NpmLayersOracle.docPath(rn[1], false));
            long got = forms.stream().filter(gained::contains).count();
            if (got != 1) {
                out.add(got + " document forms of " + of + " fetched instead of one");
            }
            forms.stream().filter(gained::contains).forEach(want::add);
        }
        if (!gained.equals(want)) {
            out.add("fetched " + gained + " instead of " + want);
        }
        fetched.addAll(gained);
        return out;
    }

    /** The local members' revisions of {@code name} (absent: none), to see a write changed nothing. */
    Map<String, Optional<NpmStore.Stamp>> stamps(String name) {
        NpmStore npm = world.server.coffer().services().npm();
        Map<String, Optional<NpmStore.Stamp>> out = new TreeMap<>();
        for (String m : List.of(PRIV, PUB)) {
            out.put(m, npm.stamp(m, name));
        }
        return out;
    }

    /** After a publish through a virtual repository: {@code name@version} is in {@code into} only (null: nowhere). */
    List<String> published(String name, String version, String into) {
        List<String> out = new ArrayList<>();
        NpmStore npm = world.server.coffer().services().npm();
        for (String m : List.of(PRIV, PUB)) {
            boolean has = npm.find(m, name)
                            .map(p -> p.versions().containsKey(version))
                            .orElse(false)
                    && world.server
                            .coffer()
                            .services()
                            .artifacts()
                            .find(m, ArtifactPath.of(NpmLayersOracle.tarball(name, version)))
                            .isPresent();
            if (has != Objects.equals(m, into)) {
                out.add(m + (has ? " has " : " lacks ") + name + "@" + version + " afterwards");
            }
        }
        return out;
    }
}
