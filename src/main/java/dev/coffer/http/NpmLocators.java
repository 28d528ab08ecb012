package dev.coffer.http;

import dev.coffer.admission.Locator;
import dev.coffer.admission.RepoTarget;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.format.npm.NpmErrors;
import dev.coffer.format.npm.NpmRequest;
import dev.coffer.repository.RepositoryService;
import java.util.Map;

/**
 * What admission decides npm registry requests about: the format parses the path ({@link
 * NpmRequest}); naming the target for admission stays with the entry points.
 */
final class NpmLocators {
    private NpmLocators() {}

    /** Admission's target for a request on a package or one of its tarballs. */
    static final Locator LOCATOR = request -> {
        NpmRequest n = NpmRequest.parse(request.rawPath());
        return new RepoTarget(n.repo(), n.path(), false, Map.of());
    };

    /**
     * Admission's target for a request that changes the package even where it names a tarball:
     * {@code DELETE /{name}/-/{file}/-rev/{rev}} takes a version out of the package's document, so
     * it needs {@code d} on the package (ISSUE 19); the tarball is decided again where it is removed.
     */
    static final Locator PACKAGE = request -> {
        NpmRequest n = NpmRequest.parse(request.rawPath());
        return new RepoTarget(n.repo(), n.packagePath(), false, Map.of());
    };

    /** Admission's target for a request on the whole repository (search): its root. */
    static final Locator ROOT = request -> {
        String rest = request.rawPath().substring(NpmErrors.PREFIX.length());
        String repo = ArtifactPath.percentDecode(rest.substring(0, Math.max(0, rest.indexOf('/'))));
        if (!RepositoryService.isValidName(repo)) {
            throw CofferException.invalid("path_invalid", "not a valid repository name");
        }
        return new RepoTarget(repo, ArtifactPath.ROOT, true, Map.of());
    };
}
