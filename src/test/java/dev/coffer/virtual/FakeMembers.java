package dev.coffer.virtual;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.authz.Authorizer;
import dev.coffer.authz.PermissionIndex;
import dev.coffer.authz.PermissionTarget;
import dev.coffer.authz.RepoAccess;
import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.Checksums;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.remote.Delivery;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.PathFilter;
import dev.coffer.repository.RemoteSettings;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryClass;
import dev.coffer.repository.VirtualSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Repositories, their files and the rights on them, in memory, for the virtual layer's tests: a
 * {@link MemberContent} that is also a test double of a remote member (it asks no upstream), and
 * rights decided by the real {@link Authorizer} over permission targets the test gives.
 */
final class FakeMembers implements MemberContent {
    final Map<String, Repository> repos = new LinkedHashMap<>();
    final Map<String, Map<ArtifactPath, byte[]>> files = new HashMap<>();
    final Set<String> down = new HashSet<>();
    /** Members whose upstream breaks off: a response to stream into is begun, then cut off. */
    final Set<String> cutMidway = new HashSet<>();

    final List<String> asked = new ArrayList<>();
    final List<PermissionTarget> targets = new ArrayList<>();

    Repository local(String name, boolean anonymousRead, PathFilter filter) {
        return add(new Repository(
                name, "", anonymousRead, PackageType.MAVEN, RepositoryClass.LOCAL, filter, null, null, 0, 0));
    }

    Repository local(String name) {
        return local(name, false, PathFilter.ALL);
    }

    Repository remote(String name, boolean anonymousRead) {
        return add(new Repository(
                name,
                "",
                anonymousRead,
                PackageType.MAVEN,
                RepositoryClass.REMOTE,
                PathFilter.ALL,
                new RemoteSettings(URI.create("https://upstream.example/" + name), null, null, 600, false),
                null,
                0,
                0));
    }

    Repository virtual(String name, PackageType type, boolean anonymousRead, String deployTo, String... members) {
        return add(new Repository(
                name,
                "",
                anonymousRead,
                type,
                RepositoryClass.VIRTUAL,
                PathFilter.ALL,
                null,
                new VirtualSettings(List.of(members), deployTo),
                0,
                0));
    }

    private Repository add(Repository r) {
        repos.put(r.name(), r);
        return r;
    }

    void file(String repo, String path, String content) {
        files.computeIfAbsent(repo, k -> new TreeMap<>())
                .put(ArtifactPath.of(path), content.getBytes(StandardCharsets.UTF_8));
    }

    MemberRights rights() {
        Authorizer authz = new Authorizer();
        return (caller, action, repo, path) -> authz.allows(
                caller.principal(),
                action,
                new RepoAccess(repo, repos.containsKey(repo) && repos.get(repo).anonymousRead()),
                path,
                PermissionIndex.of(targets));
    }

    VirtualResolver resolver() {
        return new VirtualResolver(n -> Optional.ofNullable(repos.get(n)), this, this, rights());
    }

    private Map<ArtifactPath, byte[]> of(Repository member) {
        if (down.contains(member.name())) {
            throw new CofferException(new Failure.Unavailable("upstream_unavailable", member.name() + " is down"));
        }
        return files.getOrDefault(member.name(), Map.of());
    }

    @Override
    public Optional<FileRecord> find(Repository member, ArtifactPath path) {
        asked.add(member.name() + ":" + path);
        byte[] b = of(member).get(path);
        if (b == null) {
            return Optional.empty();
        }
        Generated g = Generated.of(member.name(), path, b, 1000, 2000);
        return Optional.of(g.file());
    }

    @Override
    public Optional<Found> answer(Repository member, ArtifactPath path, Delivery delivery) {
        if (cutMidway.contains(member.name())) {
            asked.add(member.name() + ":" + path);
            if (delivery != null) {
                try {
                    delivery.begin(-1, null).write(1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                delivery.abort(new IOException("cut off"));
            }
            throw new CofferException(new Failure.BadGateway("upstream_unavailable", member.name() + " broke off"));
        }
        return MemberContent.super.answer(member, path, delivery);
    }

    @Override
    public BlobHandle open(FileRecord file) {
        return new Generated(file, files.get(file.repo()).get(file.path())).handle();
    }

    @Override
    public Optional<List<ArtifactService.Child>> children(
            Repository member, ArtifactPath folder, Predicate<ArtifactPath> readable) {
        Map<String, ArtifactService.Child> out = new TreeMap<>();
        for (Map.Entry<ArtifactPath, byte[]> e : of(member).entrySet()) {
            ArtifactPath p = e.getKey();
            if (p.depth() <= folder.depth() || !folder.isSameOrAncestorOf(p) || !readable.test(p)) {
                continue;
            }
            String name = p.segments().get(folder.depth());
            boolean isFile = p.depth() == folder.depth() + 1;
            FileRecord f = isFile
                    ? new FileRecord(
                            member.name(), p, e.getValue().length, new Checksums("0", "0", "0"), 0, 0, null, null)
                    : null;
            out.putIfAbsent(name, new ArtifactService.Child(name, !isFile, f));
        }
        if (out.isEmpty() && !folder.isRoot()) {
            return Optional.empty();
        }
        return Optional.of(new ArrayList<>(out.values()));
    }

    @Override
    public boolean holdsAnythingAt(Repository member, ArtifactPath path) {
        return of(member).keySet().stream().anyMatch(path::isSameOrAncestorOf);
    }
}
