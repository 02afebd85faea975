-- The audit log: one row per recorded action, append-only, hash-chained.
-- Ids are assigned by the writer from audit_head (not AUTOINCREMENT) so that
-- id order is chain order. occurred_at is RFC 3339 UTC with six fraction
-- digits, so text order is time order.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY NOT NULL,
    occurred_at  TEXT    NOT NULL,
    session_hash TEXT,
    principal    TEXT,
    role         TEXT,
    action       TEXT    NOT NULL,
    context      TEXT    NOT NULL CHECK (json_valid(context)),
    outcome      TEXT    NOT NULL CHECK (outcome IN ('ok', 'denied', 'error')),
    status       INTEGER,
    client_ip    TEXT,
    user_agent   TEXT,
    request_id   TEXT,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);
CREATE INDEX audit_log_session ON audit_log (session_hash, id DESC);
CREATE INDEX audit_log_time ON audit_log (occurred_at DESC);
CREATE INDEX audit_log_principal ON audit_log (principal, id DESC);
CREATE INDEX audit_log_action ON audit_log (action, id DESC);

-- The chain's head (last id and hash, locked by every append so that
-- concurrent writers stay linear) and its anchor: the predecessor hash of
-- the first row still present (all zeros until the first purge).
CREATE TABLE audit_head (
    singleton   INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    last_id     INTEGER NOT NULL,
    last_hash   TEXT    NOT NULL,
    anchor_hash TEXT    NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash, anchor_hash) VALUES (
    1, 0,
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0000000000000000000000000000000000000000000000000000000000000000'
);
