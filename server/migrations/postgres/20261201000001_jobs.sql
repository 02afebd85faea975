-- Background jobs (forecasts, exports). Times are Unix milliseconds, set by
-- the process that writes them. A worker owns a running job while
-- `lease_until` is in the future; every write it makes is guarded by its
-- `lease_owner`, so a worker whose lease expired (crashed, paused) cannot
-- overwrite the run that took the job over.
CREATE TABLE jobs (
    id               TEXT    PRIMARY KEY,
    kind             TEXT    NOT NULL CHECK (kind IN ('forecast', 'export')),
    params           TEXT    NOT NULL,          -- normalised JSON
    dedup_key        TEXT    NOT NULL,          -- SHA-256 of kind, params, dataset version
    scope            TEXT    NOT NULL,          -- what a result answers, e.g. forecast:revenue|na|
    dataset_version  BIGINT NOT NULL,
    owner            TEXT    NOT NULL,          -- principal key, e.g. user:3
    owner_name       TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    progress         INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    message          TEXT    NOT NULL DEFAULT '',
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    timeout_ms       BIGINT NOT NULL,
    run_after        BIGINT NOT NULL,
    lease_owner      TEXT,
    lease_until      BIGINT,
    heartbeat_at     BIGINT,
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    result           TEXT,
    error            TEXT,
    file_path        TEXT,
    file_expires_at  BIGINT,
    created_at       BIGINT NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT
);

-- At most one queued or running job per dedup key.
CREATE UNIQUE INDEX jobs_active_dedup ON jobs (dedup_key) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_claim ON jobs (status, run_after, created_at);
CREATE INDEX jobs_owner ON jobs (owner, created_at);
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
-- The latest succeeded job per dedup key (stored results) and per scope
-- (the dashboard's model accuracy).
CREATE INDEX jobs_done_dedup ON jobs (dedup_key, finished_at) WHERE status = 'succeeded';
CREATE INDEX jobs_done_scope ON jobs (scope, finished_at) WHERE status = 'succeeded';
