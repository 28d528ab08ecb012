-- Repository classes and package types (issue 18, API.md section 9). Every repository that exists
-- before this migration is a generic, local one, as it always was. settings holds what only some
-- classes have, as one JSON object written by RepositorySettingsJson: the include/exclude patterns,
-- a remote's upstream (url, username, the password sealed with secrets.key-file, cacheSeconds,
-- offline) and a virtual's members and defaultDeployRepo; null for a local repository that has
-- none of them. It never holds a password in the clear.

ALTER TABLE repositories ADD COLUMN package_type VARCHAR(32) NOT NULL DEFAULT 'generic';
ALTER TABLE repositories ADD COLUMN rclass VARCHAR(16) NOT NULL DEFAULT 'local';
ALTER TABLE repositories ADD COLUMN settings TEXT;
