package dev.coffer.format.npm;

import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import java.util.regex.Pattern;

/**
 * npm package names and where they live in the repository (API.md §10): the package {@code
 * @acme/web} is the path {@code @acme/web}, its tarball {@code @acme/web/-/web-1.0.0.tgz}, so path
 * patterns and scoped tokens ({@code artifact:npm-local/@acme/**:r}) apply to npm unchanged.
 */
public final class NpmNames {
    // npm's own rules (validate-npm-package-name): URL-safe, no leading '.' or '_', at most 214
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9~-][A-Za-z0-9._~-]*");
    private static final Pattern VERSION =
            Pattern.compile("\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}(-[0-9A-Za-z.-]{1,128})?(\\+[0-9A-Za-z.-]{1,128})?");
    private static final Pattern TAG = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,127}");
    static final int MAX_NAME = 214;

    private NpmNames() {}

    /** A package name as npm sends it, decoded ({@code @acme%2fweb} is {@code @acme/web}); 400 when not one. */
    public static String name(String decoded) {
        if (decoded == null || decoded.isEmpty() || decoded.length() > MAX_NAME) {
            throw invalidName(decoded);
        }
        String rest = decoded;
        if (decoded.startsWith("@")) {
            int slash = decoded.indexOf('/');
            if (slash < 2 || !PART.matcher(decoded.substring(1, slash)).matches()) {
                throw invalidName(decoded);
            }
            rest = decoded.substring(slash + 1);
        }
        if (!PART.matcher(rest).matches()) {
            throw invalidName(decoded);
        }
        return decoded;
    }

    private static CofferException invalidName(String n) {
        return CofferException.invalid(
                "package_name_invalid",
                "not a valid npm package name: names are up to " + MAX_NAME + " URL-safe characters "
                        + "(letters, digits, '-', '.', '_', '~'), optionally scoped as @scope/name");
    }

    /** A semantic version as npm publishes them; 400 naming {@code field} when not one. */
    public static String version(String v, String field) {
        if (v == null || v.length() > 256 || !VERSION.matcher(v).matches()) {
            throw CofferException.invalid("version_invalid", "'" + field + "' must be a semantic version (1.2.3)");
        }
        return v;
    }

    /** A dist-tag name; one that is a version or a range would be confused with one by npm. */
    public static String tag(String t) {
        if (t == null || !TAG.matcher(t).matches()) {
            throw CofferException.invalid(
                    "tag_invalid", "a dist-tag is a letter followed by up to 127 letters, digits, '.', '_' or '-'");
        }
        return t;
    }

    /** The package's path: its name. */
    public static ArtifactPath path(String name) {
        return ArtifactPath.of(name);
    }

    /**
     * The package a path belongs to ({@code @acme/web} of {@code @acme/web/-/web-1.0.0.tgz}); empty
     * for the root or a lone scope.
     */
    public static java.util.Optional<ArtifactPath> packageOf(ArtifactPath path) {
        java.util.List<String> segs = path.segments();
        int n = !segs.isEmpty() && segs.get(0).startsWith("@") ? 2 : 1;
        if (segs.size() < n) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(ArtifactPath.of(String.join("/", segs.subList(0, n))));
    }

    /** The unscoped part of a name ({@code web} of {@code @acme/web}): npm names tarballs after it. */
    public static String base(String name) {
        return name.substring(name.indexOf('/') + 1);
    }

    /** The tarball file of a version, as the npm registry names it: {@code web-1.0.0.tgz}. */
    public static String tarballFile(String name, String version) {
        return base(name) + "-" + version + ".tgz";
    }

    /** The path of a tarball file of the package; 400 when the file is not one npm would name. */
    public static ArtifactPath tarballPath(String name, String file) {
        if (file == null
                || !file.endsWith(".tgz")
                || file.length() > 255
                || !PART.matcher(file).matches()) {
            throw CofferException.invalid("path_invalid", "a tarball is named {name}-{version}.tgz");
        }
        return ArtifactPath.of(name + "/-/" + file);
    }
}
