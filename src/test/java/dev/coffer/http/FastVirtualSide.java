package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Bytes;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.MavenMetadataXml;
import dev.coffer.testing.RemoteFixtures;
import dev.coffer.testing.TestServer;
import dev.coffer.testing.UpstreamServer;
import dev.coffer.testing.VirtualFixtures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Virtual repositories for {@link FastDownloadsTest}, made alike on the server with the fast path
 * and the one without: {@code virt} (anonymous read) over a private local member, a public one and
 * a remote one whose upstream is shared by both servers, in that order; {@code virt2} (private) over
 * the remote member first, then the public one. Alice reads everything but {@code com/acme/secret}
 * in the private member; Bob may read the virtual repositories and nothing of their private or
 * remote members.
 */
final class FastVirtualSide {
    static final String LIB_JAR = "com/acme/lib/1.0/lib-1.0.jar";
    static final String LIB_POM = "com/acme/lib/1.0/lib-1.0.pom";
    static final String SECRET = "com/acme/secret/1.0/secret-1.0.jar";
    static final String PUB_JAR = "org/pub/x/1.0/x-1.0.jar";
    static final String PUB_BIG = "org/pub/x/1.0/x-1.0-big.jar";
    static final String UP_JAR = "org/up/y/1.0/y-1.0.jar";
    static final String UP_META = "org/up/y/maven-metadata.xml";
    static final String CACHED_JAR = "org/cached/z/1.0/z-1.0.jar";
    static final String META = "com/acme/lib/maven-metadata.xml";

    /** Paths under /repository/, each asked of both servers by every caller in every variant. */
    static final List<String> PATHS = List.of(
            "/repository/virt/" + LIB_JAR, // the private member only
            "/repository/virt/" + LIB_POM, // the private and the public member
            "/repository/virt/" + SECRET, // the private member, excluded for Alice
            "/repository/virt/" + PUB_JAR, // the public member only
            "/repository/virt/" + PUB_BIG, // the public member, too large for the fast path
            "/repository/virt/org/pub/x/1.0/none.jar", // no member
            "/repository/virt/" + META, // merged per caller
            "/repository/virt/" + META + ".sha1",
            "/repository/virt/" + UP_JAR, // the remote member, fetched on first use
            "/repository/virt/" + UP_META, // remote metadata: revalidated, never fast
            "/repository/virt/" + CACHED_JAR, // the remote member's cache only
            "/repository/virt/com/acme/lib/1.0/lib-1.0.jar;k=v",
            "/repository/virt/com/acme/lib/1.0",
            "/repository/virt/com/acme/lib/1.0/",
            "/repository/virt2/" + PUB_JAR, // the remote member first (absent upstream), then the public one
            "/repository/virt2/" + CACHED_JAR,
            "/repository/vpriv/" + LIB_JAR);

    private FastVirtualSide() {}

    /** The upstream of both servers' remote member. */
    static UpstreamServer upstream() {
        UpstreamServer u = UpstreamServer.start();
        u.put(UP_JAR, Bytes.pattern(2000));
        u.put(UP_META, "<metadata><groupId>org.up</groupId><artifactId>y</artifactId></metadata>");
        u.put(LIB_JAR, "dependency confusion: never served through the virtual repository");
        return u;
    }

    /** Makes the repositories, files and rights on {@code s}, and adds the callers only they need. */
    static void setUp(
            TestServer s, UpstreamServer upstream, String password, Map<String, UnaryOperator<Http>> callers) {
        VirtualFixtures.local(s, "vpriv", false);
        VirtualFixtures.local(s, "vpub", true);
        RemoteFixtures.remote(s, "vrem", upstream.url(), Map.of("anonymousRead", true));
        VirtualFixtures.virtual(s, "virt", true, null, "vpriv", "vpub", "vrem");
        VirtualFixtures.virtual(s, "virt2", false, null, "vrem", "vpub");
        Http admin = s.admin();
        Fixtures.put(admin, "/repository/vpriv/" + LIB_JAR, "private jar");
        Fixtures.put(admin, "/repository/vpriv/" + LIB_POM, "<project>private</project>");
        Fixtures.put(admin, "/repository/vpriv/" + SECRET, "not for alice");
        Fixtures.put(admin, "/repository/vpriv/" + META, MavenMetadataXml.ga("20240101101010", "1.0", "1.0", "1.0"));
        Fixtures.put(admin, "/repository/vpub/" + LIB_POM, "<project>public</project>");
        Fixtures.put(admin, "/repository/vpub/" + PUB_JAR, "public jar");
        Fixtures.put(admin, "/repository/vpub/" + META, MavenMetadataXml.ga("20240202101010", "2.0", "2.0", "2.0"));
        assertThat(admin.put("/repository/vpub/" + PUB_BIG, Bytes.pattern(100_000))
                        .status())
                .isEqualTo(201);
        VirtualFixtures.stored(s, "vrem", CACHED_JAR, "cached from upstream");
        Fixtures.permission(
                s,
                "alice-vpriv",
                "vpriv",
                List.of("**"),
                List.of("com/acme/secret/**"),
                Map.of("alice", List.of("r")),
                Map.of());
        for (String repo : List.of("virt", "virt2", "vrem")) {
            Fixtures.permission(
                    s, "alice-" + repo, repo, List.of("**"), List.of(), Map.of("alice", List.of("r")), Map.of());
        }
        for (String repo : List.of("virt", "virt2")) {
            Fixtures.permission(
                    s, "bob-" + repo, repo, List.of("**"), List.of(), Map.of("bob", List.of("r")), Map.of());
        }
        Http alice = s.anonymous().basic("alice", password);
        callers.put("virtual token", bearer(token(alice, "artifact:virt/**:r")));
        callers.put("narrow virtual token", bearer(token(alice, "artifact:virt/com/acme/lib/**:r")));
        callers.put("member token", bearer(token(alice, "artifact:vpriv/**:r artifact:vpub/**:r")));
        callers.put("bob", h -> h.basic("bob", password));
    }

    private static UnaryOperator<Http> bearer(String token) {
        return h -> h.bearer(token);
    }

    private static String token(Http owner, String scope) {
        String t = owner.header("Content-Type", "application/x-www-form-urlencoded")
                .post("/access/api/v1/tokens", "scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8))
                .json()
                .path("access_token")
                .asText();
        assertThat(t).as(scope).isNotEmpty();
        return t;
    }
}
