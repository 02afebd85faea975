-- The audit log: one row per recorded action, append-only, hash-chained.
-- Ids are assigned by the writer from audit_head (not a sequence) so that
-- id order is chain order.
CREATE TABLE audit_log (
    id           BIGINT      PRIMARY KEY,
    occurred_at  TIMESTAMPTZ NOT NULL,
    session_hash TEXT,
    principal    TEXT,
    role         TEXT,
    action       TEXT        NOT NULL,
    context      JSONB       NOT NULL,
    outcome      TEXT        NOT NULL CHECK (outcome IN ('ok', 'denied', 'error')),
    status       INTEGER,
    client_ip    TEXT,
    user_agent   TEXT,
    request_id   TEXT,
    prev_hash    TEXT        NOT NULL,
    hash         TEXT        NOT NULL
);
CREATE INDEX audit_log_session ON audit_log (session_hash, id DESC);
CREATE INDEX audit_log_time ON audit_log (occurred_at DESC);
CREATE INDEX audit_log_principal ON audit_log (principal, id DESC);
CREATE INDEX audit_log_action ON audit_log (action, id DESC);

-- The chain's head (last id and hash, locked by every append so that
-- writers on several instances stay linear) and its anchor: the predecessor
-- hash of the first row still present (all zeros until the first purge).
CREATE TABLE audit_head (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_id     BIGINT  NOT NULL,
    last_hash   TEXT    NOT NULL,
    anchor_hash TEXT    NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash, anchor_hash) VALUES (
    1, 0,
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0000000000000000000000000000000000000000000000000000000000000000'
);

-- Append-only for real: UPDATE, DELETE and TRUNCATE are refused. The one
-- exception is `tessera audit purge`, which deletes old rows inside its own
-- transaction after `SET LOCAL tessera.audit_purge = 'on'`.
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('tessera.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_change
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
