//! The job table's rows and what its queries take and return.

/// One row of `jobs`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    /// Opaque id (UUID).
    pub id: String,
    /// `forecast` or `export`.
    pub kind: String,
    /// Normalised parameters (JSON).
    pub params: String,
    /// Hash of kind, parameters and dataset version.
    pub dedup_key: String,
    /// What a result answers (e.g. the forecast's metric and filters).
    pub scope: String,
    /// The dataset version at submit time.
    pub dataset_version: i64,
    /// The principal's key (`user:3`).
    pub owner: String,
    /// The principal's display name.
    pub owner_name: String,
    /// `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    /// 0–100.
    pub progress: i32,
    /// What the job is doing.
    pub message: String,
    /// Runs started.
    pub attempts: i32,
    /// Runs allowed.
    pub max_attempts: i32,
    /// Longest one run may take.
    pub timeout_ms: i64,
    /// Not claimed before this time (retry backoff).
    pub run_after: i64,
    /// The worker holding the lease.
    pub lease_owner: Option<String>,
    /// The lease's end.
    pub lease_until: Option<i64>,
    /// The last heartbeat.
    pub heartbeat_at: Option<i64>,
    /// Cancel asked for while running.
    pub cancel_requested: bool,
    /// The result (JSON).
    pub result: Option<String>,
    /// The last error.
    pub error: Option<String>,
    /// An export's file.
    pub file_path: Option<String>,
    /// When the file may no longer be downloaded.
    pub file_expires_at: Option<i64>,
    /// Submit time.
    pub created_at: i64,
    /// Start of the current or last run.
    pub started_at: Option<i64>,
    /// End time.
    pub finished_at: Option<i64>,
}

/// A job to insert.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// Opaque id.
    pub id: String,
    /// Kind code.
    pub kind: &'static str,
    /// Normalised parameters (JSON).
    pub params: String,
    /// De-duplication key.
    pub dedup_key: String,
    /// Result scope.
    pub scope: String,
    /// Dataset version.
    pub dataset_version: i64,
    /// Principal key.
    pub owner: String,
    /// Principal name.
    pub owner_name: String,
    /// Runs allowed.
    pub max_attempts: i32,
    /// Longest run.
    pub timeout_ms: i64,
    /// Now.
    pub now: i64,
    /// Whether an identical succeeded job answers this one.
    pub reuse_finished: bool,
}

/// The queue bounds a submit must respect.
#[derive(Debug, Clone, Copy)]
pub struct SubmitLimits {
    /// Queued jobs one owner may have.
    pub per_user_queued: i64,
    /// Queued jobs in all.
    pub total_queued: i64,
}

/// What a submit did.
#[derive(Debug)]
pub enum Submitted {
    /// A new job.
    Created(JobRow),
    /// An identical job already queued, running or (if allowed) succeeded.
    Existing(JobRow),
    /// The owner's queued jobs are at the limit.
    OwnerFull,
    /// The whole queue is at its bound.
    QueueFull,
}

/// How a run ended, as the worker records it.
#[derive(Debug, Clone)]
pub enum Transition {
    /// Done with a result (and an export's file).
    Succeeded {
        /// JSON result.
        result: String,
        /// The file, with its expiry.
        file: Option<(String, i64)>,
    },
    /// Back to the queue after a failure, not before `run_after`.
    Retry {
        /// The error.
        error: String,
        /// Earliest next run.
        run_after: i64,
    },
    /// Gave up.
    Failed {
        /// The error.
        error: String,
    },
    /// Stopped on request.
    Cancelled,
}
