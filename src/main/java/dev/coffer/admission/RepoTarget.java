package dev.coffer.admission;

import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.repository.RepositoryService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The repository and path a request addresses, parsed from the raw (still percent-encoded) URI so
 * that encoded slashes and dot segments are seen and rejected, never normalised away. Matrix
 * parameters ({@code ;k=v}) on the last segment are Artifactory's way to set properties at
 * upload, and mean nothing elsewhere: on any other request a raw ';' is 400 {@code path_invalid},
 * so that it can never change which path is decided on (`DELETE /repository/r/;x` is not the root).
 */
public record RepoTarget(String repo, ArtifactPath path, boolean trailingSlash, Map<String, List<String>> matrix) {

    /** The target of a request that is not an upload: no matrix parameters. */
    public static RepoTarget parse(String rawUri, String prefix) {
        return parse(rawUri, prefix, false);
    }

    /** The target of an upload (PUT /repository/...): properties may come as matrix parameters. */
    public static RepoTarget parseUpload(String rawUri, String prefix) {
        return parse(rawUri, prefix, true);
    }

    private static RepoTarget parse(String rawUri, String prefix, boolean matrixAllowed) {
        if (!rawUri.startsWith(prefix)) {
            throw CofferException.invalid("path_invalid", "not a repository path");
        }
        String rest = rawUri.substring(prefix.length());
        int slash = rest.indexOf('/');
        String rawRepo = slash < 0 ? rest : rest.substring(0, slash);
        String rawPath = slash < 0 ? "" : rest.substring(slash + 1);
        String repo = ArtifactPath.percentDecode(rawRepo);
        if (!RepositoryService.isValidName(repo)) {
            throw CofferException.invalid("path_invalid", "not a valid repository name");
        }
        boolean trailing = rawPath.endsWith("/") || (slash >= 0 && rawPath.isEmpty()) || slash < 0;
        Map<String, List<String>> matrix = new LinkedHashMap<>();
        // the last segment is the one before a trailing '/', so "a/b;k=v/" carries properties too
        String body = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        int lastSlash = body.lastIndexOf('/');
        int firstSemi = body.indexOf(';');
        if (firstSemi >= 0 && !matrixAllowed) {
            throw CofferException.invalid(
                    "path_invalid",
                    "matrix parameters (;key=value) set properties at upload and are only accepted on PUT");
        }
        if (firstSemi >= 0 && firstSemi < lastSlash) {
            throw CofferException.invalid("path_invalid", "matrix parameters are only allowed on the last segment");
        }
        if (firstSemi >= 0) {
            parseMatrix(body.substring(firstSemi + 1), matrix);
            // keep the trailing '/' itself: "a//" must still show its empty segment to the parser
            rawPath = body.substring(0, firstSemi) + (rawPath.endsWith("/") ? "/" : "");
        }
        return new RepoTarget(repo, ArtifactPath.parseEncoded(rawPath), trailing, matrix);
    }

    private static void parseMatrix(String raw, Map<String, List<String>> out) {
        for (String part : raw.split(";")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = ArtifactPath.percentDecode(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? "" : ArtifactPath.percentDecode(part.substring(eq + 1));
            if (key.isBlank() || key.length() > 255 || value.length() > 4096) {
                throw CofferException.invalid(
                        "property_invalid", "property names are 1-255 characters, values up to 4096");
            }
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }
}
