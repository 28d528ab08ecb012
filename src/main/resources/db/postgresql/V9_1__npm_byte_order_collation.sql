-- PostgreSQL only, as V2_1: the npm tables' sorted columns compare by code point, so package and
-- version lists come out in the same order as on SQLite whatever the database's default collation.

ALTER TABLE npm_packages  ALTER COLUMN repo    TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE npm_packages  ALTER COLUMN package TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE npm_versions  ALTER COLUMN repo    TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE npm_versions  ALTER COLUMN package TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE npm_versions  ALTER COLUMN version TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE npm_dist_tags ALTER COLUMN repo    TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE npm_dist_tags ALTER COLUMN package TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE npm_dist_tags ALTER COLUMN tag     TYPE VARCHAR(255) COLLATE "C";
