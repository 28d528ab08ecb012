package dev.coffer.testing;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.common.ArtifactPath;
import dev.coffer.repository.RepositoryService;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Maven repositories of every class on a running {@link TestServer}, made through its services (the
 * repository JSON of API.md §9 reaches the HTTP routes in another branch), and content in a remote
 * repository's cache (its own namespace in the store), put there as a fetch would.
 */
public final class VirtualFixtures {
    private VirtualFixtures() {}

    private static RepositoryService repositories(TestServer s) {
        return s.coffer().services().repositories();
    }

    /** A local Maven repository asked by virtual repositories for {@code includes} minus {@code excludes}. */
    public static void local(
            TestServer s, String name, boolean anonymousRead, List<String> includes, List<String> excludes) {
        repositories(s)
                .put(
                        name,
                        RepositoryService.Change.builder()
                                .description("local " + name)
                                .anonymousRead(anonymousRead)
                                .packageType("maven")
                                .rclass("local")
                                .includePatterns(includes)
                                .excludePatterns(excludes)
                                .build());
    }

    public static void local(TestServer s, String name, boolean anonymousRead) {
        local(s, name, anonymousRead, List.of("**"), List.of());
    }

    /** A remote Maven repository whose upstream never answers (offline): it serves what is in its cache. */
    public static void remote(TestServer s, String name, boolean anonymousRead) {
        repositories(s)
                .put(
                        name,
                        RepositoryService.Change.builder()
                                .description("remote " + name)
                                .anonymousRead(anonymousRead)
                                .packageType("maven")
                                .rclass("remote")
                                .url("http://127.0.0.1:9/" + name + "/")
                                .offline(true)
                                .build());
    }

    /** A virtual Maven repository over {@code members} in order; {@code deployTo} may be null. */
    public static void virtual(TestServer s, String name, boolean anonymousRead, String deployTo, String... members) {
        repositories(s)
                .put(
                        name,
                        RepositoryService.Change.builder()
                                .description("virtual " + name)
                                .anonymousRead(anonymousRead)
                                .packageType("maven")
                                .rclass("virtual")
                                .members(List.of(members))
                                .defaultDeployRepo(deployTo)
                                .build());
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
