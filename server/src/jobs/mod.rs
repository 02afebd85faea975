//! Background jobs: forecasts and exports that run outside the request,
//! survive a crashed process, report progress and can be cancelled.
//!
//! The queue is a table ([`crate::storage::jobs`]); workers ([`worker`])
//! claim due jobs under a lease, in `tessera serve` or in a separate
//! `tessera worker` process. This module holds the use cases the API calls:
//! submit (with de-duplication and limits), read, list, cancel, download.

pub mod export;
pub mod forecast;
mod params;
pub mod retention;
pub mod view;
pub mod worker;

use std::time::Duration;

use api_types::{ExportParams, ForecastMetric, ForecastParams, JobKind};

pub use self::params::{parse_export, parse_forecast};
use crate::{
    audit::chain::sha256_hex,
    auth::principal::{subject, Principal},
    config::JobSettings,
    storage::{
        jobs::{JobRow, NewJob, SubmitLimits, Submitted},
        Db,
    },
};
use api_types::Role;

/// What a job is asked to do, with its normalised parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobSpec {
    /// A forecast.
    Forecast(ForecastParams),
    /// An export.
    Export(ExportParams),
}

impl JobSpec {
    /// The kind.
    pub fn kind(&self) -> JobKind {
        match self {
            JobSpec::Forecast(_) => JobKind::Forecast,
            JobSpec::Export(_) => JobKind::Export,
        }
    }

    /// The parameters as stored and shown (JSON, fixed field order).
    pub fn params_json(&self) -> String {
        match self {
            JobSpec::Forecast(p) => serde_json::to_string(p),
            JobSpec::Export(p) => serde_json::to_string(p),
        }
        .unwrap_or_default()
    }

    /// What a succeeded job answers: for forecasts, the metric and filters
    /// (the dashboard's model accuracy looks results up by it).
    pub fn scope(&self) -> String {
        match self {
            JobSpec::Forecast(p) => forecast_scope(p.target_metric, &p.regions, &p.categories),
            JobSpec::Export(_) => "export".into(),
        }
    }

    /// Two jobs with the same key do the same work on the same data for
    /// the same owner. The owner is part of it: a job (and an export's
    /// file) is only ever shown to its owner and to admins.
    pub fn dedup_key(&self, owner: &str, dataset_version: i64) -> String {
        let key = format!(
            "{owner}\0{}\0{}\0{dataset_version}",
            self.kind().code(),
            self.params_json()
        );
        sha256_hex(key.as_bytes())
    }

    fn timeout(&self, settings: &JobSettings) -> Duration {
        match self {
            JobSpec::Forecast(_) => settings.forecast_timeout,
            JobSpec::Export(_) => settings.export_timeout,
        }
    }
}

/// The scope of forecasts of `metric` over these filters (the values as
/// JSON strings, so no value can pass for another list).
pub fn forecast_scope(metric: ForecastMetric, regions: &[String], categories: &[String]) -> String {
    let json = |values: &[String]| serde_json::to_string(values).unwrap_or_default();
    format!(
        "forecast:{}|{}|{}",
        metric.code(),
        json(regions),
        json(categories)
    )
}

/// Why a job use case refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// No such job visible to the caller (another user's job is this too).
    #[error("no job with that id")]
    NotFound,
    /// A queue limit is reached; try again after the given time.
    #[error("{0}")]
    Limited(String, Duration),
    /// The job is not in a state that allows this.
    #[error("{0}")]
    Conflict(String),
    /// The export's file is gone (expired or swept).
    #[error("{0}")]
    Gone(String),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

/// How long a caller turned away by a full queue should wait.
const FULL_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The key jobs are owned under: the principal's subject (`user:3`).
pub fn owner_key(principal: &Principal) -> String {
    subject(principal.kind, principal.id)
}

/// Queues `spec` for `principal`, or returns the identical job that
/// answers it (`true`). A full queue is [`JobError::Limited`].
pub async fn submit(
    db: &Db,
    settings: &JobSettings,
    dataset_version: i64,
    principal: &Principal,
    spec: &JobSpec,
) -> Result<(JobRow, bool), JobError> {
    let job = NewJob {
        id: uuid::Uuid::new_v4().to_string(),
        kind: spec.kind().code(),
        params: spec.params_json(),
        dedup_key: spec.dedup_key(&owner_key(principal), dataset_version),
        scope: spec.scope(),
        dataset_version,
        owner: owner_key(principal),
        owner_name: principal.name.clone(),
        max_attempts: i32::try_from(settings.max_attempts).unwrap_or(i32::MAX),
        timeout_ms: i64::try_from(spec.timeout(settings).as_millis()).unwrap_or(i64::MAX),
        now: now_ms(),
        reuse_finished: matches!(spec, JobSpec::Forecast(_)),
    };
    let limits = SubmitLimits {
        per_user_queued: i64::from(settings.per_user_queued),
        total_queued: i64::from(settings.queue_limit),
    };
    match db.job_submit(&job, limits).await? {
        Submitted::Created(row) => Ok((row, false)),
        Submitted::Existing(row) => Ok((row, true)),
        Submitted::OwnerFull => Err(JobError::Limited(
            format!(
                "you already have {} jobs waiting; try again when one has started",
                settings.per_user_queued
            ),
            FULL_RETRY_AFTER,
        )),
        Submitted::QueueFull => Err(JobError::Limited(
            "the job queue is full; try again shortly".into(),
            FULL_RETRY_AFTER,
        )),
    }
}

/// Job `id` if `principal` may see it: its owner, or an admin.
pub async fn visible(db: &Db, principal: &Principal, id: &str) -> Result<JobRow, JobError> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(JobError::NotFound);
    }
    match db.job(id).await? {
        Some(row) if row.owner == owner_key(principal) || principal.role == Role::Admin => Ok(row),
        _ => Err(JobError::NotFound),
    }
}

/// The newest jobs of `principal`, or everyone's when `all` (admins).
pub async fn list(db: &Db, principal: &Principal, all: bool) -> Result<Vec<JobRow>, JobError> {
    let owner = (!all).then(|| owner_key(principal));
    Ok(db.jobs(owner.as_deref(), 200).await?)
}

/// Cancels job `id`: a queued one at once; a running one is flagged and
/// its worker stops it within a second.
pub async fn cancel(db: &Db, principal: &Principal, id: &str) -> Result<JobRow, JobError> {
    let row = visible(db, principal, id).await?;
    match db.job_cancel(&row.id, now_ms()).await? {
        Some(row) => Ok(row),
        None => Err(JobError::Conflict(format!(
            "the job has already {}",
            db.job(&row.id).await?.map_or(row.status, |r| r.status)
        ))),
    }
}

/// The file of export `id` and the name to offer it under, while it can
/// still be downloaded.
pub async fn download(
    db: &Db,
    principal: &Principal,
    id: &str,
) -> Result<(JobRow, std::path::PathBuf, String), JobError> {
    let row = visible(db, principal, id).await?;
    if row.kind != JobKind::Export.code() {
        return Err(JobError::Conflict("only exports have a file".into()));
    }
    if row.status != "succeeded" {
        return Err(JobError::Conflict(format!(
            "the export is {}; its file is ready once it has succeeded",
            row.status
        )));
    }
    let expired = row.file_expires_at.is_some_and(|at| at <= now_ms());
    let name = view::file_name(&row);
    match (&row.file_path, expired) {
        (Some(path), false) if std::path::Path::new(path).is_file() => {
            let path = std::path::PathBuf::from(path);
            Ok((row, path, name))
        }
        (Some(_), false) => Err(JobError::Gone(
            "the export's file is not on this server's data directory (instances running \
             exports must share it)"
                .into(),
        )),
        _ => Err(JobError::Gone(
            "the export's download has expired; run the export again".into(),
        )),
    }
}
