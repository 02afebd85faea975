-- The audit lookups' indexes in ascending order. New rows have the highest
-- id and the latest time, so in ascending indexes they land on the last
-- page of their key, which SQLite fills without rebalancing; in the
-- descending ones they landed on the first page, split in halves each time.
-- SQLite reads an ascending index backwards for the newest-first queries.
DROP INDEX IF EXISTS audit.audit_log_session;
DROP INDEX IF EXISTS audit.audit_log_time;
DROP INDEX IF EXISTS audit.audit_log_principal;
DROP INDEX IF EXISTS audit.audit_log_action;
CREATE INDEX audit.audit_log_session ON audit_log (session_hash, id);
CREATE INDEX audit.audit_log_time ON audit_log (occurred_at);
CREATE INDEX audit.audit_log_principal ON audit_log (principal, id);
CREATE INDEX audit.audit_log_action ON audit_log (action, id);
