-- Credentials other than passwords. Only SHA-256 hashes of the secrets are stored: the secrets
-- are 256-bit random values, so a fast hash is enough and lets the lookup use an index.

CREATE TABLE access_keys (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    user_id         BIGINT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash     CHAR(64)      NOT NULL UNIQUE,
    description     VARCHAR(1024) NOT NULL,
    created_at      BIGINT        NOT NULL,
    expires_at      BIGINT,
    last_used_at    BIGINT,
    last_used_ip    VARCHAR(64)
);
CREATE INDEX access_keys_user ON access_keys (user_id);

CREATE TABLE session_tokens (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    user_id         BIGINT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash     CHAR(64)      NOT NULL UNIQUE,
    created_at      BIGINT        NOT NULL,
    expires_at      BIGINT        NOT NULL,
    last_used_at    BIGINT,
    last_used_ip    VARCHAR(64)
);
CREATE INDEX session_tokens_user ON session_tokens (user_id);

CREATE TABLE access_tokens (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    user_id         BIGINT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash     CHAR(64)      NOT NULL UNIQUE,
    refresh_hash    CHAR(64)      UNIQUE,
    scope           VARCHAR(8192) NOT NULL,
    description     VARCHAR(1024) NOT NULL,
    issued_by       VARCHAR(255)  NOT NULL,
    created_at      BIGINT        NOT NULL,
    expires_at      BIGINT,
    last_used_at    BIGINT,
    last_used_ip    VARCHAR(64)
);
CREATE INDEX access_tokens_user ON access_tokens (user_id);
