package dev.coffer.repository;

import dev.coffer.authz.PathPattern;
import dev.coffer.authz.PermissionTarget;
import dev.coffer.common.CofferException;
import java.net.URI;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a repository may be (API.md §9, issue 18): turns a {@link RepositoryService.Change} and the
 * repository as it is into the repository as it will be, or refuses with a 400 naming the field
 * (409 for a package type or class that would change). Used by every entry point through {@link
 * RepositoryService}. Members are checked against the other repositories separately ({@link
 * #checkMembers}), after the caller's right to add them was approved: a caller who may not read a
 * repository must not learn from the answer whether it exists.
 */
final class RepositoryRules {
    static final int MAX_MEMBERS = 50;
    static final long MAX_CACHE_SECONDS = 31_536_000L;
    static final int MAX_USERNAME_CHARS = 255;
    static final int MAX_PASSWORD_CHARS = 1024;

    private final Function<String, Optional<Repository>> lookup;
    private final SecretBox secrets;

    RepositoryRules(Function<String, Optional<Repository>> lookup, SecretBox secrets) {
        this.lookup = Objects.requireNonNull(lookup);
        this.secrets = secrets;
    }

    /** The repository after {@code c}; {@code current} is null on creation. */
    Repository next(String name, Repository current, RepositoryService.Change c, long now) {
        PackageType type = c.packageType() == null ? null : packageType(c.packageType());
        RepositoryClass rclass = c.rclass() == null ? null : repositoryClass(c.rclass());
        if (current != null) {
            if (type != null && type != current.packageType()) {
                throw CofferException.conflict(
                        "repository_type_fixed",
                        "repository '" + name + "' is a "
                                + current.packageType().json() + " repository; a package "
                                + "type is fixed at creation (create another repository for " + type.json() + ")");
            }
            if (rclass != null && rclass != current.rclass()) {
                throw CofferException.conflict(
                        "repository_class_fixed",
                        "repository '" + name + "' is a " + current.rclass().json() + " repository; the class is "
                                + "fixed at creation (create another repository)");
            }
            type = current.packageType();
            rclass = current.rclass();
        } else {
            type = type == null ? PackageType.GENERIC : type;
            rclass = rclass == null ? RepositoryClass.LOCAL : rclass;
            if (!type.supported()) {
                throw CofferException.invalid(
                        "package_type_unsupported",
                        "'packageType' " + type.json() + " is not served yet; Coffer serves "
                                + Arrays.stream(PackageType.values())
                                        .filter(PackageType::supported)
                                        .map(PackageType::json)
                                        .collect(Collectors.joining(", ")));
            }
        }
        onlyFor(rclass, RepositoryClass.REMOTE, name, "url", c.url());
        onlyFor(rclass, RepositoryClass.REMOTE, name, "username", c.username());
        onlyFor(rclass, RepositoryClass.REMOTE, name, "password", c.password());
        onlyFor(rclass, RepositoryClass.REMOTE, name, "cacheSeconds", c.cacheSeconds());
        onlyFor(rclass, RepositoryClass.REMOTE, name, "offline", c.offline());
        onlyFor(rclass, RepositoryClass.VIRTUAL, name, "repositories", c.members());
        onlyFor(rclass, RepositoryClass.VIRTUAL, name, "defaultDeployRepo", c.defaultDeployRepo());

        PathFilter was = current == null ? PathFilter.ALL : current.filter();
        PathFilter filter = new PathFilter(
                c.includePatterns() == null ? was.includePatterns() : patterns("includePatterns", c.includePatterns()),
                c.excludePatterns() == null ? was.excludePatterns() : patterns("excludePatterns", c.excludePatterns()));
        RemoteSettings remote = rclass == RepositoryClass.REMOTE ? remote(name, current, c) : null;
        VirtualSettings virtual = rclass == RepositoryClass.VIRTUAL ? virtual(name, current, c) : null;
        return new Repository(
                name,
                c.description() != null ? c.description() : current == null ? "" : current.description(),
                c.anonymousRead() != null ? c.anonymousRead() : current != null && current.anonymousRead(),
                type,
                rclass,
                filter,
                remote,
                virtual,
                current == null ? now : current.createdAt(),
                now);
    }

    /** Every member exists, is local or remote and of the virtual's package type; the deploy target is local. */
    void checkMembers(Repository virtual) {
        if (virtual.virtual() == null) {
            return;
        }
        List<String> members = virtual.virtual().members();
        for (int i = 0; i < members.size(); i++) {
            String at = "'repositories[" + i + "]': ";
            String name = members.get(i);
            Repository m =
                    lookup.apply(name).orElseThrow(() -> invalidMembers(at + "there is no repository '" + name + "'"));
            if (m.isVirtual()) {
                throw invalidMembers(at + "'" + m.name() + "' is a virtual repository; members are local or remote "
                        + "repositories (virtual repositories do not nest)");
            }
            if (m.packageType() != virtual.packageType()) {
                throw invalidMembers(
                        at + "'" + m.name() + "' is a " + m.packageType().json() + " repository; the "
                                + "members of a " + virtual.packageType().json() + " virtual repository are "
                                + virtual.packageType().json() + " repositories");
            }
        }
        String deploy = virtual.virtual().defaultDeployRepo();
        if (deploy != null && lookup.apply(deploy).map(r -> !r.isLocal()).orElse(true)) {
            throw CofferException.invalid(
                    "default_deploy_repo_invalid",
                    "'defaultDeployRepo': '" + deploy + "' is not a local repository; deploys go to a local member");
        }
    }

    private static PackageType packageType(String text) {
        return PackageType.parse(text)
                .orElseThrow(() -> CofferException.invalid(
                        "package_type_invalid",
                        "'packageType' must be one of "
                                + Arrays.stream(PackageType.values())
                                        .map(PackageType::json)
                                        .collect(Collectors.joining(", "))));
    }

    private static RepositoryClass repositoryClass(String text) {
        return RepositoryClass.parse(text)
                .orElseThrow(() -> CofferException.invalid(
                        "rclass_invalid",
                        "'rclass' must be one of "
                                + Arrays.stream(RepositoryClass.values())
                                        .map(RepositoryClass::json)
                                        .collect(Collectors.joining(", "))));
    }

    private static void onlyFor(RepositoryClass rclass, RepositoryClass owner, String name, String field, Object v) {
        if (v != null && rclass != owner) {
            throw CofferException.invalid(
                    "field_unsupported",
                    "'" + field + "' is a setting of " + owner.json() + " repositories; '" + name + "' is a "
                            + rclass.json() + " repository");
        }
    }

    /** Parsed as permission targets parse theirs, bounded as theirs are. */
    private static List<String> patterns(String field, List<String> patterns) {
        if (field.equals("includePatterns") && patterns.isEmpty()) {
            throw CofferException.invalid(
                    "patterns_invalid", "'includePatterns' is empty: give at least one pattern, \"**\" for every path");
        }
        if (patterns.size() > PermissionTarget.MAX_PATTERNS) {
            throw CofferException.invalid(
                    "patterns_invalid", "'" + field + "' has more than " + PermissionTarget.MAX_PATTERNS + " entries");
        }
        for (int i = 0; i < patterns.size(); i++) {
            try {
                PathPattern.compile(Objects.requireNonNull(patterns.get(i), "pattern"));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw CofferException.invalid("patterns_invalid", "'" + field + "[" + i + "]': " + e.getMessage());
            }
        }
        return patterns;
    }

    private RemoteSettings remote(String name, Repository current, RepositoryService.Change c) {
        RemoteSettings was = current == null ? null : current.remote();
        URI url = c.url() != null ? UpstreamUrl.parse(c.url()) : was == null ? null : was.url();
        if (url == null) {
            throw CofferException.invalid(
                    "url_invalid", "a remote repository needs 'url', the upstream's base address (http or https)");
        }
        String username = was == null ? null : was.username();
        if (c.username() != null) {
            username = c.username().isEmpty() ? null : username(c.username());
        }
        String sealed = was == null ? null : was.sealedPassword();
        if (c.password() != null) {
            sealed = c.password().isEmpty() ? null : seal(name, c.password());
        } else if (sealed != null && !UpstreamUrl.origin(url).equals(UpstreamUrl.origin(was.url()))) {
            // the stored password was given for the old host: never send it to a new one unasked
            throw CofferException.invalid(
                    "password_invalid",
                    "'url' moves the repository to another host: send 'password' again (or \"\" to remove it), so "
                            + "that the stored password is never sent to a host it was not given for");
        }
        if (sealed != null && username == null) {
            throw CofferException.invalid(
                    "password_invalid",
                    "'password' needs 'username' (send \"password\": \"\" to remove the stored password)");
        }
        long cacheSeconds = was == null ? RemoteSettings.DEFAULT_CACHE_SECONDS : was.cacheSeconds();
        if (c.cacheSeconds() != null) {
            if (c.cacheSeconds() < 0 || c.cacheSeconds() > MAX_CACHE_SECONDS) {
                throw CofferException.invalid(
                        "cache_seconds_invalid", "'cacheSeconds' must be from 0 to " + MAX_CACHE_SECONDS + " (a year)");
            }
            cacheSeconds = c.cacheSeconds();
        }
        boolean offline = c.offline() != null ? c.offline() : was != null && was.offline();
        return new RemoteSettings(url, username, sealed, cacheSeconds, offline);
    }

    private static String username(String u) {
        if (u.length() > MAX_USERNAME_CHARS) {
            throw CofferException.invalid(
                    "username_invalid", "'username' is longer than " + MAX_USERNAME_CHARS + " characters");
        }
        if (u.indexOf(':') >= 0 || u.chars().anyMatch(Character::isISOControl)) {
            // not quoted back: username and password are write-only
            throw CofferException.invalid(
                    "username_invalid", "'username' must not contain ':' or control characters (HTTP Basic sends it)");
        }
        return u;
    }

    private String seal(String name, String password) {
        if (password.length() > MAX_PASSWORD_CHARS) {
            throw CofferException.invalid(
                    "password_invalid", "'password' is longer than " + MAX_PASSWORD_CHARS + " characters");
        }
        if (password.chars().anyMatch(ch -> ch == '\r' || ch == '\n' || ch == 0)) {
            throw CofferException.invalid(
                    "password_invalid", "'password' must not contain line breaks or NUL characters");
        }
        if (secrets == null) {
            throw new IllegalStateException("no secrets key: this service cannot store upstream passwords");
        }
        return secrets.seal(password, name);
    }

    private static VirtualSettings virtual(String name, Repository current, RepositoryService.Change c) {
        VirtualSettings was = current == null ? null : current.virtual();
        List<String> members = was == null ? List.of() : was.members();
        if (c.members() != null) {
            members = members(name, c.members());
        }
        String deploy = was == null ? null : was.defaultDeployRepo();
        if (c.defaultDeployRepo() != null) {
            deploy = c.defaultDeployRepo().isEmpty() ? null : c.defaultDeployRepo();
        }
        if (deploy != null && !members.contains(deploy)) {
            throw CofferException.invalid(
                    "default_deploy_repo_invalid",
                    "'defaultDeployRepo': '" + shown(deploy) + "' is not one of the members ('repositories')");
        }
        return new VirtualSettings(members, deploy);
    }

    private static List<String> members(String name, List<String> members) {
        if (members.size() > MAX_MEMBERS) {
            throw invalidMembers("'repositories' has more than " + MAX_MEMBERS + " members");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
            String m = members.get(i);
            String at = "'repositories[" + i + "]': ";
            if (m == null || !RepositoryService.isValidName(m)) {
                throw invalidMembers(at + "not a repository name");
            }
            if (m.equals(name)) {
                throw invalidMembers(at + "a virtual repository cannot be a member of itself");
            }
            if (!seen.add(m)) {
                throw invalidMembers(at + "'" + m + "' is listed twice");
            }
        }
        return members;
    }

    /** A name as it may be quoted back: valid names only (anything else could carry control characters). */
    private static String shown(String name) {
        return RepositoryService.isValidName(name) ? name : "(not a repository name)";
    }

    private static CofferException invalidMembers(String message) {
        return CofferException.invalid("members_invalid", message);
    }
}
