//! Workers: each claims the next due job under a lease, runs its handler,
//! and every half second renews the lease, saves progress and checks for a
//! cancel. A worker that dies leaves its lease to expire; the job is then
//! claimed again (its handler starts over: handlers are idempotent). The
//! run ends as succeeded, retried with backoff, failed (the error kept) or
//! cancelled, each written only while this worker still holds the lease.

use std::{
    path::PathBuf,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::task::JoinHandle;
use tracing::Instrument;

use super::{export, forecast, now_ms};
use crate::{
    analytics::Analytics,
    config::JobSettings,
    storage::{
        jobs::{JobRow, Transition},
        Db,
    },
};

/// How often a running job's lease, progress and cancel flag are synced.
pub const TICK: Duration = Duration::from_millis(500);
/// The longest retry backoff.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// What handlers and workers share.
pub struct JobContext {
    /// The database.
    pub db: Db,
    /// Queue settings.
    pub settings: JobSettings,
    /// The dataset and the customer sketches (forecasts read them).
    pub analytics: Arc<Analytics>,
    /// Exports are written under `<data_dir>/exports`.
    pub data_dir: PathBuf,
}

/// A running job's progress, written to the row on the next tick.
#[derive(Debug, Default)]
pub struct Progress(Mutex<(i32, String)>);

impl Progress {
    /// Sets the percentage (0–100) and the message.
    pub fn set(&self, percent: i32, message: impl Into<String>) {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *guard = (percent.clamp(0, 100), message.into());
    }

    fn get(&self) -> (i32, String) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// What a handler produced.
#[derive(Debug)]
pub struct Output {
    /// The result, as JSON.
    pub result: serde_json::Value,
    /// An export's finished file.
    pub file: Option<PathBuf>,
}

/// Why a handler failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Worth another attempt (the database was away, a file write failed).
    #[error("{0}")]
    Retryable(String),
    /// Will fail again (bad stored parameters, too little history).
    #[error("{0}")]
    Permanent(String),
}

impl From<sqlx::Error> for RunError {
    fn from(error: sqlx::Error) -> Self {
        RunError::Retryable(format!("database error: {error}"))
    }
}

/// A name unique to this worker, stored as the lease owner.
fn worker_name(index: usize) -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    let tag = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}:{}:{}:{index}", std::process::id(), &tag[..8])
}

/// Starts `count` workers.
pub fn spawn_workers(context: Arc<JobContext>, count: usize) -> Vec<JoinHandle<()>> {
    (0..count)
        .map(|index| {
            let context = Arc::clone(&context);
            tokio::spawn(async move { run_worker(context, worker_name(index)).await })
        })
        .collect()
}

async fn run_worker(context: Arc<JobContext>, name: String) {
    tracing::info!(worker = %name, "job worker started");
    loop {
        let lease = lease_ms(&context.settings);
        let now = now_ms();
        let running = i64::from(context.settings.per_user_running.max(1));
        match context.db.job_claim(&name, now, now + lease, running).await {
            Ok(Some(job)) => run_claimed(&context, &name, job).await,
            Ok(None) => tokio::time::sleep(context.settings.poll).await,
            Err(error) => {
                tracing::warn!(%error, "claiming a job failed");
                tokio::time::sleep(context.settings.poll.max(Duration::from_secs(1))).await;
            }
        }
    }
}

fn lease_ms(settings: &JobSettings) -> i64 {
    i64::try_from(settings.lease.as_millis()).unwrap_or(i64::MAX / 2)
}

/// Runs one claimed job to its end (or until the lease is lost).
async fn run_claimed(context: &JobContext, worker: &str, job: JobRow) {
    let span = tracing::info_span!("job", id = %job.id, kind = %job.kind, attempt = job.attempts);
    run_claimed_inner(context, worker, job)
        .instrument(span)
        .await;
}

async fn run_claimed_inner(context: &JobContext, worker: &str, job: JobRow) {
    let end = if job.cancel_requested {
        Transition::Cancelled
    } else if job.attempts > job.max_attempts {
        let last = job
            .error
            .clone()
            .unwrap_or_else(|| "the worker running it stopped".into());
        Transition::Failed {
            error: format!("gave up after {} attempts: {last}", job.max_attempts),
        }
    } else {
        match supervise(context, worker, &job).await {
            Some(end) => end,
            None => return,
        }
    };
    match context
        .db
        .job_transition(&job.id, worker, now_ms(), &end)
        .await
    {
        Ok(true) => tracing::info!(status = transition_name(&end), "job run ended"),
        Ok(false) => tracing::warn!("job was taken over before its run ended"),
        Err(error) => tracing::warn!(%error, "recording the job's end failed"),
    }
}

fn transition_name(end: &Transition) -> &'static str {
    match end {
        Transition::Succeeded { .. } => "succeeded",
        Transition::Retry { .. } => "queued for retry",
        Transition::Failed { .. } => "failed",
        Transition::Cancelled => "cancelled",
    }
}

/// Runs the handler beside the heartbeat; `None` when the lease was lost.
async fn supervise(context: &JobContext, worker: &str, job: &JobRow) -> Option<Transition> {
    let progress = Arc::new(Progress::default());
    progress.set(0, "starting");
    let handler = run_handler(context, job, Arc::clone(&progress));
    tokio::pin!(handler);
    let timeout = Duration::from_millis(u64::try_from(job.timeout_ms).unwrap_or(u64::MAX));
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let lease = lease_ms(&context.settings);
    let result = loop {
        tokio::select! {
            result = &mut handler => break result,
            () = &mut deadline => break Err(RunError::Permanent(format!(
                "timed out after {}", humantime::format_duration(timeout)
            ))),
            _ = tick.tick() => {
                let (percent, message) = progress.get();
                let now = now_ms();
                match context.db.job_heartbeat(&job.id, worker, now, now + lease, percent, &message).await {
                    Ok(Some(false)) => {}
                    Ok(Some(true)) => return Some(Transition::Cancelled),
                    Ok(None) => return None,
                    Err(error) => tracing::warn!(%error, "job heartbeat failed"),
                }
            }
        }
    };
    Some(match result {
        Ok(output) => succeeded(context, output),
        Err(RunError::Retryable(error)) if job.attempts < job.max_attempts => {
            tracing::warn!(%error, "job run failed; will retry");
            Transition::Retry {
                run_after: now_ms() + backoff_ms(job.attempts),
                error,
            }
        }
        Err(error) => Transition::Failed {
            error: error.to_string(),
        },
    })
}

fn succeeded(context: &JobContext, output: Output) -> Transition {
    let ttl = i64::try_from(context.settings.download_ttl.as_millis()).unwrap_or(i64::MAX / 2);
    Transition::Succeeded {
        result: output.result.to_string(),
        file: output
            .file
            .map(|path| (path.to_string_lossy().into_owned(), now_ms() + ttl)),
    }
}

/// 2 s, 4 s, 8 s, … up to five minutes, with up to 25 % jitter.
fn backoff_ms(attempt: i32) -> i64 {
    let base = 2_000_i64.saturating_mul(1_i64 << attempt.clamp(1, 20).saturating_sub(1));
    let capped = base.min(i64::try_from(MAX_BACKOFF.as_millis()).unwrap_or(i64::MAX));
    capped + now_ms().rem_euclid(capped / 4 + 1)
}

async fn run_handler(
    context: &JobContext,
    job: &JobRow,
    progress: Arc<Progress>,
) -> Result<Output, RunError> {
    match job.kind.as_str() {
        "forecast" => forecast::run(context, job, &progress).await,
        "export" => export::run(context, job, &progress).await,
        other => Err(RunError::Permanent(format!("unknown job kind '{other}'"))),
    }
}

/// Sleeps for the configured step pause, if any.
pub async fn pause(context: &JobContext) {
    if !context.settings.step_pause.is_zero() {
        tokio::time::sleep(context.settings.step_pause).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let first = backoff_ms(1);
        assert!((2_000..=2_500).contains(&first), "{first}");
        let third = backoff_ms(3);
        assert!((8_000..=10_000).contains(&third), "{third}");
        assert!(backoff_ms(30) <= 375_000);
    }
}
