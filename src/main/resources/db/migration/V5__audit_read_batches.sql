-- Audited reads are stored many to a row (issue 8: a row per read cost more CPU than the rest of a
-- small download). Such a row has read_batch set (JSON, see AuditReadBatch), event_count events,
-- all of one username and outcome, from event_time to last_time. Other rows are unchanged.

ALTER TABLE audit_events ADD COLUMN last_time BIGINT;
ALTER TABLE audit_events ADD COLUMN event_count INTEGER;
ALTER TABLE audit_events ADD COLUMN read_batch TEXT;
