-- Portable schema: runs unchanged on SQLite and PostgreSQL. Times are epoch milliseconds
-- (BIGINT); ${id_pk} is the dialect's auto-generated BIGINT primary key.

CREATE TABLE users (
    id              ${id_pk},
    username        VARCHAR(255)  NOT NULL UNIQUE,
    password_hash   VARCHAR(512)  NOT NULL,
    email           VARCHAR(320),
    admin           BOOLEAN       NOT NULL DEFAULT FALSE,
    disabled        BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL
);

CREATE TABLE user_groups (
    name            VARCHAR(255)  NOT NULL PRIMARY KEY,
    description     VARCHAR(4096),
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL
);

CREATE TABLE group_members (
    group_name      VARCHAR(255)  NOT NULL REFERENCES user_groups (name) ON DELETE CASCADE,
    user_id         BIGINT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_name, user_id)
);

CREATE TABLE repositories (
    name            VARCHAR(255)  NOT NULL PRIMARY KEY,
    description     VARCHAR(4096),
    anonymous_read  BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL
);

-- The whole target is one JSON document (Artifactory's model); it is read as a whole into the
-- in-memory permission index, never queried piecewise.
CREATE TABLE permission_targets (
    name            VARCHAR(255)  NOT NULL PRIMARY KEY,
    definition      TEXT          NOT NULL,
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL
);

CREATE TABLE files (
    repo            VARCHAR(255)  NOT NULL REFERENCES repositories (name) ON DELETE CASCADE,
    path            VARCHAR(1024) NOT NULL,
    size            BIGINT        NOT NULL,
    sha256          CHAR(64)      NOT NULL,
    sha1            CHAR(40)      NOT NULL,
    md5             CHAR(32)      NOT NULL,
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL,
    created_by      VARCHAR(255),
    modified_by     VARCHAR(255),
    PRIMARY KEY (repo, path)
);
CREATE INDEX files_sha256 ON files (sha256);

CREATE TABLE properties (
    repo            VARCHAR(255)  NOT NULL,
    path            VARCHAR(1024) NOT NULL,
    name            VARCHAR(255)  NOT NULL,
    value           VARCHAR(4096) NOT NULL,
    PRIMARY KEY (repo, path, name, value),
    FOREIGN KEY (repo, path) REFERENCES files (repo, path) ON DELETE CASCADE
);
CREATE INDEX properties_name_value ON properties (name, value);
