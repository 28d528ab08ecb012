-- PostgreSQL only (SQLite compares text byte by byte already). A database created with a
-- natural-language default collation (en_US.UTF-8, ICU) would sort 'a' before 'B' and ignore
-- punctuation, so listings, paths and names would come out in a different order than on SQLite.
-- Every text column that an ORDER BY uses compares by code point ("C") instead, whatever the
-- database's default. Equality is unaffected (deterministic collations compare bytes).

ALTER TABLE users              ALTER COLUMN username   TYPE VARCHAR(255)  COLLATE "C";
ALTER TABLE user_groups        ALTER COLUMN name       TYPE VARCHAR(255)  COLLATE "C";
ALTER TABLE group_members      ALTER COLUMN group_name TYPE VARCHAR(255)  COLLATE "C";
ALTER TABLE repositories       ALTER COLUMN name       TYPE VARCHAR(255)  COLLATE "C";
ALTER TABLE permission_targets ALTER COLUMN name       TYPE VARCHAR(255)  COLLATE "C";
ALTER TABLE files              ALTER COLUMN repo       TYPE VARCHAR(255)  COLLATE "C";
ALTER TABLE files              ALTER COLUMN path       TYPE VARCHAR(1024) COLLATE "C";
ALTER TABLE properties         ALTER COLUMN repo       TYPE VARCHAR(255)  COLLATE "C";
ALTER TABLE properties         ALTER COLUMN path       TYPE VARCHAR(1024) COLLATE "C";
ALTER TABLE properties         ALTER COLUMN name       TYPE VARCHAR(255)  COLLATE "C";
ALTER TABLE properties         ALTER COLUMN value      TYPE VARCHAR(4096) COLLATE "C";
ALTER TABLE access_keys        ALTER COLUMN id         TYPE VARCHAR(64)   COLLATE "C";
ALTER TABLE session_tokens     ALTER COLUMN id         TYPE VARCHAR(64)   COLLATE "C";
ALTER TABLE access_tokens      ALTER COLUMN id         TYPE VARCHAR(64)   COLLATE "C";
