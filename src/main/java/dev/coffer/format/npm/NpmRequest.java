package dev.coffer.format.npm;

import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.repository.RepositoryService;

/**
 * What an npm registry request addresses, read from the raw path below {@code /api/npm/{repo}/}:
 * a package ({@code web}, {@code @acme%2fweb} or {@code @acme/web}), maybe one of its tarballs
 * ({@code /-/web-1.0.0.tgz}), a {@code /-rev/{rev}}, or the dist-tags of a package ({@code
 * -/package/{name}/dist-tags[/{tag}]}). Parsed from the raw path so that an encoded slash is seen.
 *
 * @param file the tarball file, or null
 * @param rev the {@code _rev} named, or null
 * @param tag the dist-tag named, or null
 */
public record NpmRequest(String repo, String name, String file, String rev, String tag) {

    /** Parses {@code rawPath} (percent-encoded, without the query); 400 when it names no package. */
    public static NpmRequest parse(String rawPath) {
        if (!rawPath.startsWith(NpmErrors.PREFIX)) {
            throw CofferException.invalid("path_invalid", "not an npm registry path");
        }
        String rest = rawPath.substring(NpmErrors.PREFIX.length());
        int slash = rest.indexOf('/');
        String repo = ArtifactPath.percentDecode(slash < 0 ? rest : rest.substring(0, slash));
        if (!RepositoryService.isValidName(repo)) {
            throw CofferException.invalid("path_invalid", "not a valid repository name");
        }
        rest = slash < 0 ? "" : rest.substring(slash + 1);
        if (rest.startsWith("-/package/")) {
            String p = rest.substring("-/package/".length());
            int at = p.indexOf("/dist-tags");
            if (at < 0) {
                throw CofferException.invalid("path_invalid", "not an npm registry path");
            }
            String after = p.substring(at + "/dist-tags".length());
            String tag = after.isEmpty() ? null : after.startsWith("/") ? decode(after.substring(1)) : null;
            if (!after.isEmpty() && tag == null) {
                throw CofferException.invalid("path_invalid", "not an npm registry path");
            }
            return new NpmRequest(repo, NpmNames.name(decode(p.substring(0, at))), null, null, tag);
        }
        String rev = null;
        int r = rest.indexOf("/-rev/");
        if (r >= 0) {
            rev = decode(rest.substring(r + "/-rev/".length()));
            rest = rest.substring(0, r);
        }
        String file = null;
        int t = rest.indexOf("/-/");
        if (t >= 0) {
            file = decode(rest.substring(t + "/-/".length()));
            rest = rest.substring(0, t);
        }
        String name = NpmNames.name(decode(rest));
        if (file != null) {
            NpmNames.tarballPath(name, file); // validates it
        }
        return new NpmRequest(repo, name, file, rev, null);
    }

    private static String decode(String raw) {
        return ArtifactPath.percentDecode(raw);
    }

    /** The package's path. */
    public ArtifactPath packagePath() {
        return NpmNames.path(name);
    }

    /** The path a decision is about: the tarball's when one is named, else the package's. */
    public ArtifactPath path() {
        return file != null ? NpmNames.tarballPath(name, file) : packagePath();
    }
}
