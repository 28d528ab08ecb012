package dev.coffer.http;

import static dev.coffer.testing.Fixtures.postForm;
import static dev.coffer.testing.Fixtures.postJson;
import static dev.coffer.testing.Typos.mistype;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import dev.coffer.token.SecretKind;
import dev.coffer.token.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** API.md §4 rules 1-6 for every credential kind and every transport. */
class CredentialRulesTest {
    static final String CHALLENGE = "Basic realm=\"coffer\"";

    /** The four kinds of credential and what /api/me calls them. */
    enum Kind {
        PASSWORD("password", null),
        KEY("access-key", SecretKind.ACCESS_KEY),
        TOKEN("access-token", SecretKind.ACCESS_TOKEN),
        SESSION("session-token", SecretKind.SESSION_TOKEN);

        final String label;
        final SecretKind secretKind;

        Kind(String label, SecretKind secretKind) {
            this.label = label;
            this.secretKind = secretKind;
        }
    }

    /** One user's live credentials of every kind. */
    record Creds(
            String user,
            long userId,
            String password,
            String key,
            String keyId,
            String token,
            String tokenId,
            String refreshToken,
            String session) {
        String secret(Kind k) {
            return switch (k) {
                case PASSWORD -> password;
                case KEY -> key;
                case TOKEN -> token;
                case SESSION -> session;
            };
        }

        String credentialId(Kind k) {
            return switch (k) {
                case PASSWORD -> null;
                case KEY -> keyId;
                case TOKEN -> tokenId;
                case SESSION -> "(some id)";
            };
        }
    }

    /** Every way of sending a credential that API.md §4 lists. */
    enum Transport {
        X_AUTH_ACCESS_KEY(Kind.KEY) {
            Http apply(Http h, Creds c, String s) {
                return h.header("X-Auth-AccessKey", s);
            }
        },
        BEARER_KEY(Kind.KEY) {
            Http apply(Http h, Creds c, String s) {
                return h.bearer(s);
            }
        },
        BEARER_TOKEN(Kind.TOKEN) {
            Http apply(Http h, Creds c, String s) {
                return h.bearer(s);
            }
        },
        BASIC_OWNER_KEY(Kind.KEY) {
            Http apply(Http h, Creds c, String s) {
                return h.basic(c.user(), s);
            }
        },
        BASIC_OWNER_TOKEN(Kind.TOKEN) {
            Http apply(Http h, Creds c, String s) {
                return h.basic(c.user(), s);
            }
        },
        BASIC_KEY_EMPTY_PASSWORD(Kind.KEY) {
            Http apply(Http h, Creds c, String s) {
                return h.basic(s, "");
            }
        },
        BASIC_TOKEN_EMPTY_PASSWORD(Kind.TOKEN) {
            Http apply(Http h, Creds c, String s) {
                return h.basic(s, "");
            }
        },
        CIRCLE_TOKEN_KEY(Kind.KEY) {
            Http apply(Http h, Creds c, String s) {
                return h.header("Circle-Token", s);
            }
        },
        CIRCLE_TOKEN_TOKEN(Kind.TOKEN) {
            Http apply(Http h, Creds c, String s) {
                return h.header("Circle-Token", s);
            }
        },
        X_AUTH_TOKEN_SESSION(Kind.SESSION) {
            Http apply(Http h, Creds c, String s) {
                return h.header("X-Auth-Token", s).header("X-Auth-UserId", String.valueOf(c.userId()));
            }
        },
        BASIC_PASSWORD(Kind.PASSWORD) {
            Http apply(Http h, Creds c, String s) {
                return h.basic(c.user(), s);
            }
        };

        final Kind kind;

        Transport(Kind kind) {
            this.kind = kind;
        }

        abstract Http apply(Http h, Creds c, String secret);

        Http with(TestServer s, Creds c) {
            return apply(new Http(s.base()), c, c.secret(kind));
        }
    }

    static Stream<Transport> secretTransports() {
        return Arrays.stream(Transport.values()).filter(t -> t.kind != Kind.PASSWORD);
    }

    private static TestServer server;
    private static TestServer shortServer;
    private static TestServer lockServer;
    private static Creds reader; // r on priv, rw on libs
    private static Creds nobody; // no rights at all
    private static Creds other; // another user, for owner mismatch
    private static Creds revoked;
    private static Creds disabled;
    private static Creds deleted;
    private static Creds expired; // on shortServer

    // ---- fixtures shared with CredentialRoutesTest

    /** Opens a session, creates a key and an access token (applied-permissions/user, refreshable) for the user. */
    static Creds creds(TestServer s, String user, String password) {
        Http pw = s.anonymous().basic(user, password);
        JsonNode login = Fixtures.session(s, user, password);
        JsonNode key = Fixtures.key(pw, Map.of("description", "key of " + user));
        JsonNode token = Fixtures.token(pw, "refreshable=true&description=t");
        return new Creds(
                user,
                login.get("user_id").asLong(),
                password,
                key.get("key").asText(),
                key.get("id").asText(),
                token.get("access_token").asText(),
                token.get("token_id").asText(),
                token.get("refresh_token").asText(),
                login.get("token").asText());
    }

    static Creds newUser(TestServer s, String prefix, String... groups) {
        String name = Fixtures.unique(prefix);
        Fixtures.user(s, name, name + "-pass", groups);
        return creds(s, name, name + "-pass");
    }

    static void assert401(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
        assertThat(r.errorCode()).as(r.toString()).isEqualTo("credentials_invalid");
    }

    /** Rule 2: rejected on the public repository, the private one and /api/me; never anonymous. */
    static void assertRejectedEverywhere(Http h) {
        assert401(h.get("/repository/pub/a.txt"));
        Http.Response head = h.head("/repository/pub/a.txt");
        assertThat(head.status()).as("HEAD").isEqualTo(401);
        assertThat(head.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
        assert401(h.get("/api/storage/pub/a.txt"));
        assert401(h.get("/repository/priv/a.txt"));
        assert401(h.get("/api/me"));
        Http.Response headMe = h.head("/api/me");
        assertThat(headMe.status()).as("HEAD /api/me").isEqualTo(401);
        assertThat(headMe.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
    }

    private static void setUpServer(TestServer s) {
        Fixtures.repo(s, "priv", false);
        Fixtures.repo(s, "pub", true);
        Fixtures.put(s.admin(), "/repository/priv/a.txt", "private");
        Fixtures.put(s.admin(), "/repository/pub/a.txt", "public");
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        shortServer = TestServer.start(Map.of("session.ttl", "1s"));
        lockServer = TestServer.start(Map.of("lockout", "3", "lockout.window", "2s"));
        for (TestServer s : List.of(server, shortServer, lockServer)) {
            setUpServer(s);
        }
        Fixtures.repo(server, "libs", false);
        reader = newUser(server, "reader");
        Fixtures.grantUser(server, "reader-priv", "priv", reader.user(), "r");
        Fixtures.grantUser(server, "reader-libs", "libs", reader.user(), "rw");
        nobody = newUser(server, "nobody");
        other = newUser(server, "other");

        revoked = newUser(server, "revoked");
        Fixtures.grantUser(server, "revoked-priv", "priv", revoked.user(), "r");
        Http rpw = server.anonymous().basic(revoked.user(), revoked.password());
        assertThat(rpw.delete("/api/access-keys/" + revoked.keyId()).status()).isEqualTo(204);
        assertThat(rpw.delete("/access/api/v1/tokens/" + revoked.tokenId()).status())
                .isEqualTo(200);
        assertThat(rpw.delete("/api/tokens/" + revoked.session()).status()).isEqualTo(204);

        disabled = newUser(server, "disabled");
        Fixtures.grantUser(server, "disabled-priv", "priv", disabled.user(), "r");
        for (Transport t : Transport.values()) {
            assertThat(t.with(server, disabled).get("/repository/priv/a.txt").status())
                    .as("%s before", t)
                    .isEqualTo(200);
        }
        assertThat(server.admin()
                        .putJson("/api/users/" + disabled.user(), "{\"disabled\":true}")
                        .status())
                .isEqualTo(200);

        deleted = newUser(server, "deleted");
        for (Transport t : Transport.values()) {
            assertThat(t.with(server, deleted).get("/api/me").status())
                    .as("%s before", t)
                    .isEqualTo(200);
        }
        assertThat(server.admin().delete("/api/users/" + deleted.user()).status())
                .isEqualTo(204);

        // expired: the key lasts 1.5 s, the token 1 s, the session 1 s (session.ttl)
        String name = "expiring";
        Fixtures.user(shortServer, name, "expiring-pass");
        Fixtures.grantUser(shortServer, "expiring-priv", "priv", name, "r");
        Http anon = shortServer.anonymous();
        Http pw = anon.basic(name, "expiring-pass");
        Http.Response login = postJson(anon, "/api/tokens", Map.of("username", name, "password", "expiring-pass"));
        Http.Response key = postJson(
                pw,
                "/api/access-keys",
                Map.of("expiresAt", Instant.now().plusMillis(1500).toString()));
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        Http.Response token = postForm(pw, "/access/api/v1/tokens", "expires_in=1");
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        assertThat(token.json().get("expires_in").asLong()).isEqualTo(1);
        expired = new Creds(
                name,
                login.json().get("user_id").asLong(),
                "expiring-pass",
                key.json().get("key").asText(),
                key.json().get("id").asText(),
                token.json().get("access_token").asText(),
                token.json().get("token_id").asText(),
                null,
                login.json().get("token").asText());
        // used once while valid, so that the cached entry is what must expire
        secretTransports().forEach(t -> t.with(shortServer, expired).get("/api/me"));
        Thread.sleep(2100);
    }

    @AfterAll
    static void stop() {
        for (TestServer s : new TestServer[] {server, shortServer, lockServer}) {
            if (s != null) {
                s.close();
            }
        }
    }

    // ---- valid credentials

    @ParameterizedTest
    @EnumSource(Transport.class)
    void validCredentialIdentifiesTheCallerAndReads(Transport t) {
        Http h = t.with(server, reader);
        Http.Response me = h.get("/api/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        JsonNode j = me.json();
        assertThat(j.get("username").asText()).isEqualTo(reader.user());
        assertThat(j.get("userId").asLong()).isEqualTo(reader.userId());
        assertThat(j.get("authenticatedBy").asText()).isEqualTo(t.kind.label);
        assertThat(j.get("admin").asBoolean()).isFalse();
        assertThat(j.has("groups")).isTrue();
        assertThat(j.has("scope")).isTrue();
        switch (t.kind) {
            case PASSWORD -> assertThat(j.get("credentialId").isNull()).isTrue();
            case SESSION ->
                assertThat(j.get("credentialId").asText()).isNotBlank().isNotEqualTo(reader.session());
            default -> assertThat(j.get("credentialId").asText()).isEqualTo(reader.credentialId(t.kind));
        }
        Http.Response read = h.get("/repository/priv/a.txt");
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("private");
        assertThat(h.get("/repository/pub/a.txt").status()).isEqualTo(200);
        Http.Response write = h.put("/repository/libs/" + t + "/f.txt", "x");
        assertThat(write.status()).as(write.toString()).isEqualTo(201);
    }

    @Test
    void noCredentialsIsAnonymous() {
        Http.Response me = server.anonymous().get("/api/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("authenticatedBy").asText()).isEqualTo("anonymous");
        assertThat(me.json().get("username").isNull()).isTrue();
        assertThat(me.json().get("credentialId").isNull()).isTrue();
        assertThat(server.anonymous().get("/repository/pub/a.txt").status()).isEqualTo(200);
        Http.Response priv = server.anonymous().get("/repository/priv/a.txt");
        assertThat(priv.status()).isEqualTo(401);
        assertThat(priv.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
    }

    // ---- rule 2: invalid credentials are 401, never anonymous

    @ParameterizedTest
    @EnumSource(Transport.class)
    void malformedIs401(Transport t) {
        String bad = t.kind == Kind.PASSWORD ? "wrong-password" : t.kind.secretKind.prefix() + "abc123";
        assertRejectedEverywhere(t.apply(server.anonymous(), reader, bad));
    }

    @ParameterizedTest
    @MethodSource("secretTransports")
    void secretWithoutAnyKnownPrefixIs401(Transport t) {
        if (t == Transport.BASIC_OWNER_KEY || t == Transport.BASIC_OWNER_TOKEN) {
            // reader:garbage is simply a wrong password
            assertRejectedEverywhere(t.apply(server.anonymous(), reader, Fixtures.unique("garbage")));
            return;
        }
        assertRejectedEverywhere(t.apply(server.anonymous(), reader, "garbage"));
    }

    @Test
    void malformedAuthorizationHeadersAre401() {
        for (String auth : List.of(
                "Basic !!!notbase64",
                "Basic " + java.util.Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
                "Bearer",
                "Bearer ",
                "Digest abc",
                "Basic")) {
            assertRejectedEverywhere(server.anonymous().header("Authorization", auth));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void mistypedIs401(Transport t) {
        String bad = t.kind == Kind.PASSWORD ? reader.password() + "x" : mistype(reader.secret(t.kind));
        if (t.kind != Kind.PASSWORD) {
            assertThat(Secrets.verifyFormat(bad)).isEmpty();
        }
        assertRejectedEverywhere(t.apply(server.anonymous(), reader, bad));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unknownIs401(Transport t) {
        if (t.kind == Kind.PASSWORD) {
            // an unknown user
            assertRejectedEverywhere(server.anonymous().basic("no-such-user", "whatever"));
            return;
        }
        String unknown = Secrets.generate(t.kind.secretKind);
        assertThat(Secrets.verifyFormat(unknown)).contains(t.kind.secretKind);
        assertRejectedEverywhere(t.apply(server.anonymous(), reader, unknown));
    }

    @ParameterizedTest
    @MethodSource("secretTransports")
    void wrongKindIs401(Transport t) {
        // a well-formed secret of another kind in this transport (e.g. a refresh token as a bearer token)
        String refresh = reader.refreshToken();
        assertRejectedEverywhere(t.apply(server.anonymous(), reader, refresh));
        if (t.kind == Kind.SESSION) {
            assertRejectedEverywhere(t.apply(server.anonymous(), reader, reader.key()));
            assertRejectedEverywhere(t.apply(server.anonymous(), reader, reader.token()));
        } else {
            assertRejectedEverywhere(t.apply(server.anonymous(), reader, reader.session()));
        }
    }

    @ParameterizedTest
    @MethodSource("secretTransports")
    void expiredIs401(Transport t) {
        assertRejectedEverywhere(t.with(shortServer, expired));
    }

    @Test
    void expiredPasswordUserStillLogsIn() {
        // only the secrets expire; the password of the same user is fine
        assertThat(Transport.BASIC_PASSWORD
                        .with(shortServer, expired)
                        .get("/repository/priv/a.txt")
                        .status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @MethodSource("secretTransports")
    void revokedIs401(Transport t) {
        assertRejectedEverywhere(t.with(server, revoked));
        // the owner's password still works
        assertThat(Transport.BASIC_PASSWORD
                        .with(server, revoked)
                        .get("/repository/priv/a.txt")
                        .status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void ownerDisabledIs401(Transport t) {
        assertRejectedEverywhere(t.with(server, disabled));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void ownerDeletedIs401(Transport t) {
        assertRejectedEverywhere(t.with(server, deleted));
    }

    @ParameterizedTest
    @MethodSource("basicOwnerTransports")
    void basicWithSomeoneElsesUsernameIs401(Transport t) {
        assertRejectedEverywhere(t.apply(server.anonymous(), other, reader.secret(t.kind)));
        Creds stranger = new Creds("no-such-user", 0, null, null, null, null, null, null, null);
        assertRejectedEverywhere(t.apply(server.anonymous(), stranger, reader.secret(t.kind)));
        Creds caseDiff = new Creds(
                reader.user().toUpperCase(java.util.Locale.ROOT), 0, null, null, null, null, null, null, null);
        assertRejectedEverywhere(t.apply(server.anonymous(), caseDiff, reader.secret(t.kind)));
    }

    static Stream<Transport> basicOwnerTransports() {
        return Stream.of(Transport.BASIC_OWNER_KEY, Transport.BASIC_OWNER_TOKEN);
    }

    @Test
    void sessionTokenNeedsBothHeadersAndAMatchingId() {
        Http anon = server.anonymous();
        assertRejectedEverywhere(anon.header("X-Auth-Token", reader.session()));
        assertRejectedEverywhere(anon.header("X-Auth-UserId", String.valueOf(reader.userId())));
        assertRejectedEverywhere(
                anon.header("X-Auth-Token", reader.session()).header("X-Auth-UserId", String.valueOf(other.userId())));
        assertRejectedEverywhere(anon.header("X-Auth-Token", reader.session()).header("X-Auth-UserId", "abc"));
        assertRejectedEverywhere(anon.header("X-Auth-Token", reader.session()).header("X-Auth-UserId", ""));
        assertRejectedEverywhere(anon.header("X-Auth-Token", reader.session()).header("X-Auth-UserId", reader.user()));
        // and the right pair works
        assertThat(anon.header("X-Auth-Token", reader.session())
                        .header("X-Auth-UserId", String.valueOf(reader.userId()))
                        .get("/api/me")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void sessionTokenIsNotAcceptedAsBearerOrBasic() {
        Http anon = server.anonymous();
        assertRejectedEverywhere(anon.bearer(reader.session()));
        assertRejectedEverywhere(anon.basic(reader.user(), reader.session()));
        assertRejectedEverywhere(anon.header("Circle-Token", reader.session()));
        assertRejectedEverywhere(anon.header("X-Auth-AccessKey", reader.session()));
    }

    // ---- two credentials in one request: 400 credentials_ambiguous

    static Stream<org.junit.jupiter.params.provider.Arguments> ambiguous() {
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        out.add(org.junit.jupiter.params.provider.Arguments.of(
                "X-Auth-AccessKey + Basic password", (UnaryOperator<Http>)
                        h -> h.header("X-Auth-AccessKey", reader.key()).basic(reader.user(), reader.password())));
        out.add(org.junit.jupiter.params.provider.Arguments.of("Bearer token + X-Auth-Token pair", (UnaryOperator<Http>)
                h -> h.bearer(reader.token())
                        .header("X-Auth-Token", reader.session())
                        .header("X-Auth-UserId", String.valueOf(reader.userId()))));
        out.add(org.junit.jupiter.params.provider.Arguments.of("Circle-Token key + Bearer token", (UnaryOperator<Http>)
                h -> h.header("Circle-Token", reader.key()).bearer(reader.token())));
        out.add(org.junit.jupiter.params.provider.Arguments.of(
                "Circle-Token token + Bearer another token", (UnaryOperator<Http>)
                        h -> h.header("Circle-Token", reader.token()).bearer(other.token())));
        out.add(org.junit.jupiter.params.provider.Arguments.of("X-Auth-AccessKey + X-Auth-Token pair", (UnaryOperator<
                        Http>)
                h -> h.header("X-Auth-AccessKey", reader.key())
                        .header("X-Auth-Token", reader.session())
                        .header("X-Auth-UserId", String.valueOf(reader.userId()))));
        out.add(org.junit.jupiter.params.provider.Arguments.of(
                "X-Auth-AccessKey + Circle-Token token", (UnaryOperator<Http>)
                        h -> h.header("X-Auth-AccessKey", reader.key()).header("Circle-Token", reader.token())));
        out.add(org.junit.jupiter.params.provider.Arguments.of("X-Auth-AccessKey + Bearer token", (UnaryOperator<Http>)
                h -> h.header("X-Auth-AccessKey", reader.key()).bearer(reader.token())));
        out.add(org.junit.jupiter.params.provider.Arguments.of(
                "X-Auth-AccessKey key + Bearer another user's key", (UnaryOperator<Http>)
                        h -> h.header("X-Auth-AccessKey", reader.key()).bearer(other.key())));
        out.add(org.junit.jupiter.params.provider.Arguments.of("Basic owner:key + X-Auth-Token pair", (UnaryOperator<
                        Http>)
                h -> h.basic(reader.user(), reader.key())
                        .header("X-Auth-Token", reader.session())
                        .header("X-Auth-UserId", String.valueOf(reader.userId()))));
        out.add(org.junit.jupiter.params.provider.Arguments.of(
                "Basic password + Circle-Token key", (UnaryOperator<Http>)
                        h -> h.basic(reader.user(), reader.password()).header("Circle-Token", reader.key())));
        out.add(org.junit.jupiter.params.provider.Arguments.of("X-Auth-Token pair + Circle-Token token", (UnaryOperator<
                        Http>)
                h -> h.header("Circle-Token", reader.token())
                        .header("X-Auth-Token", reader.session())
                        .header("X-Auth-UserId", String.valueOf(reader.userId()))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguous")
    void twoDifferentCredentialsAreAmbiguous(String name, UnaryOperator<Http> headers) {
        Http h = headers.apply(server.anonymous());
        for (String path : List.of("/api/me", "/repository/pub/a.txt", "/repository/priv/a.txt")) {
            Http.Response r = h.get(path);
            assertThat(r.status()).as("%s %s: %s", name, path, r).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("credentials_ambiguous");
        }
    }

    @Test
    void theSameSecretInTwoHeadersIsOneCredential() {
        Http h = server.anonymous().header("X-Auth-AccessKey", reader.key()).bearer(reader.key());
        assertThat(h.get("/api/me").json().get("authenticatedBy").asText()).isEqualTo("access-key");
        Http t = server.anonymous().header("Circle-Token", reader.token()).bearer(reader.token());
        assertThat(t.get("/api/me").json().get("authenticatedBy").asText()).isEqualTo("access-token");
    }

    // ---- rule 3: valid credentials without the action: 403, whether or not the path exists

    @ParameterizedTest
    @EnumSource(Transport.class)
    void validCredentialWithoutTheActionIs403(Transport t) {
        Http nb = t.with(server, nobody);
        Http.Response exists = nb.get("/repository/priv/a.txt");
        Http.Response missing = nb.get("/repository/priv/missing.txt");
        assertThat(exists.status()).as(exists.toString()).isEqualTo(403);
        assertThat(missing.status()).as(missing.toString()).isEqualTo(403);
        assertThat(missing.errorCode()).isEqualTo(exists.errorCode()).isEqualTo("forbidden");
        assertThat(nb.get("/api/storage/priv/a.txt").status()).isEqualTo(403);
        assertThat(nb.get("/api/storage/priv/missing.txt").status()).isEqualTo(403);
        assertThat(nb.head("/repository/priv/missing.txt").status()).isEqualTo(403);
        assertThat(nb.put("/repository/pub/new.txt", "x").status()).isEqualTo(403);
        assertThat(nb.delete("/repository/pub/a.txt").status()).isEqualTo(403);
        assertThat(nb.delete("/repository/pub/missing.txt").status()).isEqualTo(403);
        assertThat(nb.putJson("/api/users/" + nobody.user(), "{\"admin\":true}").status())
                .isEqualTo(403);
        // the public repository stays readable for them
        assertThat(nb.get("/repository/pub/a.txt").status()).isEqualTo(200);
        // a reader may read but not write or delete
        Http rd = t.with(server, reader);
        assertThat(rd.put("/repository/priv/a.txt", "x").status()).isEqualTo(403);
        assertThat(rd.put("/repository/priv/new.txt", "x").status()).isEqualTo(403);
        assertThat(rd.delete("/repository/priv/a.txt").status()).isEqualTo(403);
        assertThat(rd.delete("/repository/priv/nothing-here.txt").status()).isEqualTo(403);
    }

    // ---- rule 4: effective rights = scope ∩ owner's current rights, at once

    @ParameterizedTest
    @EnumSource(Transport.class)
    void removingAPermissionTakesEffectAtOnce(Transport t) {
        Creds c = newUser(server, "perm");
        String repo = Fixtures.unique("r4");
        Fixtures.repo(server, repo, false);
        String target = "t-" + c.user();
        Fixtures.grantUser(server, target, repo, c.user(), "rw");
        Http h = t.with(server, c);
        assertThat(h.put("/repository/" + repo + "/a.txt", "x").status()).isEqualTo(201);
        assertThat(h.get("/repository/" + repo + "/a.txt").status()).isEqualTo(200);
        Fixtures.grantUser(server, target, repo, c.user(), "r");
        Http.Response w = h.put("/repository/" + repo + "/b.txt", "x");
        assertThat(w.status()).as(w.toString()).isEqualTo(403);
        assertThat(h.get("/repository/" + repo + "/a.txt").status()).isEqualTo(200);
        assertThat(server.admin().delete("/api/permissions/" + target).status()).isIn(200, 204);
        assertThat(h.get("/repository/" + repo + "/a.txt").status()).isEqualTo(403);
    }

    @Test
    void disablingTheOwnerEndsKeysTokensAndSessionsAtOnce() {
        Creds c = newUser(server, "dis");
        Fixtures.grantUser(server, "t-" + c.user(), "priv", c.user(), "r");
        for (Transport t : Transport.values()) {
            assertThat(t.with(server, c).get("/repository/priv/a.txt").status()).isEqualTo(200);
        }
        assertThat(server.admin()
                        .putJson("/api/users/" + c.user(), "{\"disabled\":true}")
                        .status())
                .isEqualTo(200);
        for (Transport t : Transport.values()) {
            assertRejectedEverywhere(t.with(server, c));
        }
        // a disabled user cannot open a session, mint keys or tokens, nor refresh
        assert401(postJson(server.anonymous(), "/api/tokens", Map.of("username", c.user(), "password", c.password())));
        assert401(postForm(
                server.anonymous(),
                "/access/api/v1/tokens",
                "grant_type=refresh_token&refresh_token=" + c.refreshToken()));
    }

    @Test
    void deletingTheOwnerEndsEverythingEvenWhenItsIdIsReused() {
        Creds c = newUser(server, "del");
        for (Transport t : Transport.values()) {
            assertThat(t.with(server, c).get("/api/me").status()).isEqualTo(200);
        }
        assertThat(server.admin().delete("/api/users/" + c.user()).status()).isEqualTo(204);
        for (Transport t : Transport.values()) {
            assertRejectedEverywhere(t.with(server, c));
        }
        // a new user may be given the same numeric id by the database: the old secrets must not become theirs
        Creds next = newUser(server, "newcomer");
        for (Transport t : secretTransports().toList()) {
            Http.Response r = t.with(server, c).get("/api/me");
            assertThat(r.status())
                    .as("%s after a new user (id %d, old id %d) was created: %s", t, next.userId(), c.userId(), r)
                    .isEqualTo(401);
        }
        // re-creating a user of the same name does not revive the old secrets either
        Fixtures.user(server, c.user(), c.password());
        for (Transport t : secretTransports().toList()) {
            assertThat(t.with(server, c).get("/api/me").status())
                    .as(t.toString())
                    .isEqualTo(401);
        }
    }

    @Test
    void changingThePasswordEndsSessionsButNotKeysOrTokens() {
        Creds c = newUser(server, "pwc");
        Fixtures.grantUser(server, "t-" + c.user(), "priv", c.user(), "r");
        for (Transport t : Transport.values()) {
            assertThat(t.with(server, c).get("/repository/priv/a.txt").status()).isEqualTo(200);
        }
        assertThat(server.admin()
                        .putJson("/api/users/" + c.user(), "{\"password\":\"brand-new-pass\"}")
                        .status())
                .isEqualTo(200);
        assertRejectedEverywhere(Transport.X_AUTH_TOKEN_SESSION.with(server, c));
        assertRejectedEverywhere(Transport.BASIC_PASSWORD.with(server, c));
        for (Transport t :
                secretTransports().filter(t -> t.kind != Kind.SESSION).toList()) {
            assertThat(t.with(server, c).get("/repository/priv/a.txt").status())
                    .as(t.toString())
                    .isEqualTo(200);
        }
        assertThat(server.anonymous()
                        .basic(c.user(), "brand-new-pass")
                        .get("/repository/priv/a.txt")
                        .status())
                .isEqualTo(200);
    }

    static String token(TestServer s, Http as, String form) {
        return Fixtures.token(as, form).get("access_token").asText();
    }

    @Test
    void artifactScopedTokenReadsOnlyUnderItsPatternAndCannotWrite() {
        Creds c = newUser(server, "art");
        String repo = Fixtures.unique("art");
        Fixtures.repo(server, repo, false);
        Fixtures.grantUser(server, "t-" + c.user(), repo, c.user(), "rwd");
        Http owner = Transport.BASIC_PASSWORD.with(server, c);
        Fixtures.put(owner, "/repository/" + repo + "/test1/com/x", "x");
        Fixtures.put(owner, "/repository/" + repo + "/test1/com/acme/y.jar", "y");
        Fixtures.put(owner, "/repository/" + repo + "/test1/comm/x", "no");
        Fixtures.put(owner, "/repository/" + repo + "/test1/x", "no");
        String tok = token(server, owner, "scope=artifact:" + repo + "/test1/com/**:r");
        for (Http h : List.of(
                server.anonymous().bearer(tok),
                server.anonymous().basic(c.user(), tok),
                server.anonymous().header("Circle-Token", tok))) {
            assertThat(h.get("/repository/" + repo + "/test1/com/x").status()).isEqualTo(200);
            assertThat(h.get("/repository/" + repo + "/test1/com/acme/y.jar").status())
                    .isEqualTo(200);
            assertThat(h.get("/api/storage/" + repo + "/test1/com").status()).isEqualTo(200);
            assertThat(h.get("/repository/" + repo + "/test1/com/").status()).isEqualTo(200);
            assertThat(h.get("/repository/" + repo + "/test1/comm/x").status()).isEqualTo(403);
            assertThat(h.get("/repository/" + repo + "/test1/comm/missing").status())
                    .isEqualTo(403);
            assertThat(h.get("/repository/" + repo + "/test1/x").status()).isEqualTo(403);
            assertThat(h.put("/repository/" + repo + "/test1/com/new", "n").status())
                    .isEqualTo(403);
            assertThat(h.delete("/repository/" + repo + "/test1/com/x").status())
                    .isEqualTo(403);
            assertThat(h.get("/repository/priv/a.txt").status()).isEqualTo(403);
            // a narrowed token is not enough to mint keys or tokens
            assertThat(postJson(h, "/api/access-keys", Map.of()).status()).isEqualTo(403);
            assertThat(postForm(h, "/access/api/v1/tokens", "scope=applied-permissions/user")
                            .status())
                    .isEqualTo(403);
            assertThat(h.get("/api/me").json().get("scope").asText()).isEqualTo("artifact:" + repo + "/test1/com/**:r");
        }
        // while the owner himself can write there
        assertThat(owner.put("/repository/" + repo + "/test1/com/new", "n").status())
                .isEqualTo(201);
    }

    @Test
    void severalArtifactScopesAreAUnionAndNeverExceedTheOwner() {
        Creds c = newUser(server, "uni");
        String repo = Fixtures.unique("uni");
        Fixtures.repo(server, repo, false);
        Fixtures.grantUser(server, "t-" + c.user(), repo, c.user(), "rw");
        Http owner = Transport.BASIC_PASSWORD.with(server, c);
        Fixtures.put(owner, "/repository/" + repo + "/a/1", "1");
        Fixtures.put(owner, "/repository/" + repo + "/b/1", "1");
        Fixtures.put(owner, "/repository/" + repo + "/c/1", "1");
        String tok = token(
                server,
                owner,
                "scope="
                        + java.net.URLEncoder.encode(
                                "artifact:" + repo + "/a/**:r artifact:" + repo + "/b/**:r,w,d",
                                StandardCharsets.UTF_8));
        Http h = server.anonymous().bearer(tok);
        assertThat(h.get("/repository/" + repo + "/a/1").status()).isEqualTo(200);
        assertThat(h.get("/repository/" + repo + "/b/1").status()).isEqualTo(200);
        assertThat(h.get("/repository/" + repo + "/c/1").status()).isEqualTo(403);
        assertThat(h.put("/repository/" + repo + "/a/2", "x").status()).isEqualTo(403);
        assertThat(h.put("/repository/" + repo + "/b/2", "x").status()).isEqualTo(201);
        // d is in the scope but not the owner's: still no delete
        assertThat(h.delete("/repository/" + repo + "/b/1").status()).isEqualTo(403);
        // a wide scope never grants more than the owner has
        String wide = token(server, owner, "scope=artifact:priv/**:*");
        assertThat(server.anonymous().bearer(wide).get("/repository/priv/a.txt").status())
                .isEqualTo(403);
    }

    @Test
    void groupScopedTokenGetsOnlyThatGroupsRights() {
        String g1 = Fixtures.unique("g");
        String g2 = Fixtures.unique("g");
        Fixtures.group(server, g1);
        Fixtures.group(server, g2);
        Creds c = newUser(server, "grp", g1, g2);
        String ra = Fixtures.unique("ga");
        String rb = Fixtures.unique("gb");
        Fixtures.repo(server, ra, false);
        Fixtures.repo(server, rb, false);
        Fixtures.put(server.admin(), "/repository/" + ra + "/f", "a");
        Fixtures.put(server.admin(), "/repository/" + rb + "/f", "b");
        Fixtures.permission(server, "t-" + g1, ra, List.of("**"), List.of(), Map.of(), Map.of(g1, List.of("r")));
        Fixtures.permission(server, "t-" + g2, rb, List.of("**"), List.of(), Map.of(), Map.of(g2, List.of("r")));
        Fixtures.grantUser(server, "t-" + c.user(), ra, c.user(), "rw");
        Http owner = Transport.BASIC_PASSWORD.with(server, c);
        assertThat(owner.put("/repository/" + ra + "/mine", "m").status()).isEqualTo(201);
        String tok = token(server, owner, "scope=applied-permissions/groups:" + g1);
        Http h = server.anonymous().bearer(tok);
        assertThat(h.get("/repository/" + ra + "/f").status()).isEqualTo(200);
        assertThat(h.get("/repository/" + rb + "/f").status()).isEqualTo(403);
        assertThat(h.put("/repository/" + ra + "/new", "x").status()).isEqualTo(403);
        // and when the owner leaves the group, the token loses its rights at once
        assertThat(server.admin()
                        .putJson("/api/users/" + c.user(), Fixtures.json(Map.of("groups", List.of(g2))))
                        .status())
                .isEqualTo(200);
        // ra stays readable: group g1's r ∩ the owner's own rw grant on ra
        assertThat(h.get("/repository/" + ra + "/f").status()).isEqualTo(200);
        assertThat(server.admin().delete("/api/permissions/t-" + c.user()).status())
                .isIn(200, 204);
        assertThat(h.get("/repository/" + ra + "/f").status()).isEqualTo(403);
        // a group the user is not in cannot be requested by them
        assertThat(postForm(owner, "/access/api/v1/tokens", "scope=applied-permissions/groups:" + g1)
                        .status())
                .isEqualTo(403);
    }

    // ---- rule 5: secrets never shown again

    @Test
    void secretsNeverAppearInListingsMeOrErrors() {
        Http pw = Transport.BASIC_PASSWORD.with(server, reader);
        List<String> secrets =
                List.of(reader.key(), reader.token(), reader.refreshToken(), reader.session(), reader.password());
        List<String> bodies = new ArrayList<>();
        bodies.add(pw.get("/api/access-keys").body());
        bodies.add(pw.get("/access/api/v1/tokens").body());
        bodies.add(server.admin().get("/access/api/v1/tokens").body());
        bodies.add(
                server.admin().get("/api/access-keys?username=" + reader.user()).body());
        bodies.add(server.admin().get("/api/users/" + reader.user()).body());
        for (Transport t : Transport.values()) {
            bodies.add(t.with(server, reader).get("/api/me").body());
            bodies.add(t.with(server, reader).get("/api/access-keys").body());
        }
        for (String b : bodies) {
            for (String s : secrets) {
                assertThat(b).doesNotContain(s);
            }
        }
        assertThat(bodies.get(0)).contains(reader.keyId());
        assertThat(bodies.get(1)).contains(reader.tokenId());
    }

    @ParameterizedTest
    @MethodSource("secretTransports")
    void errorsDoNotEchoTheSecret(Transport t) {
        for (String s :
                List.of(revoked.secret(t.kind), mistype(revoked.secret(t.kind)), Secrets.generate(t.kind.secretKind))) {
            Http.Response r = t.apply(server.anonymous(), revoked, s).get("/repository/pub/a.txt");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body()).doesNotContain(s).doesNotContain(s.substring(6, 20));
        }
        // nor when a secret of this user is sent under another user's name
        Http.Response r =
                t.apply(server.anonymous(), other, reader.secret(t.kind)).get("/api/me");
        assertThat(r.body()).doesNotContain(reader.secret(t.kind));
    }

    @Test
    void passwordErrorsDoNotEchoThePassword() {
        Http.Response r =
                server.anonymous().basic(reader.user(), "hunter2-wrong").get("/api/me");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("hunter2");
        // a broken JSON login body must not be quoted back either
        Http.Response j = server.anonymous()
                .header("Content-Type", "application/json")
                .post("/api/tokens", "{\"username\":\"" + reader.user() + "\",\"password\":hunter2secret}");
        assertThat(j.status()).as(j.toString()).isEqualTo(400);
        assertThat(j.body()).doesNotContain("hunter2secret");
        Http.Response j2 = server.anonymous()
                .header("Content-Type", "application/json")
                .post("/api/tokens", "{\"username\":\"" + reader.user() + "\",\"password\":\"hunter3secret");
        assertThat(j2.status()).as(j2.toString()).isEqualTo(400);
        assertThat(j2.body()).doesNotContain("hunter3secret");
    }

    @Test
    void secretsNeverAppearInTheServersLog() {
        PrintStream original = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        System.setOut(tee);
        Creds c;
        try {
            c = newUser(server, "logged");
            for (Transport t : Transport.values()) {
                t.with(server, c).get("/api/me");
                t.apply(server.anonymous(), c, c.secret(t.kind) + "x").get("/api/me");
            }
            Http pw = Transport.BASIC_PASSWORD.with(server, c);
            postForm(
                    server.anonymous(),
                    "/access/api/v1/tokens",
                    "grant_type=refresh_token&refresh_token=" + c.refreshToken());
            pw.delete("/api/tokens/" + c.session());
            pw.delete("/api/access-keys/" + c.keyId());
        } finally {
            System.setErr(original);
            System.setOut(originalOut);
        }
        String log = captured.toString(StandardCharsets.UTF_8) + server.output;
        for (String s : List.of(c.key(), c.token(), c.refreshToken(), c.session(), c.password())) {
            assertThat(log).doesNotContain(s);
        }
    }

    // ---- rule 6: lockout of password login for one username; keys and tokens keep working

    @Test
    void repeatedWrongPasswordsLockPasswordLoginButNotKeysOrTokens() throws Exception {
        Creds c = newUser(lockServer, "locky");
        Fixtures.grantUser(lockServer, "t-" + c.user(), "priv", c.user(), "r");
        Http anon = lockServer.anonymous();
        for (int i = 0; i < 3; i++) {
            assert401(anon.basic(c.user(), "wrong-" + i).get("/repository/priv/a.txt"));
        }
        Http.Response locked = Transport.BASIC_PASSWORD.with(lockServer, c).get("/repository/priv/a.txt");
        assertThat(locked.status()).as(locked.toString()).isEqualTo(429);
        assertThat(locked.errorCode()).isNotBlank();
        long retry = Long.parseLong(locked.header("Retry-After"));
        assertThat(retry).isBetween(1L, 2L);
        Http.Response lockedLogin =
                postJson(anon, "/api/tokens", Map.of("username", c.user(), "password", c.password()));
        assertThat(lockedLogin.status()).isEqualTo(429);
        assertThat(lockedLogin.header("Retry-After")).isNotNull();
        for (Transport t : secretTransports().toList()) {
            assertThat(t.with(lockServer, c).get("/repository/priv/a.txt").status())
                    .as(t.toString())
                    .isEqualTo(200);
        }
        // another user's password login is unaffected
        assertThat(lockServer.admin().get("/api/me").status()).isEqualTo(200);
        Thread.sleep(retry * 1000 + 200);
        assertThat(Transport.BASIC_PASSWORD
                        .with(lockServer, c)
                        .get("/repository/priv/a.txt")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void wrongPasswordsAtTheLoginRouteCountTheSame() throws Exception {
        Creds c = newUser(lockServer, "lockz");
        Http anon = lockServer.anonymous();
        for (int i = 0; i < 3; i++) {
            assert401(postJson(anon, "/api/tokens", Map.of("username", c.user(), "password", "wrong-" + i)));
        }
        Http.Response r = Transport.BASIC_PASSWORD.with(lockServer, c).get("/api/me");
        assertThat(r.status()).as(r.toString()).isEqualTo(429);
        assertThat(r.header("Retry-After")).isNotNull();
        Http.Response l = postJson(anon, "/api/tokens", Map.of("username", c.user(), "password", c.password()));
        assertThat(l.status()).isEqualTo(429);
        assertThat(Transport.X_AUTH_TOKEN_SESSION
                        .with(lockServer, c)
                        .get("/api/me")
                        .status())
                .isEqualTo(200);
        Thread.sleep(Long.parseLong(r.header("Retry-After")) * 1000 + 200);
        assertThat(postJson(anon, "/api/tokens", Map.of("username", c.user(), "password", c.password()))
                        .status())
                .isEqualTo(200);
    }
}
