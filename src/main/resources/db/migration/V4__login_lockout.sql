-- Failed password logins and the locks they cause (API.md section 4, rule 6), kept in the
-- database so that every node of a cluster counts the same failures and honours the same locks.
-- subject is "u:<username>" or "a:<client address>".

CREATE TABLE login_failures (
    id              ${id_pk},
    subject         VARCHAR(300)  NOT NULL,
    username        VARCHAR(300)  NOT NULL,
    at              BIGINT        NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, at);

CREATE TABLE login_locks (
    subject         VARCHAR(300)  NOT NULL PRIMARY KEY,
    locked_until    BIGINT        NOT NULL
);
