//! The job queue's table: submit (with de-duplication and limits), claim
//! under a lease, heartbeat, finish, cancel, list and sweep.
//!
//! Times are Unix milliseconds given by the caller. Every write a worker
//! makes names its `lease_owner` and the `running` status, so a worker that
//! lost its lease (it crashed or stalled and another took the job over)
//! changes nothing. Submits and claims are serialised: SQLite with
//! `BEGIN IMMEDIATE` (one writer), PostgreSQL with a transaction-scoped
//! advisory lock, so the per-user limits hold exactly across processes; the
//! claim's `FOR UPDATE SKIP LOCKED` keeps it safe even without the lock.

mod types;

pub use self::types::{JobRow, NewJob, SubmitLimits, Submitted, Transition};
use super::{with_pool, Db};

/// The advisory lock key that serialises submits and claims on PostgreSQL.
const QUEUE_LOCK: i64 = 0x7e55_e2a0_0001;

/// Shared steps of a submit, inside the caller's transaction.
macro_rules! submit_in {
    ($tx:ident, $job:ident, $limits:ident) => {{
        let active: Option<JobRow> = sqlx::query_as(
            "SELECT * FROM jobs WHERE dedup_key = $1 AND status IN ('queued', 'running')",
        )
        .bind(&$job.dedup_key)
        .fetch_optional(&mut *$tx)
        .await?;
        let done: Option<JobRow> = if active.is_none() && $job.reuse_finished {
            sqlx::query_as(
                "SELECT * FROM jobs WHERE dedup_key = $1 AND status = 'succeeded' \
                 ORDER BY finished_at DESC LIMIT 1",
            )
            .bind(&$job.dedup_key)
            .fetch_optional(&mut *$tx)
            .await?
        } else {
            None
        };
        if let Some(existing) = active.or(done) {
            Submitted::Existing(existing)
        } else {
            let (mine, all): (i64, i64) = sqlx::query_as(
                "SELECT COALESCE(SUM(CASE WHEN owner = $1 THEN 1 ELSE 0 END), 0), COUNT(*) \
                 FROM jobs WHERE status = 'queued'",
            )
            .bind(&$job.owner)
            .fetch_one(&mut *$tx)
            .await?;
            if mine >= $limits.per_user_queued {
                Submitted::OwnerFull
            } else if all >= $limits.total_queued {
                Submitted::QueueFull
            } else {
                let row: JobRow = sqlx::query_as(
                    "INSERT INTO jobs (id, kind, params, dedup_key, scope, dataset_version, owner, \
                     owner_name, status, max_attempts, timeout_ms, run_after, created_at, message) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10, $11, $11, 'waiting for a worker') \
                     RETURNING *",
                )
                .bind(&$job.id)
                .bind($job.kind)
                .bind(&$job.params)
                .bind(&$job.dedup_key)
                .bind(&$job.scope)
                .bind($job.dataset_version)
                .bind(&$job.owner)
                .bind(&$job.owner_name)
                .bind($job.max_attempts)
                .bind($job.timeout_ms)
                .bind($job.now)
                .fetch_one(&mut *$tx)
                .await?;
                Submitted::Created(row)
            }
        }
    }};
}

/// The claim: the oldest due job (queued, or running with an expired
/// lease) whose owner is under the running limit.
const CLAIM: &str = "UPDATE jobs SET status = 'running', lease_owner = $1, lease_until = $2, \
     heartbeat_at = $3, attempts = attempts + 1, started_at = $3, progress = 0, message = 'starting' \
     WHERE id = (SELECT j.id FROM jobs j \
        WHERE ((j.status = 'queued' AND j.run_after <= $3) OR (j.status = 'running' AND j.lease_until < $3)) \
          AND (SELECT COUNT(*) FROM jobs r WHERE r.owner = j.owner AND r.status = 'running' \
               AND r.lease_until >= $3) < $4 \
        ORDER BY j.run_after, j.created_at LIMIT 1 LOCK) \
     RETURNING *";

impl Db {
    /// Inserts `job` unless an identical one answers it or a limit is hit.
    pub async fn job_submit(
        &self,
        job: &NewJob,
        limits: SubmitLimits,
    ) -> Result<Submitted, sqlx::Error> {
        match self {
            Db::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let submitted = submit_in!(tx, job, limits);
                tx.commit().await?;
                Ok(submitted)
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(QUEUE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                let submitted = submit_in!(tx, job, limits);
                tx.commit().await?;
                Ok(submitted)
            }
        }
    }

    /// Takes the next due job for `worker` with a lease until `lease_until`.
    pub async fn job_claim(
        &self,
        worker: &str,
        now: i64,
        lease_until: i64,
        per_user_running: i64,
    ) -> Result<Option<JobRow>, sqlx::Error> {
        match self {
            Db::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let row = sqlx::query_as(&CLAIM.replace(" LOCK", ""))
                    .bind(worker)
                    .bind(lease_until)
                    .bind(now)
                    .bind(per_user_running)
                    .fetch_optional(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(row)
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(QUEUE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                let row = sqlx::query_as(&CLAIM.replace(" LOCK", " FOR UPDATE OF j SKIP LOCKED"))
                    .bind(worker)
                    .bind(lease_until)
                    .bind(now)
                    .bind(per_user_running)
                    .fetch_optional(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(row)
            }
        }
    }

    /// Extends `worker`'s lease and records progress. `None` when the
    /// worker no longer holds the job; otherwise whether cancel was asked.
    pub async fn job_heartbeat(
        &self,
        id: &str,
        worker: &str,
        now: i64,
        lease_until: i64,
        progress: i32,
        message: &str,
    ) -> Result<Option<bool>, sqlx::Error> {
        with_pool!(self, pool => sqlx::query_scalar(
            "UPDATE jobs SET lease_until = $3, heartbeat_at = $4, progress = $5, message = $6 \
             WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING cancel_requested",
        )
        .bind(id)
        .bind(worker)
        .bind(lease_until)
        .bind(now)
        .bind(progress)
        .bind(message)
        .fetch_optional(pool)
        .await)
    }

    /// Ends `worker`'s run of job `id`; `false` when it no longer held it.
    pub async fn job_transition(
        &self,
        id: &str,
        worker: &str,
        now: i64,
        to: &Transition,
    ) -> Result<bool, sqlx::Error> {
        const END: &str = "lease_owner = NULL, lease_until = NULL \
             WHERE id = $1 AND lease_owner = $2 AND status = 'running'";
        let done = match to {
            Transition::Succeeded { result, file } => {
                let sql = format!(
                    "UPDATE jobs SET status = 'succeeded', progress = 100, message = 'done', \
                     result = $4, file_path = $5, file_expires_at = $6, error = NULL, \
                     finished_at = $3, {END}"
                );
                with_pool!(self, pool => sqlx::query(&sql)
                    .bind(id).bind(worker).bind(now).bind(result)
                    .bind(file.as_ref().map(|f| f.0.as_str()))
                    .bind(file.as_ref().map(|f| f.1))
                    .execute(pool).await.map(|r| r.rows_affected()))?
            }
            Transition::Retry { error, run_after } => {
                let sql = format!(
                    "UPDATE jobs SET status = 'queued', message = 'waiting to retry', \
                     error = $4, run_after = $5, heartbeat_at = $3, {END}"
                );
                with_pool!(self, pool => sqlx::query(&sql)
                    .bind(id).bind(worker).bind(now).bind(error).bind(run_after)
                    .execute(pool).await.map(|r| r.rows_affected()))?
            }
            Transition::Failed { error } => {
                let sql = format!(
                    "UPDATE jobs SET status = 'failed', message = 'failed', error = $4, \
                     finished_at = $3, {END}"
                );
                with_pool!(self, pool => sqlx::query(&sql)
                    .bind(id).bind(worker).bind(now).bind(error)
                    .execute(pool).await.map(|r| r.rows_affected()))?
            }
            Transition::Cancelled => {
                let sql = format!(
                    "UPDATE jobs SET status = 'cancelled', message = 'cancelled', \
                     finished_at = $3, {END}"
                );
                with_pool!(self, pool => sqlx::query(&sql)
                    .bind(id).bind(worker).bind(now)
                    .execute(pool).await.map(|r| r.rows_affected()))?
            }
        };
        Ok(done == 1)
    }

    /// Cancels job `id`: a queued one at once, a running one by flagging
    /// it for its worker. `None` when it was not queued or running.
    pub async fn job_cancel(&self, id: &str, now: i64) -> Result<Option<JobRow>, sqlx::Error> {
        with_pool!(self, pool => sqlx::query_as(
            "UPDATE jobs SET cancel_requested = TRUE, \
             status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END, \
             message = CASE WHEN status = 'queued' THEN 'cancelled' ELSE 'cancelling' END, \
             finished_at = CASE WHEN status = 'queued' THEN $2 ELSE finished_at END \
             WHERE id = $1 AND status IN ('queued', 'running') RETURNING *",
        )
        .bind(id)
        .bind(now)
        .fetch_optional(pool)
        .await)
    }

    /// Job `id`.
    pub async fn job(&self, id: &str) -> Result<Option<JobRow>, sqlx::Error> {
        with_pool!(self, pool => sqlx::query_as("SELECT * FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    /// The newest `limit` jobs, of `owner` or of everyone.
    pub async fn jobs(&self, owner: Option<&str>, limit: i64) -> Result<Vec<JobRow>, sqlx::Error> {
        with_pool!(self, pool => sqlx::query_as(
            "SELECT * FROM jobs WHERE ($1 IS NULL OR owner = $1) \
             ORDER BY created_at DESC, id LIMIT $2",
        )
        .bind(owner)
        .bind(limit)
        .fetch_all(pool)
        .await)
    }

    /// The latest succeeded job answering `scope`.
    pub async fn job_latest_in_scope(&self, scope: &str) -> Result<Option<JobRow>, sqlx::Error> {
        with_pool!(self, pool => sqlx::query_as(
            "SELECT * FROM jobs WHERE scope = $1 AND status = 'succeeded' \
             ORDER BY finished_at DESC LIMIT 1",
        )
        .bind(scope)
        .fetch_optional(pool)
        .await)
    }

    /// Deletes jobs finished before `before`, returning their files; then
    /// forgets the files of downloads expired by `now`, returning those.
    pub async fn jobs_sweep(&self, before: i64, now: i64) -> Result<Vec<String>, sqlx::Error> {
        let mut files: Vec<Option<String>> = with_pool!(self, pool => sqlx::query_scalar(
            "DELETE FROM jobs WHERE finished_at < $1 RETURNING file_path",
        )
        .bind(before)
        .fetch_all(pool)
        .await)?;
        let expired: Vec<Option<String>> = with_pool!(self, pool => sqlx::query_scalar(
            "UPDATE jobs SET file_path = NULL \
             WHERE file_path IS NOT NULL AND file_expires_at < $1 RETURNING file_path",
        )
        .bind(now)
        .fetch_all(pool)
        .await)?;
        files.extend(expired);
        Ok(files.into_iter().flatten().collect())
    }
}
