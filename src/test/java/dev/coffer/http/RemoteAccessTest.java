package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.RemoteFixtures;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.UpstreamServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reading a remote repository needs what reading any repository needs, decided before the upstream
 * is asked: a caller who may not read a path learns nothing of the upstream through it, and Coffer
 * asks the upstream for nobody who may not read what it asks for.
 */
class RemoteAccessTest {
    private static final String PASSWORD = "remote-access-password-1";
    private static TestServer server;
    private static UpstreamServer upstream;
    private static String priv;
    private static String pub;
    private static String dave;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        upstream = UpstreamServer.start();
        upstream.put("com/acme/a.txt", "a").put("org/other/b.txt", "b").put("pub/c.txt", "c");
        priv = Fixtures.unique("private-remote");
        pub = Fixtures.unique("public-remote");
        RemoteFixtures.remote(server, priv, upstream.url());
        RemoteFixtures.remote(server, pub, upstream.url(), java.util.Map.of("anonymousRead", true));
        dave = Fixtures.unique("dave");
        Fixtures.user(server, dave, PASSWORD);
        Fixtures.grant(server, Fixtures.unique("dave-acme"), List.of(priv), List.of("com/acme/**"), dave, "r");
    }

    @AfterAll
    static void stop() {
        upstream.close();
        server.close();
    }

    @Test
    void aCallerWhoMayNotReadAPathGetsTheRefusalAndTheUpstreamIsNotAsked() {
        Http asDave = server.anonymous().basic(dave, PASSWORD);
        assertThat(asDave.get("/repository/" + priv + "/com/acme/a.txt").body()).isEqualTo("a");
        Http.Response refused = asDave.get("/repository/" + priv + "/org/other/b.txt");
        Http.Response refusedMissing = asDave.get("/repository/" + priv + "/org/other/none.txt");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refusedMissing.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo(refusedMissing.errorCode()).isEqualTo("forbidden");
        assertThat(asDave.head("/repository/" + priv + "/org/other/b.txt").status())
                .isEqualTo(403);

        Http.Response anonymous = server.anonymous().get("/repository/" + priv + "/org/other/b.txt");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(upstream.gets("org/other/b.txt")).isZero();
        assertThat(upstream.gets("org/other/none.txt")).isZero();
    }

    @Test
    void aPublicRemoteFetchesForAnonymousCallers() {
        assertThat(server.anonymous().get("/repository/" + pub + "/pub/c.txt").body())
                .isEqualTo("c");
        assertThat(server.anonymous()
                        .put("/repository/" + pub + "/pub/d.txt", "d")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void theCacheApiNeedsSomeActionInTheRepository() {
        String eve = Fixtures.unique("eve");
        Fixtures.user(server, eve, PASSWORD);
        Http asEve = server.anonymous().basic(eve, PASSWORD);
        assertThat(asEve.get("/api/repositories/" + priv + "/cache").status()).isEqualTo(403);
        assertThat(asEve.delete("/api/repositories/" + priv + "/cache").status())
                .isEqualTo(403);
        assertThat(server.anonymous().get("/api/repositories/" + pub + "/cache").status())
                .isEqualTo(200);
        assertThat(server.anonymous()
                        .delete("/api/repositories/" + pub + "/cache")
                        .status())
                .isEqualTo(401);
    }
}
