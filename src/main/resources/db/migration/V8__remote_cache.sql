-- What a remote repository (API.md section 9) knows of each path it cached: when the file was
-- fetched from the upstream, when the upstream last confirmed it (a fetch, or a 304 to a
-- conditional GET), and the upstream's ETag and Last-Modified for the next conditional GET.
-- Metadata is revalidated once checked_at is older than the repository's cacheSeconds. A row
-- belongs to its cached file: deleting the file (a delete, a purge, the repository) drops it.

CREATE TABLE remote_cache (
    repo            VARCHAR(255)  NOT NULL,
    path            VARCHAR(1024) NOT NULL,
    fetched_at      BIGINT        NOT NULL,
    checked_at      BIGINT        NOT NULL,
    etag            VARCHAR(1024),
    last_modified   VARCHAR(128),
    PRIMARY KEY (repo, path),
    FOREIGN KEY (repo, path) REFERENCES files (repo, path) ON DELETE CASCADE
);
