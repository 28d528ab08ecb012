package dev.coffer.remote;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.authz.PathPattern;
import dev.coffer.common.ArtifactPath;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.PathFilter;
import dev.coffer.repository.Repository;
import java.util.List;
import java.util.Set;

/**
 * What a path of a remote repository is, which decides how it is cached (API.md §9):
 *
 * <ul>
 *   <li><b>metadata</b> (maven: {@code maven-metadata.xml} and its checksum files, and anything
 *       under a {@code -SNAPSHOT} version folder; npm: everything but tarballs, i.e. the cached
 *       package documents; generic: nothing) is revalidated after {@code
 *       cacheSeconds};
 *   <li>everything else is <b>content</b>, cached for good;
 *   <li><b>checksum files</b> ({@code .md5}, {@code .sha1}, {@code .sha256}, {@code .sha512}) and
 *       {@code maven-metadata.xml} are cached as the upstream sends them; every other file is
 *       checked against the upstream's {@code .sha1} first.
 * </ul>
 *
 * Also whether a path is within the repository's include/exclude patterns (outside them, the
 * upstream is never asked). Pure and in memory: the fast download path asks it too.
 */
public final class RemotePaths {
    private static final Set<String> CHECKSUMS = Set.of("md5", "sha1", "sha256", "sha512");
    private static final String METADATA = "maven-metadata.xml";

    private record Compiled(List<PathPattern> include, List<PathPattern> exclude) {}

    // a repository's patterns are compiled once (the fast path asks on every download)
    private final Cache<PathFilter, Compiled> compiled =
            Caffeine.newBuilder().maximumSize(1_000).build();

    /** Within the repository's include patterns and outside its exclude patterns. */
    public boolean within(Repository repo, ArtifactPath path) {
        PathFilter f = repo.filter();
        if (f.equals(PathFilter.ALL)) {
            return true;
        }
        Compiled c = compiled.get(f, RemotePaths::compile);
        return c.include().stream().anyMatch(p -> p.matches(path))
                && c.exclude().stream().noneMatch(p -> p.matches(path));
    }

    private static Compiled compile(PathFilter f) {
        // the patterns were validated when the repository was saved
        return new Compiled(
                f.includePatterns().stream().map(PathPattern::compile).toList(),
                f.excludePatterns().stream().map(PathPattern::compile).toList());
    }

    /** Revalidated after cacheSeconds rather than cached for good. */
    public static boolean isMetadata(PackageType type, ArtifactPath path) {
        if (type == PackageType.NPM) {
            return !path.isRoot() && !isNpmTarball(path);
        }
        if (type != PackageType.MAVEN || path.isRoot()) {
            return false;
        }
        String name = path.name();
        if (name.equals(METADATA) || (name.startsWith(METADATA + ".") && CHECKSUMS.contains(extension(name)))) {
            return true;
        }
        List<String> segs = path.segments();
        for (int i = 0; i < segs.size() - 1; i++) {
            if (segs.get(i).endsWith("-SNAPSHOT")) {
                return true;
            }
        }
        return false;
    }

    /** npm: {@code {name}/-/{file}.tgz}, content; everything else of an npm remote is a package document. */
    static boolean isNpmTarball(ArtifactPath path) {
        List<String> segs = path.segments();
        return segs.size() >= 3
                && segs.get(segs.size() - 2).equals("-")
                && path.name().endsWith(".tgz");
    }

    /** A checksum file: cached as the upstream sends it. */
    public static boolean isChecksum(ArtifactPath path) {
        return !path.isRoot() && path.name().indexOf('.') > 0 && CHECKSUMS.contains(extension(path.name()));
    }

    /** Checked against the upstream's {@code .sha1} before it is cached. */
    static boolean isVerified(ArtifactPath path) {
        return !path.isRoot() && !isChecksum(path) && !path.name().equals(METADATA);
    }

    /**
     * May a cached copy be served without asking the upstream, by whatever path serves it: a
     * local repository's files, and a remote one's content files within its patterns. Never a
     * remote's metadata (it must be revalidated) and never a virtual repository (it has no files of
     * its own).
     */
    public boolean servableAsCached(Repository repo, ArtifactPath path) {
        if (repo.isLocal()) {
            return true;
        }
        return repo.isRemote() && !isMetadata(repo.packageType(), path) && within(repo, path);
    }

    private static String extension(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
