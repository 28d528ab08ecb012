package dev.coffer.security;

import static dev.coffer.testing.Fixtures.expect;
import static dev.coffer.testing.Fixtures.postForm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Bytes;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.RawHttp;
import dev.coffer.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Adversarial inputs (issue 4, item 2), fuzzed with jqwik against a real server over HTTP:
 * request paths (raw socket, byte for byte), scope strings of new access tokens, and credential
 * headers. Invariants: never a 500; only the statuses the contract allows; never a byte from outside
 * the requested repository and path; never more rights than the scope that was asked for.
 */
class AdversarialInputTest {
    static final String FZ = "fz"; // anonymousRead: the fuzzed target
    static final String VAULT = "vault"; // private; same paths, secret bytes
    static final String FZZ = "fzz"; // private; a repository whose name has "fz" as a prefix
    static final String LIBS = "libs";
    static final String OTHER = "other";
    static final String PUBR = "pubr";

    private static TestServer server;
    private static Http adminKey;
    private static Http scoperKey;
    private static String adminKeyValue;
    private static String scoperKeyValue;
    private static byte[] secret;
    /** decoded path in repository FZ → the bytes this test stored there */
    private static final Map<String, byte[]> STORED = new LinkedHashMap<>();

    private static final Set<String> FOLDERS = new HashSet<>();

    private static final AtomicInteger PATH_TRIES = new AtomicInteger();
    private static final AtomicInteger PATH_REQUESTS = new AtomicInteger();
    private static final Map<Integer, Integer> PATH_STATUSES = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final AtomicInteger SCOPE_TRIES = new AtomicInteger();
    private static final Map<Integer, Integer> SCOPE_STATUSES = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final AtomicInteger SCOPE_PROBES = new AtomicInteger();
    private static final AtomicInteger HEADER_TRIES = new AtomicInteger();
    private static final Map<Integer, Integer> HEADER_STATUSES = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final Map<String, Long> MILLIS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Paths stored in FZ (decoded); the same in VAULT and FZZ with the secret bytes. */
    static final List<String> FILES = List.of(
            "lib/a.txt",
            "lib/b/c.txt",
            "..x/f.txt",
            "a.b/..c",
            "uni/\uFF0E\uFF0E/f.txt",
            "uni/\u2025/f.txt",
            "sp ace/f.txt",
            "100%/f.txt",
            "lib/a.txt.sha1",
            "x;y/f.txt");

    @BeforeContainer
    static void start() {
        server = TestServer.start();
        Http admin = server.admin();
        adminKeyValue = Fixtures.key(admin, Map.of("description", "fuzz admin"))
                .get("key")
                .asText();
        adminKey = server.anonymous().header("X-Auth-AccessKey", adminKeyValue);
        secret = ("SECRET-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        Fixtures.repo(server, FZ, true);
        Fixtures.repo(server, VAULT, false);
        Fixtures.repo(server, FZZ, false);
        for (String p : FILES) {
            byte[] content = ("fz:" + p).getBytes(StandardCharsets.UTF_8);
            expect(adminKey.put("/repository/" + FZ + "/" + encodePath(p), content), "store " + p, 201);
            STORED.put(p, content);
            String[] segs = p.split("/");
            for (int i = 1; i < segs.length; i++) {
                FOLDERS.add(String.join("/", Arrays.copyOfRange(segs, 0, i)));
            }
            for (String r : List.of(VAULT, FZZ)) {
                expect(adminKey.put("/repository/" + r + "/" + encodePath(p), secret), "store secret " + p, 201);
            }
        }
        expect(adminKey.put("/repository/" + VAULT + "/secret.txt", secret), "store secret", 201);

        // scopes: scoper has r,w,d,a,m on libs and other; its group g1 has r on libs/b/**
        Fixtures.repo(server, LIBS, false);
        Fixtures.repo(server, OTHER, false);
        Fixtures.repo(server, PUBR, true);
        Fixtures.group(server, "g1");
        Fixtures.group(server, "g2");
        Fixtures.user(server, "scoper", "scoper-pass", "g1");
        Fixtures.grant(server, "sc-own", List.of(LIBS, OTHER), List.of("**"), "scoper", "rwdam");
        Fixtures.permission(server, "sc-g1", LIBS, List.of("b/**"), List.of(), Map.of(), Map.of("g1", List.of("r")));
        for (String p : List.of("libs/a/f.txt", "libs/b/f.txt", "libs/a/sub/f.txt", "other/f.txt", "pubr/f.txt")) {
            expect(adminKey.put("/repository/" + p, "content of " + p), "store " + p, 201);
        }
        Http scoper = server.anonymous().basic("scoper", "scoper-pass");
        scoperKeyValue =
                Fixtures.key(scoper, Map.of("description", "scoper")).get("key").asText();
        scoperKey = server.anonymous().header("X-Auth-AccessKey", scoperKeyValue);
    }

    @AfterContainer
    static void stop() {
        System.out.println(
                "AdversarialInputTest: requestPaths tried " + PATH_TRIES.get() + " inputs (" + PATH_REQUESTS.get()
                        + " requests, " + MILLIS.getOrDefault("paths", 0L) + " ms), statuses " + PATH_STATUSES);
        System.out.println(
                "AdversarialInputTest: scopeStrings tried " + SCOPE_TRIES.get() + " inputs (" + SCOPE_PROBES.get()
                        + " probes, " + MILLIS.getOrDefault("scopes", 0L) + " ms), issue statuses " + SCOPE_STATUSES);
        System.out.println("AdversarialInputTest: credentialHeaders tried " + HEADER_TRIES.get() + " inputs ("
                + MILLIS.getOrDefault("headers", 0L) + " ms), statuses " + HEADER_STATUSES);
        if (server != null) {
            server.close();
        }
    }

    private static void time(String what, long startNanos) {
        MILLIS.merge(what, (System.nanoTime() - startNanos) / 1_000_000, Long::sum);
    }

    // ================================================================ request paths

    static String encodePath(String decoded) {
        List<String> out = new ArrayList<>();
        for (String seg : decoded.split("/", -1)) {
            StringBuilder sb = new StringBuilder();
            for (byte b : seg.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if ((c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '-'
                        || c == '.'
                        || c == '_') {
                    sb.append((char) c);
                } else {
                    sb.append(String.format("%%%02X", c));
                }
            }
            out.add(sb.toString());
        }
        return String.join("/", out);
    }

    static final List<String> PIECES = List.of(
            "..",
            ".",
            "%2e",
            "%2E",
            "%2e%2e",
            "%2E%2e",
            ".%2e",
            "%2e.",
            "%252e",
            "%252e%252e",
            "%25252e",
            "%2f",
            "%2F",
            "%252f",
            "%5c",
            "%5C",
            "\\",
            "%00",
            "%01",
            "%0a",
            "%7f",
            "%c2%85",
            "\uFF0E\uFF0E",
            "%EF%BC%8E%EF%BC%8E",
            "%EF%BC%8E",
            "\u2025",
            "%E2%80%A5",
            "%C0%AE",
            "%C0%AE%C0%AE",
            "%c0%2e",
            "%e0%80%ae",
            "%c0%af",
            "%ff",
            "%",
            "%zz",
            "%2",
            "%20",
            "+",
            "~",
            "*",
            "%3B",
            "%3b",
            ";x=y",
            "lib",
            "a.txt",
            "b",
            "c.txt",
            "..x",
            "f.txt",
            "a.b",
            "..c",
            "uni",
            "sp%20ace",
            "100%25",
            "x%3By",
            FZ,
            VAULT,
            FZZ,
            "secret.txt",
            "repository",
            "api",
            "a.txt.sha1",
            "",
            "..;",
            ";",
            "%3B..",
            "..%00",
            "%2e%2e%5c");

    @Provide
    Arbitrary<String> rawPaths() {
        Arbitrary<String> piece = Arbitraries.of(PIECES);
        Arbitrary<String> longSeg =
                Arbitraries.strings().withChars("ab%2e").ofMinLength(240).ofMaxLength(270);
        Arbitrary<String> segment = Arbitraries.frequencyOf(
                Tuple.of(12, piece.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("", l))),
                Tuple.of(1, longSeg));
        Arbitrary<String> random = segment.list().ofMinSize(0).ofMaxSize(7).map(l -> String.join("/", l));
        // a stored path, respelled: some characters percent-encoded (same path), or a piece injected somewhere
        Arbitrary<String> respelled = Combinators.combine(Arbitraries.of(FILES), Arbitraries.longs())
                .as((p, seed) -> respell(p, new java.util.Random(seed)));
        Arbitrary<String> injected = Combinators.combine(
                        Arbitraries.of(FILES),
                        segment.list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.integers().between(0, 10))
                .as((p, ins, at) -> {
                    List<String> segs =
                            new ArrayList<>(Arrays.asList(encodePath(p).split("/")));
                    segs.addAll(Math.min(at, segs.size()), ins);
                    return String.join("/", segs);
                });
        Arbitrary<String> body =
                Arbitraries.frequencyOf(Tuple.of(4, random), Tuple.of(3, respelled), Tuple.of(3, injected));
        Arbitrary<String> suffix =
                Arbitraries.of("", "", "", "", "/", ";a=b", ";a=b;c=d", ";", "/;x=y", "%2f", "?x=1", "#frag");
        return Combinators.combine(body, suffix).as((b, s) -> b + s);
    }

    /** The same decoded path with random unreserved characters percent-encoded, upper or lower case hex. */
    static String respell(String decoded, java.util.Random rnd) {
        String enc = encodePath(decoded);
        StringBuilder sb = new StringBuilder();
        for (char c : enc.toCharArray()) {
            if (c != '/' && c != '%' && rnd.nextInt(3) == 0) {
                String hex = String.format("%02x", (int) c);
                sb.append('%').append(rnd.nextBoolean() ? hex.toUpperCase() : hex);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** What the contract (API.md §1, §7) says a GET of /repository/fz/{raw} must answer. */
    record PathExpectation(Set<Integer> statuses, String file, String why) {}

    private static final Pattern HEX_ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");

    /** Strict percent-decoding of one raw segment to UTF-8, or null when malformed. Raw chars count as their UTF-8. */
    static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()
                        || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return null;
                }
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String invalidSegment(String d) {
        if (d == null) {
            return "malformed escape or UTF-8";
        }
        if (d.isEmpty()) {
            return "empty segment";
        }
        if (d.equals(".") || d.equals("..")) {
            return "dot segment";
        }
        if (HEX_ESCAPE.matcher(d).find()) {
            return "double encoding";
        }
        if (d.getBytes(StandardCharsets.UTF_8).length > 255) {
            return "segment over 255 bytes";
        }
        for (char c : d.toCharArray()) {
            if (c == '/') {
                return "encoded slash";
            }
            if (c == '\\') {
                return "backslash";
            }
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return "control character";
            }
        }
        return null;
    }

    static PathExpectation expectation(String raw) {
        Set<Integer> loose = Set.of(200, 301, 302, 400, 404);
        // a query is not part of the path; a raw '#' has no place in a request line: refused or cut off
        int q = raw.indexOf('?');
        int hash = raw.indexOf('#');
        int cut = q < 0 ? hash : hash < 0 ? q : Math.min(q, hash);
        PathExpectation e = expectationOfPath(cut < 0 ? raw : raw.substring(0, cut));
        return hash >= 0 ? new PathExpectation(union(e.statuses(), Set.of(400)), e.file(), e.why() + ", raw '#'") : e;
    }

    static PathExpectation expectationOfPath(String raw) {
        Set<Integer> loose = Set.of(200, 301, 302, 400, 404);
        boolean rawNonAscii = raw.chars().anyMatch(c -> c > 0x7e);
        String p = raw;
        boolean trailing = p.endsWith("/");
        if (trailing) {
            p = p.substring(0, p.length() - 1);
        }
        int lastSlash = p.lastIndexOf('/');
        int firstSemi = p.indexOf(';');
        if (firstSemi >= 0 && firstSemi < lastSlash) {
            return new PathExpectation(Set.of(400, 404), null, "';' before the last segment");
        }
        if (firstSemi >= 0) {
            // Artifactory matrix parameters set properties at upload; on a GET they are refused
            // (issue 15: on a DELETE, "/;x" read as the root emptied a repository)
            return new PathExpectation(Set.of(400), null, "matrix parameters outside an upload");
        }
        if (p.isEmpty()) {
            return new PathExpectation(trailing ? Set.of(200) : loose, null, "root listing");
        }
        List<String> segs = new ArrayList<>();
        for (String s : p.split("/", -1)) {
            String d = decode(s);
            String bad = invalidSegment(d);
            if (bad != null) {
                return new PathExpectation(Set.of(400), null, bad);
            }
            segs.add(d);
        }
        String path = String.join("/", segs);
        if (path.getBytes(StandardCharsets.UTF_8).length > 1024) {
            return new PathExpectation(Set.of(400, 414), null, "path over 1024 bytes");
        }
        Set<Integer> extra = rawNonAscii ? Set.of(400) : Set.of(); // raw non-ASCII in a request line may be refused
        if (trailing) {
            boolean folder = FOLDERS.contains(path);
            return new PathExpectation(
                    union(extra, folder ? Set.of(200) : STORED.containsKey(path) ? loose : Set.of(404)),
                    null,
                    "listing of " + path);
        }
        if (STORED.containsKey(path)) {
            return new PathExpectation(union(extra, Set.of(200)), path, "stored file " + path);
        }
        if (FOLDERS.contains(path)) {
            return new PathExpectation(union(extra, loose), null, "folder " + path);
        }
        return new PathExpectation(union(extra, Set.of(404)), null, "nothing at " + path);
    }

    static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }

    @Property(tries = 400)
    void requestPathsNeverLeakAndNeverFail(@ForAll("rawPaths") String raw) {
        long t0 = System.nanoTime();
        PATH_TRIES.incrementAndGet();
        String target = "/repository/" + FZ + "/" + raw;
        PathExpectation want = expectation(raw);
        try {
            for (boolean admin : new boolean[] {true, false}) {
                List<String> headers = admin ? List.of("X-Auth-AccessKey: " + adminKeyValue) : List.of();
                RawHttp.Reply r = RawHttp.send(server, "GET", target, headers, null);
                PATH_REQUESTS.incrementAndGet();
                PATH_STATUSES.merge(r.status(), 1, Integer::sum);
                String who = (admin ? "admin" : "anonymous") + " GET " + target + " (" + want.why() + ")";
                assertThat(r.status()).as("%s: %s", who, r).isNotEqualTo(500).isIn(want.statuses());
                assertThat(Bytes.contains(r.body(), secret))
                        .as("%s leaked the secret: %s", who, r)
                        .isFalse();
                if (r.status() == 200 && want.file() != null) {
                    assertThat(new String(r.body(), StandardCharsets.UTF_8))
                            .as(who)
                            .isEqualTo(new String(STORED.get(want.file()), StandardCharsets.UTF_8));
                }
                if (r.status() == 200 && want.file() == null) {
                    // not a file we asked for: it may only be a listing, never some file's bytes
                    String body = new String(r.body(), StandardCharsets.UTF_8);
                    for (byte[] b : STORED.values()) {
                        assertThat(body)
                                .as("%s answered with a file's bytes: %s", who, r)
                                .isNotEqualTo(new String(b, StandardCharsets.UTF_8));
                    }
                }
            }
        } finally {
            time("paths", t0);
        }
    }

    /** Regression (found by the property above): a malformed escape after ';' was a 500 from Javalin's URLDecoder. */
    @Example
    void malformedEscapeInMatrixParametersIs400() {
        for (String target : List.of(
                "/repository/fz/lib/a.txt;%2",
                "/repository/fz/lib/a.txt;x=%zz",
                "/repository/fz/lib;%/a.txt",
                "/api/storage/fz/lib/a.txt;%2",
                "/api/repositories/fz;%2",
                "/api/users/admin;%")) {
            for (List<String> headers : List.of(List.<String>of(), List.of("X-Auth-AccessKey: " + adminKeyValue))) {
                RawHttp.Reply r = RawHttp.send(server, "GET", target, headers, null);
                assertThat(r.status())
                        .as("GET %s %s: %s", target, headers.isEmpty() ? "anonymous" : "admin", r)
                        .isEqualTo(400);
                assertThat(r.text()).contains("path_invalid");
            }
        }
    }

    /** Regression (found by the scope property): String.trim() dropped control characters around a scope. */
    @Example
    void controlCharactersAroundAScopeAreRefused() {
        for (String scope : List.of(
                "artifact:libs/a/**:r\u0000",
                "\u0000artifact:libs/a/**:r",
                "\tapplied-permissions/user",
                "applied-permissions/user\n",
                "artifact:libs/a/**:r\u001f")) {
            Http.Response r = postForm(scoperKey, "/access/api/v1/tokens", Map.of("scope", scope));
            assertThat(r.status())
                    .as("scope %s: %s", scope.replace("\u0000", "\\0"), r)
                    .isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("scope_invalid");
        }
        // spaces around and between items stay fine
        assertThat(postForm(
                                scoperKey,
                                "/access/api/v1/tokens",
                                Map.of("scope", "  artifact:libs/a/**:r   artifact:other:r "))
                        .status())
                .isEqualTo(200);
    }

    // ================================================================ scope strings

    /** A scope item, valid or broken, with what the oracle knows of it. */
    record Item(String text, boolean valid) {}

    static final List<String> PATTERNS = List.of(
            "**", "a/**", "a/*", "b/**", "a/f.txt", "*/f.txt", "a/sub/**", "*", "a", "**/f.txt", "a/s*/**", "c/**");
    static final List<String> ACTIONS =
            List.of("r", "w", "d", "a", "m", "x", "s", "*", "r,w", "r,w,d", "r,d", "w,a", "r,w,d,a,m,x,s", "a,m");

    @Provide
    Arbitrary<List<Item>> scopeItems() {
        Arbitrary<Item> artifact = Combinators.combine(
                        Arbitraries.of(LIBS, OTHER, PUBR, "nosuch"), Arbitraries.of(PATTERNS), Arbitraries.of(ACTIONS))
                .as((r, p, a) -> new Item("artifact:" + r + "/" + p + ":" + a, true));
        Arbitrary<Item> whole = Combinators.combine(Arbitraries.of(LIBS, OTHER), Arbitraries.of(ACTIONS))
                .as((r, a) -> new Item("artifact:" + r + ":" + a, true));
        Arbitrary<Item> applied = Arbitraries.of(
                new Item("applied-permissions/user", true),
                new Item("applied-permissions/admin", true),
                new Item("applied-permissions/groups:g1", true),
                new Item("applied-permissions/groups:g2", true),
                new Item("applied-permissions/groups:g1,g2", true));
        Arbitrary<Item> broken = Arbitraries.of(
                        "artifact:",
                        "artifact:libs",
                        "artifact:libs/a/**:",
                        "artifact:libs/a/**:q",
                        "artifact::r",
                        "artifact:/a/**:r",
                        "artifact:libs/a/**:r,,w",
                        "artifact:libs/a/**:,",
                        "applied-permissions/",
                        "applied-permissions/groups:",
                        "applied-permissions/nope",
                        "applied-permissions/user/x",
                        "member-of-groups:*",
                        "api:*",
                        "artifact:libs/a/**:rw",
                        "artifact:li bs",
                        "artifact:libs/a/**:R",
                        "artifact:libs/a/**:r\u0000",
                        "artifact:libs/a/**:r\u00e9",
                        "x\u0001",
                        "\uFF41rtifact:libs/**:r",
                        "artifact:libs/**:*,r,q",
                        "applied-permissions/groups:,g1")
                .map(t -> new Item(t, false));
        Arbitrary<Item> garbage = Arbitraries.strings()
                .withChars("xyz:/*,=%\"'<>{}\\\u00e9\u2028")
                .ofMinLength(1)
                .ofMaxLength(40)
                .map(s -> new Item("x" + s, false));
        Arbitrary<Item> item = Arbitraries.frequencyOf(
                Tuple.of(6, artifact),
                Tuple.of(1, whole),
                Tuple.of(2, applied),
                Tuple.of(2, broken),
                Tuple.of(1, garbage));
        return item.list().ofMinSize(1).ofMaxSize(4);
    }

    /** Glob over segments: '**' any number of segments, '*' any run of characters within one segment. */
    static boolean glob(List<String> pat, List<String> path) {
        if (pat.isEmpty()) {
            return path.isEmpty();
        }
        if (pat.get(0).equals("**")) {
            for (int i = 0; i <= path.size(); i++) {
                if (glob(pat.subList(1, pat.size()), path.subList(i, path.size()))) {
                    return true;
                }
            }
            return false;
        }
        return !path.isEmpty()
                && Pattern.matches(Pattern.quote(pat.get(0)).replace("*", "\\E[^/]*\\Q"), path.get(0))
                && glob(pat.subList(1, pat.size()), path.subList(1, path.size()));
    }

    /** The owner's grants in the oracle: repo → (include pattern, actions). */
    static boolean ownerHas(boolean admin, String repo, String path, char action) {
        return admin || ((repo.equals(LIBS) || repo.equals(OTHER)) && "rwdam".indexOf(action) >= 0);
    }

    static boolean groupHas(String group, String repo, String path, char action) {
        return group.equals("g1")
                && repo.equals(LIBS)
                && action == 'r'
                && glob(List.of("b", "**"), List.of(path.split("/")));
    }

    /** Does the requested scope text (all items valid) let {@code action} on {@code repo/path}? Owner ∩ scope. */
    static boolean scopeAllows(List<Item> items, boolean admin, String repo, String path, char action) {
        if (!ownerHas(admin, repo, path, action)) {
            return false;
        }
        for (Item it : items) {
            String t = it.text();
            if (t.equals("applied-permissions/user") || t.equals("applied-permissions/admin")) {
                return true;
            }
            if (t.startsWith("applied-permissions/groups:")) {
                for (String g :
                        t.substring("applied-permissions/groups:".length()).split(",")) {
                    if (groupHas(g, repo, path, action)) {
                        return true;
                    }
                }
                continue;
            }
            String rest = t.substring("artifact:".length());
            int colon = rest.lastIndexOf(':');
            String where = rest.substring(0, colon);
            String acts = rest.substring(colon + 1);
            int slash = where.indexOf('/');
            String r = slash < 0 ? where : where.substring(0, slash);
            String pattern = slash < 0 ? "**" : where.substring(slash + 1);
            boolean actionOk =
                    acts.equals("*") || Arrays.asList(acts.split(",")).contains(String.valueOf(action));
            if (r.equals(repo) && actionOk && glob(List.of(pattern.split("/")), List.of(path.split("/")))) {
                return true;
            }
        }
        return false;
    }

    @Property(tries = 250)
    void scopeStringsNeverGrantMoreThanTheyParse(
            @ForAll("scopeItems") List<Item> items, @ForAll("separators") String sep, @ForAll boolean asAdmin) {
        long t0 = System.nanoTime();
        int n = SCOPE_TRIES.incrementAndGet();
        try {
            String text =
                    items.stream().map(Item::text).reduce((a, b) -> a + sep + b).orElseThrow();
            Http issuer = asAdmin ? adminKey : scoperKey;
            Http.Response r = postForm(issuer, "/access/api/v1/tokens", Map.of("scope", text, "expires_in", "3600"));
            SCOPE_STATUSES.merge(r.status(), 1, Integer::sum);
            String what = (asAdmin ? "admin" : "scoper") + " asks for scope '" + text + "'";
            assertThat(r.status()).as("%s: %s", what, r).isNotEqualTo(500).isIn(200, 400, 403);
            boolean itemsValid = items.stream().allMatch(Item::valid);
            boolean oddSeparator = !sep.chars().allMatch(c -> c == ' ');
            if (itemsValid && oddSeparator && items.size() > 1 && r.status() == 400) {
                return; // whitespace other than spaces between items: refusing it is fine
            }
            boolean allValid = itemsValid;
            boolean adminItem = items.stream().anyMatch(i -> i.text().equals("applied-permissions/admin"));
            boolean foreignGroup = items.stream()
                    .anyMatch(i -> i.text().startsWith("applied-permissions/groups:")
                            && i.text().contains("g2"));
            if (!allValid) {
                assertThat(r.status()).as("%s: %s", what, r).isEqualTo(400);
                assertThat(r.errorCode()).as(what).isEqualTo("scope_invalid");
                return;
            }
            if (!asAdmin && adminItem) {
                assertThat(r.status()).as("%s: %s", what, r).isEqualTo(403);
                return;
            }
            if (!asAdmin && foreignGroup) {
                assertThat(r.status())
                        .as("%s (not a member of g2): %s", what, r)
                        .isIn(400, 403);
                return;
            }
            assertThat(r.status()).as("%s: %s", what, r).isEqualTo(200);
            Http tok = server.anonymous().bearer(r.json().get("access_token").asText());
            List<String> problems = new ArrayList<>();
            probe(
                    problems,
                    tok.put("/repository/libs/a/p-" + n + ".txt", "x"),
                    201,
                    scopeAllows(items, asAdmin, LIBS, "a/p-" + n + ".txt", 'w'),
                    "PUT libs/a/p.txt");
            probe(
                    problems,
                    tok.put("/repository/other/p-" + n + ".txt", "x"),
                    201,
                    scopeAllows(items, asAdmin, OTHER, "p-" + n + ".txt", 'w'),
                    "PUT other/p.txt");
            for (String p : List.of("libs/a/f.txt", "libs/b/f.txt", "libs/a/sub/f.txt", "other/f.txt")) {
                String repo = p.substring(0, p.indexOf('/'));
                String path = p.substring(p.indexOf('/') + 1);
                probe(
                        problems,
                        tok.get("/repository/" + p),
                        200,
                        scopeAllows(items, asAdmin, repo, path, 'r'),
                        "GET " + p);
            }
            probe(
                    problems,
                    tok.delete("/repository/libs/a/missing-" + n + ".txt"),
                    404,
                    scopeAllows(items, asAdmin, LIBS, "a/missing-" + n + ".txt", 'd'),
                    "DELETE libs/a/missing.txt");
            probe(
                    problems,
                    tok.put("/api/storage/libs/a/f.txt?properties=k" + n + "=v", ""),
                    204,
                    scopeAllows(items, asAdmin, LIBS, "a/f.txt", 'a'),
                    "annotate libs/a/f.txt");
            Http.Response users = tok.get("/api/users");
            SCOPE_PROBES.incrementAndGet();
            if (!asAdmin && users.status() != 403) {
                problems.add("GET /api/users: expected 403 got " + users);
            } else if (asAdmin
                    && !items.stream().anyMatch(i -> i.text().startsWith("applied-permissions/"))
                    && users.status() != 403) {
                problems.add("GET /api/users with artifact-only scope: expected 403 got " + users);
            } else if (asAdmin && adminItem && users.status() != 200) {
                problems.add("GET /api/users with applied-permissions/admin: expected 200 got " + users);
            }
            // public means public, whatever the scope
            probe(problems, tok.get("/repository/pubr/f.txt"), 200, true, "GET pubr/f.txt");
            assertThat(problems)
                    .as("%s, token with scope %s", what, r.json().get("scope"))
                    .isEmpty();
        } finally {
            time("scopes", t0);
        }
    }

    @Provide
    Arbitrary<String> separators() {
        // spaces are the grammar's separator; other whitespace may be refused or read as a space, nothing else
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just(" ")),
                Tuple.of(2, Arbitraries.of("  ", "   ")),
                Tuple.of(1, Arbitraries.of("\t", "\n", "\u00a0", "\r\n")));
    }

    private static void probe(List<String> problems, Http.Response r, int success, boolean allowed, String what) {
        SCOPE_PROBES.incrementAndGet();
        int want = allowed ? success : 403;
        if (r.status() != want) {
            problems.add(what + ": expected " + want + " got " + r);
        }
    }

    // ================================================================ credential headers

    @Provide
    Arbitrary<List<String>> credentialHeaders() {
        Arbitrary<String> noise = Arbitraries.strings()
                .withChars("abcXYZ019+/=_-.:;, \t\u0001\u0008\u000b\u007f\u00e9\u00ff")
                .ofMinLength(0)
                .ofMaxLength(60);
        Arbitrary<String> huge = Arbitraries.integers().between(1000, 6000).map(n -> "A".repeat(n));
        Arbitrary<String> b64 = Combinators.combine(
                        Arbitraries.of("admin", "scoper", "", "cofak_", "cofat_", "cofst_", "x"),
                        noise,
                        Arbitraries.of(":", "", "::"))
                .as((u, s, c) -> Base64.getEncoder().encodeToString((u + c + s).getBytes(StandardCharsets.ISO_8859_1)));
        Arbitrary<String> secretish = Combinators.combine(
                        Arbitraries.of("cofak_", "cofat_", "cofst_", "cofrt_", "COFAK_", ""),
                        Arbitraries.strings().alpha().numeric().ofMinLength(0).ofMaxLength(60))
                .as((p, s) -> p + s);
        Arbitrary<String> scheme = Arbitraries.of(
                "Basic ",
                "basic ",
                "BASIC ",
                "Basic",
                "Basic  ",
                " Basic ",
                "Bearer ",
                "bearer ",
                "Bearer",
                "Bearer\t",
                "Digest ",
                "Token ",
                "",
                "Basic\u0001");
        Arbitrary<String> authorization = Combinators.combine(
                        scheme,
                        Arbitraries.oneOf(
                                noise,
                                huge,
                                b64,
                                secretish,
                                b64.map(s -> s + "!!"),
                                b64.map(s -> s.substring(0, Math.max(0, s.length() - 1)))))
                .as((s, v) -> "Authorization: " + s + v);
        Arbitrary<String> other = Combinators.combine(
                        Arbitraries.of(
                                "X-Auth-AccessKey",
                                "Circle-Token",
                                "X-Auth-Token",
                                "X-Auth-UserId",
                                "x-auth-accesskey",
                                "circle-token"),
                        Arbitraries.oneOf(noise, huge, secretish))
                .as((h, v) -> h + ": " + v);
        Arbitrary<List<String>> one =
                Arbitraries.oneOf(authorization, other).list().ofMinSize(1).ofMaxSize(4);
        // sometimes one header many times over
        Arbitrary<List<String>> repeated = Combinators.combine(
                        Arbitraries.oneOf(authorization, other),
                        Arbitraries.integers().between(2, 60))
                .as((h, k) -> java.util.Collections.nCopies(k, h));
        return Arbitraries.frequencyOf(Tuple.of(3, one), Tuple.of(1, repeated));
    }

    @Property(tries = 300)
    void garbageCredentialsAreRejectedNeverServed(
            @ForAll("credentialHeaders") List<String> headers, @ForAll("credentialTargets") String target) {
        long t0 = System.nanoTime();
        HEADER_TRIES.incrementAndGet();
        try {
            RawHttp.Reply r = RawHttp.send(server, "GET", target, headers, null);
            HEADER_STATUSES.merge(r.status(), 1, Integer::sum);
            String shown = headers.size() + " header(s), first " + abbreviate(headers.get(0));
            assertThat(r.status())
                    .as("GET %s with %s: %s", target, shown, r)
                    .isNotEqualTo(500)
                    .isIn(400, 401, 429, 431);
            assertThat(Bytes.contains(r.body(), secret)).as("secret leaked").isFalse();
            if (r.status() == 401) {
                assertThat(r.header("WWW-Authenticate")).as("401 challenge").isEqualTo("Basic realm=\"coffer\"");
            }
            // the garbage is never echoed back (it could be a mistyped real secret)
            for (String h : headers) {
                String v = h.substring(h.indexOf(':') + 1).trim();
                if (v.length() >= 12 && !v.chars().allMatch(c -> c == 'A')) {
                    assertThat(r.text())
                            .as("response echoes a credential header value")
                            .doesNotContain(v);
                }
            }
        } finally {
            time("headers", t0);
        }
    }

    @Provide
    Arbitrary<String> credentialTargets() {
        return Arbitraries.of(
                "/repository/vault/secret.txt",
                "/repository/fz/lib/a.txt",
                "/repository/vault/",
                "/api/storage/vault/secret.txt",
                "/api/me",
                "/api/repositories",
                "/repository/fz/missing.txt");
    }

    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "...(" + s.length() + " chars)" : s;
    }
}
