package dev.coffer.admission;

import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.repository.RepositoryService;
import java.util.Map;

/**
 * How a route finds the repository and path its request addresses. Each package format brings its
 * own (npm's scoped names, OCI's image names); admission decides on what it finds.
 */
@FunctionalInterface
public interface Locator {
    /**
     * The target of the request.
     *
     * @throws dev.coffer.common.CofferException a 400 when the request names no valid target
     */
    RepoTarget locate(RequestView request);

    /** {@code prefix{repo}/{path}}, without matrix parameters. */
    static Locator under(String prefix) {
        return new Under(prefix, false);
    }

    /** {@code prefix{repo}/{path}} of an upload, whose matrix parameters are properties. */
    static Locator uploadUnder(String prefix) {
        return new Under(prefix, true);
    }

    /**
     * The root of the repository named by the path parameter {@code repoParam}: an operation on all
     * of it (a cache purge), decided as one on the root path ({@code DELETE /repository/{repo}/}).
     */
    static Locator repositoryRoot(String repoParam) {
        return new Root(repoParam);
    }

    /** See {@link #repositoryRoot}. */
    record Root(String repoParam) implements Locator {
        @Override
        public RepoTarget locate(RequestView request) {
            String repo = request.pathParam(repoParam);
            if (repo == null || !RepositoryService.isValidName(repo)) {
                throw CofferException.invalid("path_invalid", "not a valid repository name");
            }
            return new RepoTarget(repo, ArtifactPath.ROOT, true, Map.of());
        }
    }

    /** The raw path below {@code prefix}; see {@link RepoTarget}. */
    record Under(String prefix, boolean properties) implements Locator {
        @Override
        public RepoTarget locate(RequestView request) {
            return properties
                    ? RepoTarget.parseUpload(request.rawPath(), prefix)
                    : RepoTarget.parse(request.rawPath(), prefix);
        }
    }
}
