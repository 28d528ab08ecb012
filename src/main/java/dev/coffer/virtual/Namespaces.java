package dev.coffer.virtual;

import dev.coffer.common.ArtifactPath;
import dev.coffer.format.maven.MavenLayout;
import dev.coffer.format.npm.NpmNames;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.Repository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Namespace protection of one virtual repository, for one request (API.md §9: dependency
 * confusion): a path whose namespace (Maven: its {@code groupId/artifactId} folder) holds anything
 * in any local member is never taken from a remote member (npm: its package name). Every local member counts, whatever its
 * patterns and whoever asks: what may be shadowed is a property of the repositories, not of the
 * caller. Generic repositories have no namespaces: member order alone decides there.
 *
 * <p>Answers are remembered for the request (a listing asks for many paths of one namespace).
 */
final class Namespaces {
    private final PackageType type;
    private final List<Repository> locals;
    private final MemberContent content;
    private final Map<ArtifactPath, Boolean> held = new HashMap<>();

    Namespaces(Repository virtual, List<Repository> members, MemberContent localContent) {
        this.type = virtual.packageType();
        this.locals = members.stream().filter(Repository::isLocal).toList();
        this.content = localContent;
    }

    /** The namespace of {@code path} for this repository's package type; empty where there is none. */
    static Optional<ArtifactPath> of(PackageType type, ArtifactPath path) {
        return switch (type) {
            case MAVEN -> MavenLayout.namespace(path);
            case NPM -> NpmNames.packageOf(path);
            default -> Optional.empty();
        };
    }

    /** Is {@code path} kept from remote members? */
    boolean protects(ArtifactPath path) {
        Optional<ArtifactPath> ns = of(type, path);
        if (ns.isEmpty() || locals.isEmpty()) {
            return false;
        }
        return held.computeIfAbsent(ns.get(), n -> locals.stream().anyMatch(l -> content.holdsAnythingAt(l, n)));
    }
}
