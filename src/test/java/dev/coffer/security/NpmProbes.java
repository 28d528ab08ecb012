package dev.coffer.security;

import static dev.coffer.testing.Fixtures.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.security.NpmMatrixOracle.Op;
import dev.coffer.testing.Http;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The requests of {@link AccessMatrixNpmTest}'s cells as npm sends them, the packages they need
 * (published by an administrator first), and what each cell checks besides the status: what a
 * read returned, and for a write what changed — exactly the change when allowed, nothing at all
 * (document and tarballs as before) when refused.
 */
final class NpmProbes {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ABBREVIATED = "application/vnd.npm.install-v1+json";

    private final Http admin;

    NpmProbes(Http admin) {
        this.admin = admin;
    }

    static String registry(String repo) {
        return "/api/npm/" + repo + "/";
    }

    /** The name in a URL: scoped names as npm sends them ({@code @acme%2fweb}) or literally, by turns. */
    static String url(String name, int n) {
        return n % 2 == 0 ? name.replace("/", "%2f") : name;
    }

    static String file(String name, String version) {
        return name.substring(name.indexOf('/') + 1) + "-" + version + ".tgz";
    }

    static String tarballPath(String name, String version) {
        return name + "/-/" + file(name, version);
    }

    static byte[] tarball(String name, String version) {
        return ("tarball of " + name + "@" + version).getBytes(StandardCharsets.UTF_8);
    }

    /** What npm publish sends (libnpmpublish): the manifest with dist, the tarball as an attachment. */
    static String publishBody(String name, String version, String keyword) {
        return publishBody(name, version, keyword, tarball(name, version));
    }

    static String publishBody(String name, String version, String keyword, byte[] tgz) {
        ObjectNode root = JSON.createObjectNode();
        root.put("_id", name);
        root.put("name", name);
        root.put("description", "the " + name + " package");
        root.putObject("dist-tags").put("latest", version);
        ObjectNode m = root.putObject("versions").putObject(version);
        m.put("name", name);
        m.put("version", version);
        m.put("_id", name + "@" + version);
        m.put("description", "the " + name + " package");
        m.putArray("keywords").add(keyword);
        ObjectNode dist = m.putObject("dist");
        dist.put("integrity", "sha512-" + Base64.getEncoder().encodeToString(digest("SHA-512", tgz)));
        dist.put("shasum", HexFormat.of().formatHex(digest("SHA-1", tgz)));
        dist.put("tarball", "http://localhost/" + tarballPath(name, version));
        root.put("access", "public");
        root.put("readme", "# " + name);
        ObjectNode a = root.putObject("_attachments").putObject(file(name, version));
        a.put("content_type", "application/octet-stream");
        a.put("data", Base64.getEncoder().encodeToString(tgz));
        a.put("length", tgz.length);
        return root.toString();
    }

    private static byte[] digest(String algorithm, byte[] b) {
        try {
            return MessageDigest.getInstance(algorithm).digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes {@code versions} in order (the last one is 'latest') and adds the dist-tag 'beta'. */
    void seed(String repo, String name, String keyword, String... versions) {
        for (String v : versions) {
            expect(
                    admin.putJson(registry(repo) + url(name, 0), publishBody(name, v, keyword)),
                    "publish " + name + "@" + v,
                    201);
        }
        expect(
                admin.putJson(
                        registry(repo) + "-/package/" + url(name, 0) + "/dist-tags/beta", "\"" + versions[0] + "\""),
                "tag " + name,
                200);
    }

    JsonNode document(String repo, String name) {
        Http.Response r = admin.get(registry(repo) + url(name, 0));
        return r.status() == 200 ? r.json() : null;
    }

    /** The package as an administrator sees it: its document and each version's tarball. */
    String snapshot(String repo, String name, List<String> versions) {
        StringBuilder sb = new StringBuilder(String.valueOf(document(repo, name)));
        for (String v : versions) {
            Http.Response t = admin.get(registry(repo) + tarballPath(name, v));
            sb.append("\n")
                    .append(v)
                    .append(": ")
                    .append(t.status())
                    .append(' ')
                    .append(t.body());
        }
        return sb.toString();
    }

    /** What one cell sent: the response, and for a write the package before and after it. */
    record Sent(Http.Response response, List<String> effects) {}

    /** A read of the seeded package {@code name} (which has 1.0.0 and 1.1.0); checks what a 200 returned. */
    Sent read(Http h, Op op, String repo, String name, int n) {
        String reg = registry(repo);
        List<String> effects = new ArrayList<>();
        Http.Response r = switch (op) {
            case DOC_FULL -> h.get(reg + url(name, n));
            case DOC_ABBREVIATED ->
                h.header("Accept", ABBREVIATED + ", application/json; q=0.8").get(reg + url(name, n));
            case DOC_MISSING -> h.get(reg + url(name + "-missing", n));
            case DIST_TAGS_GET -> h.get(reg + "-/package/" + url(name, n) + "/dist-tags");
            case TARBALL_GET -> h.get(reg + url(name, n) + "/-/" + file(name, "1.0.0"));
            case TARBALL_HEAD -> h.head(reg + url(name, n) + "/-/" + file(name, "1.0.0"));
            default -> throw new IllegalArgumentException(op.name());
        };
        if (r.status() != 200) {
            return new Sent(r, effects);
        }
        switch (op) {
            case DOC_FULL, DOC_ABBREVIATED -> {
                JsonNode d = r.json();
                if (!name.equals(d.path("name").asText()) || !d.path("versions").has("1.0.0")) {
                    effects.add("the document is not " + name + "'s: " + d);
                }
                boolean small = op == Op.DOC_ABBREVIATED;
                if (small != String.valueOf(r.header("Content-Type")).startsWith(ABBREVIATED)
                        || small == d.has("readme")) {
                    effects.add(
                            "not the " + (small ? "abbreviated" : "full") + " document: " + r.header("Content-Type"));
                }
            }
            case DIST_TAGS_GET -> {
                if (!"1.1.0".equals(r.json().path("latest").asText())) {
                    effects.add("dist-tags " + r.body());
                }
            }
            case TARBALL_GET -> {
                if (!r.body().equals(new String(tarball(name, "1.0.0"), StandardCharsets.UTF_8))) {
                    effects.add("the tarball holds " + r.body());
                }
            }
            case TARBALL_HEAD -> {
                if (!String.valueOf(tarball(name, "1.0.0").length).equals(r.header("Content-Length"))) {
                    effects.add("HEAD announced " + r.header("Content-Length") + " bytes");
                }
            }
            default -> {}
        }
        return new Sent(r, effects);
    }

    /**
     * A write on a fresh package {@code name} (seeded with 1.0.0 and 1.1.0, 'beta' on 1.0.0): sends
     * it, then checks that an allowed one changed exactly what it says and a refused one nothing.
     */
    Sent write(Http h, Op op, String repo, String name, int n, boolean allowed) {
        String reg = registry(repo);
        List<String> versions = List.of("1.0.0", "1.1.0", "2.0.0");
        String before = snapshot(repo, name, versions);
        JsonNode doc = document(repo, name);
        String rev = doc.path("_rev").asText();
        Http.Response r = switch (op) {
            case PUBLISH_NEW -> h.putJson(reg + url(name, n), publishBody(name, "2.0.0", "fresh"));
            case PUBLISH_EXISTING -> h.putJson(reg + url(name, n), publishBody(name, "1.0.0", "again"));
            case TAG_ADD -> h.putJson(reg + "-/package/" + url(name, n) + "/dist-tags/next", "\"1.0.0\"");
            case TAG_REMOVE -> h.delete(reg + "-/package/" + url(name, n) + "/dist-tags/beta");
            case DEPRECATE, DEPRECATE_REV -> {
                ObjectNode d = doc.deepCopy();
                ((ObjectNode) d.path("versions").path("1.0.0")).put("deprecated", "cell " + n);
                String onto = op == Op.DEPRECATE ? "" : "/-rev/" + rev;
                yield h.putJson(reg + url(name, n) + onto, d.toString());
            }
            case UNPUBLISH_VERSION -> {
                ObjectNode d = doc.deepCopy();
                ((ObjectNode) d.path("versions")).remove("1.0.0");
                ((ObjectNode) d.path("time")).remove("1.0.0");
                ((ObjectNode) d.path("dist-tags")).remove("beta");
                yield h.putJson(reg + url(name, n) + "/-rev/" + rev, d.toString());
            }
            case UNPUBLISH_TARBALL -> h.delete(reg + url(name, n) + "/-/" + file(name, "1.0.0") + "/-rev/" + rev);
            case UNPUBLISH_PACKAGE -> h.delete(reg + url(name, n) + "/-rev/" + rev);
            default -> throw new IllegalArgumentException(op.name());
        };
        List<String> effects = new ArrayList<>();
        String after = snapshot(repo, name, versions);
        if (!allowed || op == Op.PUBLISH_EXISTING) {
            if (!before.equals(after)) {
                effects.add("a refused write changed the package:\n  before " + before + "\n  after  " + after);
            }
            return new Sent(r, effects);
        }
        JsonNode now = document(repo, name);
        String problem = switch (op) {
            case PUBLISH_NEW ->
                now != null && now.path("versions").has("2.0.0") && after.contains("2.0.0: 200 tarball of")
                        ? null
                        : "2.0.0 was not published";
            case TAG_ADD ->
                now != null && "1.0.0".equals(now.path("dist-tags").path("next").asText())
                        ? null
                        : "the tag 'next' is not on 1.0.0";
            case TAG_REMOVE ->
                now != null && !now.path("dist-tags").has("beta") ? null : "the tag 'beta' is still there";
            case DEPRECATE ->
                now != null
                                && ("cell " + n)
                                        .equals(now.path("versions")
                                                .path("1.0.0")
                                                .path("deprecated")
                                                .asText())
                        ? null
                        : "1.0.0 is not deprecated";
            case UNPUBLISH_VERSION, UNPUBLISH_TARBALL ->
                now != null
                                && !now.path("versions").has("1.0.0")
                                && now.path("versions").has("1.1.0")
                                && after.contains("1.0.0: 404")
                                && after.contains("1.1.0: 200")
                        ? null
                        : "1.0.0 was not (only) unpublished";
            case UNPUBLISH_PACKAGE ->
                now == null && after.contains("1.0.0: 404") && after.contains("1.1.0: 404")
                        ? null
                        : "the package is still there";
            default -> null;
        };
        if (problem != null) {
            effects.add(problem + "; afterwards " + after);
        }
        return new Sent(r, effects);
    }

    /** The names a search answer lists. */
    static List<String> listed(Http.Response r) {
        List<String> out = new ArrayList<>();
        r.json()
                .path("objects")
                .forEach(o -> out.add(o.path("package").path("name").asText()));
        return out;
    }

    /** npm's error shape on a refusal: a sentence in 'error', the code, the status. */
    static String npmErrorProblem(Http.Response r, String code) {
        JsonNode b;
        try {
            b = r.json();
        } catch (AssertionError | RuntimeException notJson) {
            return "the error body is not JSON: " + r.body();
        }
        if (!b.path("error").isTextual() || b.path("error").asText().isBlank()) {
            return "no sentence in 'error': " + b;
        }
        if (!Objects.equals(code, b.path("code").asText(null))
                || b.path("status").asInt() != r.status()) {
            return "error body " + b + " instead of code " + code + ", status " + r.status();
        }
        return null;
    }
}
