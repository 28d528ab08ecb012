package dev.coffer.testing;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.common.ArtifactPath;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maven repositories of every class on a running {@link TestServer}, made through the repository
 * API (API.md §9), and content in a remote repository's cache (its own namespace in the store), put
 * there as a fetch would.
 */
public final class VirtualFixtures {
    private VirtualFixtures() {}

    private static void create(Server s, String name, Map<String, Object> body) {
        Fixtures.expect(
                s.admin().putJson("/api/repositories/" + name, Fixtures.json(body)),
                "create repository " + name + " " + body,
                201);
    }

    /** A local Maven repository asked by virtual repositories for {@code includes} minus {@code excludes}. */
    public static void local(
            Server s, String name, boolean anonymousRead, List<String> includes, List<String> excludes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "local " + name);
        body.put("anonymousRead", anonymousRead);
        body.put("packageType", "maven");
        body.put("rclass", "local");
        body.put("includePatterns", includes);
        body.put("excludePatterns", excludes);
        create(s, name, body);
    }

    public static void local(Server s, String name, boolean anonymousRead) {
        local(s, name, anonymousRead, List.of("**"), List.of());
    }

    /** A remote Maven repository whose upstream is never asked (offline): it serves what is in its cache. */
    public static void remote(Server s, String name, boolean anonymousRead) {
        create(
                s,
                name,
                Map.of(
                        "description",
                        "remote " + name,
                        "anonymousRead",
                        anonymousRead,
                        "packageType",
                        "maven",
                        "rclass",
                        "remote",
                        "url",
                        "http://127.0.0.1:9/" + name,
                        "offline",
                        true));
    }

    /** A virtual Maven repository over {@code members} in order; {@code deployTo} may be null. */
    public static void virtual(Server s, String name, boolean anonymousRead, String deployTo, String... members) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "virtual " + name);
        body.put("anonymousRead", anonymousRead);
        body.put("packageType", "maven");
        body.put("rclass", "virtual");
        body.put("repositories", List.of(members));
        if (deployTo != null) {
            body.put("defaultDeployRepo", deployTo);
        }
        create(s, name, body);
    }

    /**
     * Stores {@code content} at {@code path} under {@code repo}'s name straight in the store, as a
     * remote repository's fetch caches it (and as no HTTP route may for a virtual repository).
     */
    public static void stored(TestServer s, String repo, String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        s.coffer()
                .services()
                .artifacts()
                .upload(new ArtifactService.Upload(
                        repo,
                        ArtifactPath.of(path),
                        new ByteArrayInputStream(bytes),
                        ArtifactService.Expected.NONE,
                        Map.of(),
                        true,
                        "upstream",
                        -1));
    }
}
