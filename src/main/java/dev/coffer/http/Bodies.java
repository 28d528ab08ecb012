package dev.coffer.http;

import static dev.coffer.http.BodyShape.Type.ANY;
import static dev.coffer.http.BodyShape.Type.BOOLEAN;
import static dev.coffer.http.BodyShape.Type.INTEGER;
import static dev.coffer.http.BodyShape.Type.TEXT;
import static dev.coffer.http.BodyShape.Type.TEXTS;

import dev.coffer.authz.PermissionTarget;

/**
 * Every request body Coffer reads, in one place: the fields each may carry and what Coffer does
 * with them ({@link BodyShape}). A field that is not here is refused; a borrowed product's field
 * that Coffer ignores says so here.
 */
final class Bodies {
    private Bodies() {}

    /** A list element of a body whose values the service checks (it names the field and the code). */
    private static final BodyShape.Check CHECKED_BY_SERVICE = v -> null;

    /**
     * Our fields (API.md §3, §9); our read-only output, ignored (a client may PUT back what GET
     * returned); and Artifactory's repository configuration, as this is its route: its fields that
     * mean nothing here are ignored, and those that would narrow what a repository serves are
     * accepted only with their default value, since ignoring another would serve more than was
     * asked for. Artifactory's comma-separated {@code includesPattern}/{@code excludesPattern} are
     * read as our lists. The values are checked by {@code RepositoryService}, for every entry point.
     */
    static final BodyShape REPOSITORY = BodyShape.of("a repository")
            .read("name", TEXT)
            .read("description", TEXT)
            .read("anonymousRead", BOOLEAN)
            .read("packageType", TEXT)
            .read("rclass", TEXT)
            .read("url", TEXT)
            .read("username", TEXT)
            .read("password", TEXT)
            .list("repositories", CHECKED_BY_SERVICE, null, Json.MAX_ENTRIES)
            .read("defaultDeployRepo", TEXT)
            .list("includePatterns", CHECKED_BY_SERVICE, null, Json.MAX_ENTRIES)
            .list("excludePatterns", CHECKED_BY_SERVICE, null, Json.MAX_ENTRIES)
            .read("cacheSeconds", INTEGER)
            .read("offline", BOOLEAN)
            .ignored("created", TEXT)
            .ignored("lastModified", TEXT)
            .ignored("actions", TEXT)
            .read("key", TEXT)
            .read("includesPattern", TEXT)
            .read("excludesPattern", TEXT)
            .hint("defaultDeploymentRepo", "Artifactory's name: Coffer reads 'defaultDeployRepo'")
            .hint("retrievalCachePeriodSecs", "Artifactory's name: Coffer reads 'cacheSeconds'")
            .neutralOnly(
                    "blackedOut",
                    BOOLEAN,
                    "Coffer cannot black out a repository (remove its permission targets "
                            + "instead); send false or leave it out",
                    "false")
            .neutralOnly(
                    "handleReleases",
                    BOOLEAN,
                    "a Coffer repository takes every version; send true or leave it " + "out",
                    "true")
            .neutralOnly(
                    "handleSnapshots",
                    BOOLEAN,
                    "a Coffer repository takes every version; send true or leave it " + "out",
                    "true")
            .neutralOnly("projectKey", TEXT, "Coffer has no projects; leave it out", "")
            .ignored("environments", TEXTS)
            .ignored("notes", TEXT)
            .ignored("repoLayoutRef", TEXT)
            .ignored("debianTrivialLayout", BOOLEAN)
            .ignored("checksumPolicyType", TEXT)
            .ignored("maxUniqueSnapshots", INTEGER)
            .ignored("maxUniqueTags", INTEGER)
            .ignored("snapshotVersionBehavior", TEXT)
            .ignored("suppressPomConsistencyChecks", BOOLEAN)
            .ignored("xrayIndex", BOOLEAN)
            .ignored("propertySets", TEXTS)
            .ignored("archiveBrowsingEnabled", BOOLEAN)
            .ignored("calculateYumMetadata", BOOLEAN)
            .ignored("yumRootDepth", INTEGER)
            .ignored("dockerApiVersion", TEXT)
            .ignored("enableFileListsIndexing", ANY)
            .ignored("downloadRedirect", BOOLEAN)
            .ignored("cdnRedirect", BOOLEAN)
            .ignored("priorityResolution", BOOLEAN)
            .ignored("blockPushingSchema1", BOOLEAN)
            .build();

    /** API.md §3, and our read-only output (ignored: a client may PUT back what GET returned). */
    static final BodyShape USER = BodyShape.of("a user")
            .read("username", TEXT)
            .read("password", TEXT)
            .read("email", TEXT)
            .read("admin", BOOLEAN)
            .list("groups", BodyShape.NAME, null, Json.MAX_ENTRIES)
            .read("disabled", BOOLEAN)
            .ignored("userId", INTEGER)
            .ignored("created", TEXT)
            .ignored("lastModified", TEXT)
            .build();

    static final BodyShape GROUP = BodyShape.of("a group")
            .read("name", TEXT)
            .read("description", TEXT)
            .list("members", BodyShape.NAME, null, Json.MAX_ENTRIES)
            .ignored("created", TEXT)
            .ignored("lastModified", TEXT)
            .build();

    /**
     * API.md §3. Artifactory's own permission target JSON nests and names these differently; its
     * names get a pointer to ours rather than being ignored (an ignored include pattern is every path).
     */
    static final BodyShape PERMISSION_TARGET = BodyShape.of("a permission target")
            .invalidCode("permission_invalid")
            .read("name", TEXT)
            .list(
                    "repositories",
                    BodyShape.NAME,
                    "name at least one repository, or \"*\" for every one",
                    PermissionTarget.MAX_REPOSITORIES)
            .list(
                    "includePatterns",
                    BodyShape.PATTERN,
                    "give at least one pattern, \"**\" for every path",
                    PermissionTarget.MAX_PATTERNS)
            .list("excludePatterns", BodyShape.PATTERN, null, PermissionTarget.MAX_PATTERNS)
            .grants("users", PermissionTarget.MAX_PRINCIPALS)
            .grants("groups", PermissionTarget.MAX_PRINCIPALS)
            .hint("principals", "Artifactory's nesting: Coffer reads 'users' and 'groups' at the top level")
            .hint(
                    "repo",
                    "Artifactory's v2 nesting: Coffer reads 'repositories', 'includePatterns', "
                            + "'excludePatterns', 'users' and 'groups' at the top level")
            .build();

    /** {@code PUT /api/me/password}. */
    static final BodyShape PASSWORD_CHANGE = BodyShape.of("a password change")
            .read("currentPassword", TEXT)
            .read("newPassword", TEXT)
            .build();

    /** Tuleap's {@code POST /api/tokens}. */
    static final BodyShape LOGIN = BodyShape.of("a login")
            .read("username", TEXT)
            .read("password", TEXT)
            .build();

    static final BodyShape KEY = BodyShape.of("an access key request")
            .read("description", TEXT)
            .read("expiresAt", TEXT)
            .build();

    private static final String NO_PROJECTS = "Coffer has no projects (a project's token would be narrower than "
            + "the one Coffer would issue); leave it out or send it empty";
    private static final String REFRESH_KEEPS = "a refresh issues a new pair with the old token's subject, scope, "
            + "lifetime and description; leave it out (or issue a new token)";

    /**
     * Artifactory's Create Token fields, as a form or JSON (booleans and numbers also as text).
     * Ignored: {@code audience} (a Coffer token is for this server, whatever services it names),
     * {@code include_reference_token} (a Coffer token is short and opaque already, so there is no
     * reference token), {@code force_revocable} (every Coffer token can be revoked). Refused:
     * a non-empty {@code project_key}, and a {@code refresh_token} without the refresh grant.
     */
    static final BodyShape ISSUE = BodyShape.of("a token request")
            .lenient()
            .read("grant_type", TEXT)
            .read("username", TEXT)
            .read("scope", TEXT)
            .read("expires_in", INTEGER)
            .read("refreshable", BOOLEAN)
            .read("description", TEXT)
            .ignored("audience", TEXT)
            .ignored("include_reference_token", BOOLEAN)
            .ignored("force_revocable", BOOLEAN)
            .neutralOnly("project_key", TEXT, NO_PROJECTS, "")
            .neutralOnly("refresh_token", TEXT, "it is read only with grant_type=refresh_token")
            .build();

    /** The refresh grant: the same fields, but what would change the new pair is refused, not ignored. */
    static final BodyShape REFRESH = BodyShape.of("a token refresh")
            .lenient()
            .read("grant_type", TEXT)
            .read("refresh_token", TEXT)
            .ignored("audience", TEXT)
            .ignored("include_reference_token", BOOLEAN)
            .ignored("force_revocable", BOOLEAN)
            .neutralOnly("project_key", TEXT, NO_PROJECTS, "")
            .neutralOnly("username", TEXT, REFRESH_KEEPS)
            .neutralOnly("scope", TEXT, REFRESH_KEEPS)
            .neutralOnly("expires_in", INTEGER, REFRESH_KEEPS)
            .neutralOnly("refreshable", BOOLEAN, REFRESH_KEEPS)
            .neutralOnly("description", TEXT, REFRESH_KEEPS)
            .build();
}
