-- The audit log's tables in their own file, attached as `audit` on every
-- connection (see storage/audit_file.rs). Rows an earlier version kept in
-- the main file are moved by the server after migrating, one file per
-- commit. Idempotent: the server runs it again before such a move. Unlike
-- the first layout, `context` is not re-parsed by a CHECK on every append:
-- only the server writes it, as JSON it serialized, and the hash covers it.
CREATE TABLE IF NOT EXISTS audit.audit_log (
    id           INTEGER PRIMARY KEY NOT NULL,
    occurred_at  TEXT    NOT NULL,
    session_hash TEXT,
    principal    TEXT,
    role         TEXT,
    action       TEXT    NOT NULL,
    context      TEXT    NOT NULL, -- JSON written by the server alone (and hashed)
    outcome      TEXT    NOT NULL CHECK (outcome IN ('ok', 'denied', 'error')),
    status       INTEGER,
    client_ip    TEXT,
    user_agent   TEXT,
    request_id   TEXT,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS audit.audit_log_session ON audit_log (session_hash, id DESC);
CREATE INDEX IF NOT EXISTS audit.audit_log_time ON audit_log (occurred_at DESC);
CREATE INDEX IF NOT EXISTS audit.audit_log_principal ON audit_log (principal, id DESC);
CREATE INDEX IF NOT EXISTS audit.audit_log_action ON audit_log (action, id DESC);

CREATE TABLE IF NOT EXISTS audit.audit_head (
    singleton   INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    last_id     INTEGER NOT NULL,
    last_hash   TEXT    NOT NULL,
    anchor_hash TEXT    NOT NULL
);
INSERT OR IGNORE INTO audit.audit_head (singleton, last_id, last_hash, anchor_hash) VALUES (
    1, 0,
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0000000000000000000000000000000000000000000000000000000000000000'
);
