package dev.coffer.admission;

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
