-- Changes of settings are audited with their values before and after (API.md section 3: every
-- change of exposure, such as turning a repository's anonymous read on). change_detail holds them
-- as one JSON object, {"<setting>":{"before":...,"after":...}}, written by AuditChange; it is null
-- for events that change no setting, and never holds a secret.

ALTER TABLE audit_events ADD COLUMN change_detail TEXT;
