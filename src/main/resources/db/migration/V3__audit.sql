-- The audit trail (API.md §6). Append-only; old rows go by the retention setting. Credentials are
-- named by kind and id only, never by their secret.

CREATE TABLE audit_events (
    id                ${id_pk},
    event_time        BIGINT        NOT NULL,
    username          VARCHAR(255),
    authenticated_by  VARCHAR(32),
    credential_id     VARCHAR(64),
    action            VARCHAR(255)  NOT NULL,
    repo              VARCHAR(255),
    path              VARCHAR(1024),
    outcome           VARCHAR(32)   NOT NULL,
    status            INTEGER       NOT NULL,
    ip                VARCHAR(64),
    user_agent        VARCHAR(512)
);
CREATE INDEX audit_events_time ON audit_events (event_time);
CREATE INDEX audit_events_username ON audit_events (username, event_time);
