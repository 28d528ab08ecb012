package dev.coffer.repository;

import java.util.Objects;

/**
 * A repository: its access switch ({@code anonymousRead} lets requests without credentials read
 * it), what it holds ({@link PackageType}) and where its content comes from ({@link
 * RepositoryClass}). {@code remote} is set exactly for remote repositories and {@code virtual}
 * exactly for virtual ones.
 */
public record Repository(
        String name,
        String description,
        boolean anonymousRead,
        PackageType packageType,
        RepositoryClass rclass,
        PathFilter filter,
        RemoteSettings remote,
        VirtualSettings virtual,
        long createdAt,
        long updatedAt) {
    public Repository {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(packageType, "packageType");
        Objects.requireNonNull(rclass, "rclass");
        Objects.requireNonNull(filter, "filter");
        if ((rclass == RepositoryClass.REMOTE) != (remote != null)) {
            throw new IllegalArgumentException("remote settings belong to remote repositories only");
        }
        if ((rclass == RepositoryClass.VIRTUAL) != (virtual != null)) {
            throw new IllegalArgumentException("virtual settings belong to virtual repositories only");
        }
    }

    /** A local generic repository, as every repository was before classes and types existed. */
    public Repository(String name, String description, boolean anonymousRead, long createdAt, long updatedAt) {
        this(
                name,
                description,
                anonymousRead,
                PackageType.GENERIC,
                RepositoryClass.LOCAL,
                PathFilter.ALL,
                null,
                null,
                createdAt,
                updatedAt);
    }

    public boolean isLocal() {
        return rclass == RepositoryClass.LOCAL;
    }

    public boolean isRemote() {
        return rclass == RepositoryClass.REMOTE;
    }

    public boolean isVirtual() {
        return rclass == RepositoryClass.VIRTUAL;
    }
}
