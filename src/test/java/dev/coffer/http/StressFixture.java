package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Bytes;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.Typos;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The world of {@link ConcurrencyStressTest}: users with disjoint rights, files, every way of
 * presenting a credential (API.md §4) and many invalid ones, and what each caller may read,
 * computed here from this table alone (never by asking the server's authorization code).
 */
final class StressFixture {
    /** Who may read a repository path: a permission target of one user or group (API.md §3). */
    record Grant(String repo, List<String> includes, List<String> excludes) {}

    /** A caller: anonymous (null name), or a user with grants and, for a scoped token, a scope. */
    record Who(String username, boolean admin, List<Grant> grants, List<String[]> scope) {
        static final Who ANONYMOUS = new Who(null, false, List.of(), null);

        boolean mayRead(Repo repo, String path) {
            if (repo.anonymousRead()) {
                return true; // public means public, whatever the credential
            }
            if (username == null) {
                return false;
            }
            if (admin) {
                return true;
            }
            boolean owner = grants.stream()
                    .anyMatch(g -> g.repo().equals(repo.name())
                            && g.includes().stream().anyMatch(p -> glob(p, path))
                            && g.excludes().stream().noneMatch(p -> glob(p, path)));
            return owner
                    && (scope == null || scope.stream().anyMatch(s -> s[0].equals(repo.name()) && glob(s[1], path)));
        }

        Who scoped(List<String[]> items) {
            return new Who(username, admin, grants, items);
        }
    }

    enum Outcome {
        ACCEPTED,
        INVALID,
        AMBIGUOUS
    }

    /**
     * One way of sending (or not sending) credentials: its header lines, what authentication must
     * conclude, and for an accepted one who the caller is, the kind /api/me names and its id.
     * {@code costly}: the server hashes a password for it (Argon2, tens of ms), so it is sent rarely.
     */
    record Variant(
            String name,
            List<String[]> headers,
            Outcome outcome,
            Who who,
            String kind,
            String credentialId,
            boolean costly) {
        Variant {
            headers = List.copyOf(headers);
        }
    }

    record Repo(String name, boolean anonymousRead) {}

    /** A path to read: a file (content), a missing file (null content), or /api/me (null repo). */
    record Target(Repo repo, String path, byte[] content, String sha256) {
        String url() {
            return repo == null ? "/api/me" : "/repository/" + repo.name() + "/" + path;
        }
    }

    static final String CHALLENGE = "Basic realm=\"coffer\"";
    static final Repo ALICE = new Repo("alice-repo", false);
    static final Repo BOB = new Repo("bob-repo", false);
    static final Repo CAROL = new Repo("carol-repo", false);
    static final Repo SHARED = new Repo("shared", false);
    static final Repo PUB = new Repo("pub", true);

    final List<Target> targets = new ArrayList<>();
    final List<Variant> variants = new ArrayList<>();
    /**
     * A valid variant and its twin, the same header with the case of one letter changed (issue 16),
     * each to the other: sent one right after the other on one connection.
     */
    final Map<Variant, Variant> twins = new LinkedHashMap<>();

    private final TestServer server;

    StressFixture(TestServer server) {
        this.server = server;
    }

    StressFixture build() {
        for (Repo r : List.of(ALICE, BOB, CAROL, SHARED, PUB)) {
            Fixtures.repo(server, r.name(), r.anonymousRead());
        }
        // sizes around the fast path's limit (64 KiB and less: served on the selector thread)
        file(ALICE, "a/small.txt", 1000);
        file(ALICE, "a/large.bin", 200 * 1024);
        file(BOB, "b/small.txt", 3000);
        file(BOB, "b/edge.bin", 64 * 1024);
        file(CAROL, "c/small.txt", 10);
        file(CAROL, "c/over.bin", 64 * 1024 + 1);
        file(SHARED, "team-a/docs/readme.txt", 700);
        file(SHARED, "team-a/docs/big.bin", 100 * 1024);
        file(SHARED, "team-a/secret/plan.txt", 1500);
        file(SHARED, "team-a/secret/big.txt", 90 * 1024);
        file(SHARED, "team-b/notes.txt", 2500);
        file(SHARED, "team-b/data.bin", 2000);
        file(SHARED, "lib/x.jar", 150 * 1024);
        file(SHARED, "root.txt", 42);
        file(PUB, "p/small.txt", 600);
        file(PUB, "p/large.bin", 120 * 1024);
        for (Target t : List.of(
                new Target(ALICE, "a/missing.txt", null, null),
                new Target(BOB, "b/missing.bin", null, null),
                new Target(SHARED, "team-a/docs/missing.txt", null, null),
                new Target(SHARED, "team-b/gone.txt", null, null),
                new Target(PUB, "p/missing.txt", null, null),
                new Target(null, null, null, null))) {
            targets.add(t);
        }

        Who alice = user(
                "alice",
                List.of(),
                new Grant(ALICE.name(), List.of("**"), List.of()),
                new Grant(SHARED.name(), List.of("team-a/**"), List.of("team-a/secret/**")));
        Who bob = user(
                "bob",
                List.of(),
                new Grant(BOB.name(), List.of("**"), List.of()),
                new Grant(SHARED.name(), List.of("**"), List.of("team-a/**")));
        // carol reads the shared text files through a group
        Fixtures.group(server, "txt-readers");
        Fixtures.permission(
                server,
                "txt-readers-shared",
                SHARED.name(),
                List.of("**/*.txt"),
                List.of(),
                Map.of(),
                Map.of("txt-readers", List.of("r")));
        Who carol = user("carol", List.of("txt-readers"), new Grant(CAROL.name(), List.of("**"), List.of()));
        carol = new Who(
                "carol",
                false,
                List.of(carol.grants().get(0), new Grant(SHARED.name(), List.of("**/*.txt"), List.of())),
                null);

        variants.add(new Variant("anonymous", List.of(), Outcome.ACCEPTED, Who.ANONYMOUS, "anonymous", null, false));
        Creds a = credentials(alice);
        Creds b = credentials(bob);
        Creds c = credentials(carol);
        for (Creds x : List.of(a, b, c)) {
            transports(x);
            invalids(x, x == a ? b : a);
        }
        // alice's token narrowed to team-a: her rights there, nothing of her own repository
        Http.Response scoped = Fixtures.postForm(
                pw(a),
                "/access/api/v1/tokens",
                "scope=" + URLEncoder.encode("artifact:shared/team-a/**:r", StandardCharsets.UTF_8));
        assertThat(scoped.status()).as(scoped.toString()).isEqualTo(200);
        Who narrow = alice.scoped(List.<String[]>of(new String[] {SHARED.name(), "team-a/**"}));
        String st = scoped.json().get("access_token").asText();
        String stId = scoped.json().get("token_id").asText();
        accepted("alice scoped token: Bearer", narrow, "access-token", stId, h("Authorization", "Bearer " + st));
        accepted("alice scoped token: Basic owner", narrow, "access-token", stId, basic("alice", st));

        Who admin = new Who("admin", true, List.of(), null);
        Http.Response ak = Fixtures.postJson(server.admin(), "/api/access-keys", Map.of("description", "s"));
        assertThat(ak.status()).as(ak.toString()).isEqualTo(201);
        accepted("admin: Basic password", admin, "password", null, basic("admin", TestServer.ADMIN_PASSWORD));
        accepted(
                "admin: X-Auth-AccessKey",
                admin,
                "access-key",
                ak.json().get("id").asText(),
                h("X-Auth-AccessKey", ak.json().get("key").asText()));

        invalid("unknown key: Bearer", false, h("Authorization", "Bearer " + Secrets.generate(SecretKind.ACCESS_KEY)));
        invalid(
                "unknown token: Bearer",
                false,
                h("Authorization", "Bearer " + Secrets.generate(SecretKind.ACCESS_TOKEN)));
        invalid("unknown key: X-Auth-AccessKey", false, h("X-Auth-AccessKey", Secrets.generate(SecretKind.ACCESS_KEY)));
        invalid(
                "unknown session",
                false,
                h("X-Auth-Token", Secrets.generate(SecretKind.SESSION_TOKEN)),
                h("X-Auth-UserId", "1"));
        invalid("malformed: short key", false, h("Authorization", "Bearer cofak_abc123"));
        invalid("malformed: not base64", false, h("Authorization", "Basic !!!notbase64"));
        invalid("malformed: no colon", false, h("Authorization", Http.basicAuthorization("no-colon")));
        invalid("malformed: Digest", false, h("Authorization", "Digest abc"));
        invalid("malformed: Bearer alone", false, h("Authorization", "Bearer"));
        invalid("malformed: garbage secret", false, h("Circle-Token", "garbage"));
        invalid("malformed: session without user id", false, h("X-Auth-Token", c.session));
        invalid("unknown user", false, basic("no-such-user", "whatever"));
        invalid("wrong kind: session as Bearer", false, h("Authorization", "Bearer " + b.session));
        invalid("wrong kind: token as X-Auth-AccessKey", false, h("X-Auth-AccessKey", b.token));
        variants.add(new Variant(
                "ambiguous: key + token",
                List.of(h("X-Auth-AccessKey", a.key), h("Authorization", "Bearer " + a.token)),
                Outcome.AMBIGUOUS,
                null,
                null,
                null,
                false));
        variants.add(new Variant(
                "ambiguous: two users' keys",
                List.of(h("Circle-Token", b.key), h("Authorization", "Bearer " + a.key)),
                Outcome.AMBIGUOUS,
                null,
                null,
                null,
                false));
        return this;
    }

    /** One user's live secrets, and revoked ones. */
    record Creds(
            Who who,
            String password,
            long userId,
            String key,
            String keyId,
            String token,
            String tokenId,
            String session,
            String revokedKey,
            String revokedToken,
            String revokedSession) {}

    private Who user(String name, List<String> groups, Grant... grants) {
        Fixtures.user(server, name, name + "-pass", groups.toArray(String[]::new));
        int n = 0;
        for (Grant g : grants) {
            Fixtures.permission(
                    server,
                    name + "-" + n++,
                    g.repo(),
                    g.includes(),
                    g.excludes(),
                    Map.of(name, List.of("r")),
                    Map.of());
        }
        return new Who(name, false, List.of(grants), null);
    }

    private Creds credentials(Who w) {
        String user = w.username();
        String password = user + "-pass";
        CredentialRulesTest.Creds live = CredentialRulesTest.creds(server, user, password);
        CredentialRulesTest.Creds dead = CredentialRulesTest.creds(server, user, password);
        Http pw = server.anonymous().basic(user, password);
        assertThat(pw.delete("/api/access-keys/" + dead.keyId()).status()).isEqualTo(204);
        assertThat(pw.delete("/access/api/v1/tokens/" + dead.tokenId()).status())
                .isEqualTo(200);
        assertThat(pw.delete("/api/tokens/" + dead.session()).status()).isEqualTo(204);
        return new Creds(
                w,
                password,
                live.userId(),
                live.key(),
                live.keyId(),
                live.token(),
                live.tokenId(),
                live.session(),
                dead.key(),
                dead.token(),
                dead.session());
    }

    private Http pw(Creds c) {
        return server.anonymous().basic(c.who().username(), c.password());
    }

    /** Every transport of API.md §4, each with a case-flipped twin where Jetty used to cache the header. */
    private void transports(Creds c) {
        Who w = c.who();
        String u = w.username() + ": ";
        String id = String.valueOf(c.userId());
        accepted(u + "X-Auth-AccessKey", w, "access-key", c.keyId(), h("X-Auth-AccessKey", c.key()));
        twin(
                accepted(u + "Bearer key", w, "access-key", c.keyId(), h("Authorization", "Bearer " + c.key())),
                h("Authorization", "Bearer " + Typos.flipCase(c.key())));
        twin(
                accepted(u + "Bearer token", w, "access-token", c.tokenId(), h("Authorization", "Bearer " + c.token())),
                h("Authorization", "Bearer " + Typos.flipCase(c.token())));
        twin(
                accepted(u + "Basic owner+key", w, "access-key", c.keyId(), basic(w.username(), c.key())),
                caseTwin(basic(w.username(), c.key())));
        twin(
                accepted(u + "Basic owner+token", w, "access-token", c.tokenId(), basic(w.username(), c.token())),
                caseTwin(basic(w.username(), c.token())));
        accepted(u + "Basic key:", w, "access-key", c.keyId(), basic(c.key(), ""));
        accepted(u + "Basic token:", w, "access-token", c.tokenId(), basic(c.token(), ""));
        accepted(u + "Circle-Token key", w, "access-key", c.keyId(), h("Circle-Token", c.key()));
        accepted(u + "Circle-Token token", w, "access-token", c.tokenId(), h("Circle-Token", c.token()));
        twin(
                accepted(u + "session", w, "session-token", "", h("X-Auth-Token", c.session()), h("X-Auth-UserId", id)),
                h("X-Auth-Token", Typos.flipCase(c.session())),
                h("X-Auth-UserId", id));
        Variant password = accepted(u + "Basic password", w, "password", null, basic(w.username(), c.password()));
        String[] flipped = caseTwin(password.headers().get(0));
        String pair = new String(
                Base64.getDecoder().decode(flipped[1].substring("Basic ".length())), StandardCharsets.ISO_8859_1);
        // a twin that still names the user is a wrong password, which the server hashes
        boolean costly = pair.startsWith(w.username() + ":");
        Variant twin = invalid(password.name() + " (case twin)", costly, flipped);
        twins.put(password, twin);
        twins.put(twin, password);
    }

    /** The Basic header with the case of one letter of its base64 changed. */
    private static String[] caseTwin(String[] basicHeader) {
        return h("Authorization", Typos.flipBasic(basicHeader[1]));
    }

    private void invalids(Creds c, Creds other) {
        String u = c.who().username() + ": ";
        String id = String.valueOf(c.userId());
        invalid(u + "mistyped key: X-Auth-AccessKey", false, h("X-Auth-AccessKey", Typos.mistype(c.key())));
        invalid(u + "mistyped token: Circle-Token", false, h("Circle-Token", Typos.mistype(c.token())));
        invalid(u + "mistyped token: Basic token:", false, basic(Typos.mistype(c.token()), ""));
        invalid(u + "revoked key: Bearer", false, h("Authorization", "Bearer " + c.revokedKey()));
        invalid(u + "revoked token: Basic owner", false, basic(c.who().username(), c.revokedToken()));
        invalid(u + "revoked session", false, h("X-Auth-Token", c.revokedSession()), h("X-Auth-UserId", id));
        invalid(u + "key with another owner", false, basic(other.who().username(), c.key()));
        invalid(
                u + "session with another user id",
                false,
                h("X-Auth-Token", c.session()),
                h("X-Auth-UserId", String.valueOf(other.userId())));
        invalid(u + "wrong password", true, basic(c.who().username(), c.password() + "x"));
    }

    private Variant accepted(String name, Who who, String kind, String credentialId, String[]... headers) {
        Variant v = new Variant(name, List.of(headers), Outcome.ACCEPTED, who, kind, credentialId, false);
        variants.add(v);
        return v;
    }

    private Variant invalid(String name, boolean costly, String[]... headers) {
        Variant v = new Variant(name, List.of(headers), Outcome.INVALID, null, null, null, costly);
        variants.add(v);
        return v;
    }

    private void twin(Variant valid, String[]... headers) {
        Variant twin = invalid(valid.name() + " (case twin)", false, headers);
        twins.put(valid, twin);
        twins.put(twin, valid);
    }

    private void file(Repo repo, String path, int size) {
        byte[] content = Bytes.random(repo.name().hashCode() * 31L + path.hashCode(), size);
        Http.Response r = server.admin().put("/repository/" + repo.name() + "/" + path, content);
        assertThat(r.status()).as("PUT %s/%s: %s", repo.name(), path, r).isEqualTo(201);
        targets.add(new Target(repo, path, content, Digests.hex("SHA-256", content)));
    }

    static String[] h(String name, String value) {
        return new String[] {name, value};
    }

    static String[] basic(String user, String password) {
        return h("Authorization", Http.basicAuthorization(user, password));
    }

    /** Artifactory's segment-wise pattern, as API.md §5 describes it: ** any segments, * within one. */
    static boolean glob(String pattern, String path) {
        return glob(pattern.split("/"), 0, path.split("/"), 0);
    }

    private static boolean glob(String[] p, int i, String[] s, int j) {
        if (i == p.length) {
            return j == s.length;
        }
        if (p[i].equals("**")) {
            for (int k = j; k <= s.length; k++) {
                if (glob(p, i + 1, s, k)) {
                    return true;
                }
            }
            return false;
        }
        if (j == s.length) {
            return false;
        }
        String regex = ("\\Q" + p[i] + "\\E").replace("*", "\\E[^/]*\\Q");
        return Pattern.matches(regex, s[j]) && glob(p, i + 1, s, j + 1);
    }
}
