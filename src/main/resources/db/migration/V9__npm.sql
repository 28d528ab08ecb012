-- npm repositories (issue 19, API.md section 10). A package document is assembled per request from
-- these tables; the tarballs are ordinary files of the repository ({name}/-/{file}.tgz), so storage
-- info, checksums, blob stores and backups treat them like any other file.
--
-- npm_packages: one row per package name that has (or had, until it is unpublished) versions.
-- revision counts every change of the package; the document's _rev is computed from it, and a
-- write that names a _rev is refused unless it is the current one (a lost update).
-- npm_versions: each published version's manifest as npm sent it (JSON text; dist.tarball is
-- rewritten to the caller's address when served). The primary key is what refuses publishing over
-- an existing version atomically, across nodes sharing one database.
-- npm_dist_tags: tag -> version.

CREATE TABLE npm_packages (
    repo            VARCHAR(255)  NOT NULL REFERENCES repositories (name) ON DELETE CASCADE,
    package         VARCHAR(255)  NOT NULL,
    description     VARCHAR(4096),
    readme          TEXT,
    revision        BIGINT        NOT NULL,
    created_at      BIGINT        NOT NULL,
    modified_at     BIGINT        NOT NULL,
    PRIMARY KEY (repo, package)
);

CREATE TABLE npm_versions (
    repo            VARCHAR(255)  NOT NULL,
    package         VARCHAR(255)  NOT NULL,
    version         VARCHAR(255)  NOT NULL,
    manifest        TEXT          NOT NULL,
    tarball         VARCHAR(1024) NOT NULL,
    published_at    BIGINT        NOT NULL,
    published_by    VARCHAR(255),
    PRIMARY KEY (repo, package, version),
    FOREIGN KEY (repo, package) REFERENCES npm_packages (repo, package) ON DELETE CASCADE
);

CREATE TABLE npm_dist_tags (
    repo            VARCHAR(255)  NOT NULL,
    package         VARCHAR(255)  NOT NULL,
    tag             VARCHAR(255)  NOT NULL,
    version         VARCHAR(255)  NOT NULL,
    PRIMARY KEY (repo, package, tag),
    FOREIGN KEY (repo, package) REFERENCES npm_packages (repo, package) ON DELETE CASCADE
);
