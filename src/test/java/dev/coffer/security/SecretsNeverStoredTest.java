package dev.coffer.security;

import static dev.coffer.testing.Fixtures.expect;
import static dev.coffer.testing.Fixtures.json;
import static dev.coffer.testing.Fixtures.postForm;
import static dev.coffer.testing.Fixtures.postJson;
import static dev.coffer.testing.Typos.mistypeMiddle;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Bytes;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import dev.coffer.token.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API.md §4 rule 5 and checklist line 4, walked as a class: every kind of secret — password,
 * access key, access token, refresh token, session token; live, revoked and mistyped — is sent in
 * every position a client can put it (credential headers, Basic user name and password, path
 * segments raw and percent-encoded once or twice, query names and values, JSON and form fields,
 * User-Agent, X-Forwarded-For). Then the server is stopped and every byte it left behind — each
 * file of the data folder (the SQLite database, its WAL and shared memory, the access log), its
 * standard output and error, and the /metrics text — is searched for each secret, for its random
 * body alone, for its percent-encoded forms and for the base64 that Basic sends. Zero hits.
 */
class SecretsNeverStoredTest {
    private static final Pattern ISSUED = Pattern.compile("cof(?:ak|st|at|rt)_[0-9A-Za-z]{49}");

    @TempDir
    Path data;

    /** Every secret the walk knows, and whether it is one of ours (so its random body alone is searched too). */
    private final Map<String, Boolean> secrets = new LinkedHashMap<>();

    private final List<String> problems = new ArrayList<>();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private int requests;

    @Test
    void noSecretInAnyPositionIsWrittenAnywhere() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream tee = new PrintStream(new TeeStream(captured, err), true, StandardCharsets.UTF_8);
        System.setOut(tee);
        System.setErr(tee);
        String metrics;
        String startOutput;
        byte[] beforeStop;
        try {
            TestServer server = TestServer.start(
                    data,
                    Map.of(
                            "database.url",
                            "",
                            "storage",
                            "fs",
                            "access.log",
                            "logs/access.log",
                            "trusted.proxies",
                            "127.0.0.1",
                            "lockout.address",
                            "1000000"),
                    false);
            try {
                startOutput = server.output;
                walk(server);
                metrics = expect(server.admin().get("/metrics"), "metrics", 200).body();
                // the WAL may be folded into the database when the server stops: read it while it runs too
                beforeStop = everyFile();
            } finally {
                server.close(); // stops it (everything flushed); the data folder stays for the scan
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(requests).isGreaterThan(500);

        byte[] afterStop = everyFile();
        String accessLog = Files.readString(data.resolve("logs/access.log"), StandardCharsets.UTF_8);
        // the places searched are real: the access log has the walk, the database holds what it should
        assertThat(accessLog.lines().count()).isGreaterThan(requests / 2);
        assertThat(accessLog)
                .contains("\"route\":\"/api/tokens/{token}\"")
                .contains("\"path\":\"/api/tokens/cofst_[redacted]\"");
        assertThat(Files.exists(data.resolve("coffer.db"))).isTrue();
        String liveKey = secrets.keySet().stream()
                .filter(s -> s.startsWith("cofak_"))
                .findFirst()
                .orElseThrow();
        assertThat(Bytes.contains(afterStop, Secrets.hash(liveKey).getBytes(StandardCharsets.UTF_8)))
                .as("the database is read: it holds the live key's hash")
                .isTrue();

        Map<String, byte[]> places = new LinkedHashMap<>();
        places.put("files while running", beforeStop);
        places.put("files after the stop", afterStop);
        places.put(
                "standard output and error",
                (startOutput + captured.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        places.put("/metrics", metrics.getBytes(StandardCharsets.UTF_8));
        assertThat(new String(places.get("standard output and error"), StandardCharsets.UTF_8))
                .isNotBlank();
        Map<String, String> formOf = new LinkedHashMap<>();
        secrets.forEach((secret, ours) -> needles(secret, ours).forEach(n -> formOf.putIfAbsent(n, secret)));
        List<String> hits = new ArrayList<>();
        places.forEach((where, bytes) -> {
            for (String needle : Needles.find(bytes, formOf.keySet())) {
                hits.add(where + ": " + needle + " (a form of " + formOf.get(needle) + ")");
            }
        });
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        soft.assertThat(hits)
                .as("secrets found in what the server wrote (%d secrets searched)", secrets.size())
                .isEmpty();
        soft.assertThat(problems)
                .as("requests answered 5xx or echoing a secret")
                .isEmpty();
        soft.assertAll();
    }

    // ---- the walk

    private void walk(TestServer s) {
        Http admin = s.admin();
        String adminPw = TestServer.ADMIN_PASSWORD;
        Fixtures.repo(s, "libs", false);
        String oldPw = "old-" + UUID.randomUUID();
        String alicePw = "pw-" + UUID.randomUUID();
        Fixtures.user(s, "alice", oldPw);
        Fixtures.grant(s, "alice-libs", List.of("libs"), List.of("**"), "alice", "rwd");
        expect(admin.putJson("/api/users/alice", json(Map.of("password", alicePw))), "new password", 200);
        Http alice = s.anonymous().basic("alice", alicePw);
        expect(alice.put("/repository/libs/a.txt", "hello"), "upload", 201);

        String key = issue(expect(postJson(alice, "/api/access-keys", Map.of("description", "ci")), "key", 201), "key");
        JsonNode revokedKey = expect(postJson(alice, "/api/access-keys", Map.of("description", "old")), "key", 201)
                .json();
        issue(revokedKey, "key");
        expect(alice.delete("/api/access-keys/" + revokedKey.path("id").asText()), "revoke key", 204);

        JsonNode used = token(alice);
        JsonNode revoked = token(alice);
        expect(alice.delete("/access/api/v1/tokens/" + revoked.path("token_id").asText()), "revoke token", 200);
        JsonNode live = expect(
                        postForm(
                                s.anonymous(),
                                "/access/api/v1/tokens",
                                Map.of(
                                        "grant_type",
                                        "refresh_token",
                                        "refresh_token",
                                        used.path("refresh_token").asText())),
                        "refresh",
                        200)
                .json();
        harvest(live.toString());

        JsonNode session = expect(
                        postJson(s.anonymous(), "/api/tokens", Map.of("username", "alice", "password", alicePw)),
                        "login",
                        200)
                .json();
        harvest(session.toString());
        String userId = session.path("user_id").asText();
        String ended = issue(
                expect(
                        postJson(s.anonymous(), "/api/tokens", Map.of("username", "alice", "password", alicePw)),
                        "login",
                        200),
                "token");
        expect(
                s.anonymous()
                        .header("X-Auth-Token", ended)
                        .header("X-Auth-UserId", userId)
                        .delete("/api/tokens/" + ended),
                "logout",
                204);

        // live, revoked (or used) and mistyped, of every kind; passwords: current, replaced, mistyped
        String liveToken = live.path("access_token").asText();
        String liveRefresh = live.path("refresh_token").asText();
        String liveSession = session.path("token").asText();
        List<String> walked = new ArrayList<>(List.of(
                key,
                revokedKey.path("key").asText(),
                mistypeMiddle(key),
                liveToken,
                used.path("access_token").asText(),
                revoked.path("access_token").asText(),
                mistypeMiddle(liveToken),
                liveRefresh,
                used.path("refresh_token").asText(),
                revoked.path("refresh_token").asText(),
                mistypeMiddle(liveRefresh),
                liveSession,
                ended,
                mistypeMiddle(liveSession)));
        walked.forEach(w -> secrets.put(w, true));
        List<String> passwords = List.of(alicePw, oldPw, mistypeMiddle(alicePw), adminPw);
        passwords.forEach(p -> secrets.put(p, false));
        walked.addAll(passwords);

        for (String secret : walked) {
            boolean ours = secrets.get(secret);
            credentialHeaders(s, secret, ours, userId);
            bodies(s, alice, secret, ours);
            if (ours) {
                freeText(s, secret);
            }
        }
    }

    private JsonNode token(Http owner) {
        JsonNode t = expect(
                        postForm(owner, "/access/api/v1/tokens", Map.of("refreshable", "true", "expires_in", "3600")),
                        "token",
                        200)
                .json();
        harvest(t.toString());
        return t;
    }

    private String issue(Http.Response r, String field) {
        harvest(r.body());
        return r.json().path(field).asText();
    }

    private String issue(JsonNode n, String field) {
        harvest(n.toString());
        return n.path(field).asText();
    }

    /** Secrets the server hands out are searched for like the others. */
    private void harvest(String body) {
        Matcher m = ISSUED.matcher(body);
        while (m.find()) {
            secrets.putIfAbsent(m.group(), true);
        }
    }

    /** Every credential header, on a route and on a small download (the fast path reads them itself). */
    private void credentialHeaders(TestServer s, String secret, boolean ours, String userId) {
        Http anon = s.anonymous();
        List<Http> ways = new ArrayList<>(List.of(
                anon.basic("alice", secret),
                anon.basic(secret, ""),
                anon.bearer(secret),
                anon.header("X-Auth-AccessKey", secret),
                anon.header("Circle-Token", secret),
                anon.header("X-Auth-Token", secret).header("X-Auth-UserId", userId),
                anon.header("X-Auth-Token", "cofst_x").header("X-Auth-UserId", secret)));
        if (ours) {
            ways.add(anon.basic(secret, "x")); // curl -u "$KEY:x"
            ways.add(anon.basic("x_" + secret, "x"));
        }
        for (Http h : ways) {
            send(secret, () -> h.get("/api/me"));
            send(secret, () -> h.get("/repository/libs/a.txt"));
        }
    }

    /** Query strings and bodies: login, refresh grant, token issue, key description. */
    private void bodies(TestServer s, Http alice, String secret, boolean ours) {
        Http anon = s.anonymous();
        String enc = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        send(secret, () -> anon.get("/api/me?password=" + enc + "&access_token=" + enc));
        send(secret, () -> postJson(anon, "/api/tokens", Map.of("username", "alice", "password", secret)));
        send(
                secret,
                () -> postForm(
                        anon, "/access/api/v1/tokens", Map.of("grant_type", "refresh_token", "refresh_token", secret)));
        send(
                secret,
                () -> postJson(
                        anon, "/access/api/v1/tokens", Map.of("grant_type", "refresh_token", "refresh_token", secret)));
        send(secret, () -> anon.post("/access/api/v1/tokens?grant_type=refresh_token&refresh_token=" + enc, ""));
        if (!ours) {
            return;
        }
        send(
                secret,
                () -> anon.get("/api/me?" + enc + "=1&" + encodeAll(secret) + "=2&" + doubleEncode(secret) + "=3"));
        send(secret, () -> postJson(anon, "/api/tokens", Map.of("username", secret, "password", "x")));
        send(secret, () -> postJson(anon, "/api/tokens", Map.of("username", "x_" + secret, "password", "x")));
        send(secret, () -> postJson(alice, "/api/access-keys", Map.of("description", "deploy " + secret)));
        send(secret, () -> postForm(alice, "/access/api/v1/tokens", Map.of("description", "ci " + secret)));
        send(secret, () -> postJson(alice, "/access/api/v1/tokens", Map.of("description", secret)));
        send(secret, () -> postForm(s.admin(), "/access/api/v1/tokens", Map.of("username", secret)));
        send(secret, () -> s.admin().putJson("/api/users/" + secret, json(Map.of("password", "pw-of-a-secret"))));
        send(secret, () -> s.admin().putJson("/api/users/x_" + secret, json(Map.of("password", "pw-of-a-secret"))));
    }

    /** Positions a generated secret can be recognised in: paths (raw, encoded, double-encoded), User-Agent, X-Forwarded-For. */
    private void freeText(TestServer s, String secret) {
        Http admin = s.admin();
        for (String form : List.of(secret, encodeUnderscore(secret), encodeAll(secret), doubleEncode(secret))) {
            send(secret, () -> admin.delete("/api/tokens/" + form));
            send(secret, () -> admin.get("/repository/libs/dir/" + form + "/f.txt"));
            send(secret, () -> admin.get("/api/storage/libs/" + form));
            send(secret, () -> admin.get("/no/such/route/" + form));
        }
        // glued to other word characters
        send(secret, () -> s.anonymous().get("/repository/libs/x_" + secret));
        send(secret, () -> admin.delete("/access/api/v1/tokens/x_" + encodeUnderscore(secret)));
        send(secret, () -> admin.delete("/api/access-keys/" + secret));
        Http anon = s.anonymous();
        for (String ua : List.of("ci/1.0 " + secret, "ci/x_" + encodeUnderscore(secret))) {
            // a refused credential is audited with the user agent and the address
            send(
                    secret,
                    () -> anon.header("User-Agent", ua).bearer("cofak_wrong").get("/api/me"));
        }
        for (String xff : List.of(secret, "10.1.2.3, " + secret)) {
            send(
                    secret,
                    () -> anon.header("X-Forwarded-For", xff)
                            .bearer("cofak_wrong")
                            .get("/api/me"));
        }
    }

    private void send(String secret, java.util.function.Supplier<Http.Response> request) {
        Http.Response r = request.get();
        requests++;
        if (r.status() >= 500) {
            problems.add(r.status() + " for a request carrying " + secret + ": " + r);
        }
        String body = r.body();
        harvest(body);
        for (String needle : needles(secret, secrets.getOrDefault(secret, false))) {
            if (!needle.isEmpty() && body.contains(needle)) {
                problems.add("the answer echoes " + needle + ": " + r);
            }
        }
    }

    // ---- what is searched for

    private static Set<String> needles(String secret, boolean ours) {
        Set<String> n = new LinkedHashSet<>();
        n.add(secret);
        if (ours) {
            n.add(secret.substring(secret.indexOf('_') + 1)); // the random body: the secret part of a secret
        }
        n.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        n.add(encodeUnderscore(secret));
        n.add(encodeAll(secret));
        n.add(doubleEncode(secret));
        Base64.Encoder b64 = Base64.getEncoder();
        for (String pair :
                List.of("alice:" + secret, "admin:" + secret, secret + ":", secret + ":x", "x_" + secret + ":x")) {
            n.add(b64.encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return n;
    }

    private static String encodeUnderscore(String s) {
        return s.replace("_", "%5F").replace("-", "%2D");
    }

    private static String encodeAll(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append('%').append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }

    private static String doubleEncode(String s) {
        return encodeUnderscore(s).replace("%", "%25");
    }

    private byte[] everyFile() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().equals("admin.password")) {
                    continue;
                }
                all.writeBytes(f.toString().getBytes(StandardCharsets.UTF_8)); // file names too
                all.write('\n');
                try {
                    all.writeBytes(Files.readAllBytes(f));
                } catch (java.nio.file.NoSuchFileException gone) {
                    // a temporary file the running server removed meanwhile
                }
                all.write('\n');
            }
        }
        return all.toByteArray();
    }

    /** Many needles in megabytes at once: one rolling hash per needle length (a naive search took seconds). */
    static final class Needles {
        private static final long BASE = 1_000_003L;

        static Set<String> find(byte[] hay, Set<String> needles) {
            Map<Integer, Map<Long, List<byte[]>>> byLength = new java.util.TreeMap<>();
            for (String n : needles) {
                byte[] b = n.getBytes(StandardCharsets.UTF_8);
                byLength.computeIfAbsent(b.length, k -> new java.util.HashMap<>())
                        .computeIfAbsent(hash(b, 0, b.length), k -> new ArrayList<>())
                        .add(b);
            }
            Set<String> found = new LinkedHashSet<>();
            byLength.forEach((len, table) -> {
                if (len == 0 || len > hay.length) {
                    return;
                }
                long top = 1;
                for (int i = 1; i < len; i++) {
                    top *= BASE;
                }
                long h = hash(hay, 0, len);
                for (int i = 0; ; i++) {
                    List<byte[]> candidates = table.get(h);
                    if (candidates != null) {
                        for (byte[] c : candidates) {
                            if (java.util.Arrays.equals(hay, i, i + len, c, 0, len)) {
                                found.add(new String(c, StandardCharsets.UTF_8));
                            }
                        }
                    }
                    if (i + len >= hay.length) {
                        break;
                    }
                    h = (h - (hay[i] & 0xff) * top) * BASE + (hay[i + len] & 0xff);
                }
            });
            return found;
        }

        private static long hash(byte[] b, int from, int len) {
            long h = 0;
            for (int i = from; i < from + len; i++) {
                h = h * BASE + (b[i] & 0xff);
            }
            return h;
        }
    }

    /** Writes to the capture and on to where the output went before. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            b.flush();
        }
    }
}
