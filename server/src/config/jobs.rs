//! Background job settings: workers, limits, leases, timeouts, retention.

use std::time::Duration;

use super::{analytics::within, parse_with, ConfigError};

/// Settings of the job queue and its workers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSettings {
    /// Workers `tessera serve` runs (0: none; jobs then need `tessera worker`).
    pub workers: usize,
    /// Jobs of one user that may run at the same time.
    pub per_user_running: u32,
    /// Jobs of one user that may wait in the queue.
    pub per_user_queued: u32,
    /// Jobs that may wait in the queue in all.
    pub queue_limit: u32,
    /// How long a worker owns a job without a heartbeat.
    pub lease: Duration,
    /// Runs of one job before it fails for good.
    pub max_attempts: u32,
    /// Longest run of a forecast.
    pub forecast_timeout: Duration,
    /// Longest run of an export.
    pub export_timeout: Duration,
    /// How long finished jobs (and their files) are kept.
    pub retention: Duration,
    /// How long an export can be downloaded after it finished.
    pub download_ttl: Duration,
    /// How often the retention task runs.
    pub sweep_interval: Duration,
    /// How often an idle worker looks for a due job.
    pub poll: Duration,
    /// A pause between a job's steps: zero in normal use; tests and demos
    /// set it to watch progress or to stop a process mid-job.
    pub step_pause: Duration,
}

impl JobSettings {
    /// Reads the `TESSERA_JOB_*` variables (see `.env.sample`).
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let count = |max: u64| move |v: &str| whole(v, max);
        let span = |min: u64, max: u64| {
            move |v: &str| within(v, Duration::from_millis(min), Duration::from_millis(max))
        };
        const S: u64 = 1000;
        const DAY: u64 = 86_400 * S;
        Ok(Self {
            workers: parse_with(get, "TESSERA_JOB_WORKERS", "1", count(64))? as usize,
            per_user_running: parse_with(get, "TESSERA_JOB_USER_RUNNING", "2", count(64))? as u32,
            per_user_queued: parse_with(get, "TESSERA_JOB_USER_QUEUED", "20", count(10_000))?
                as u32,
            queue_limit: parse_with(get, "TESSERA_JOB_QUEUE_LIMIT", "1000", count(1_000_000))?
                as u32,
            lease: parse_with(get, "TESSERA_JOB_LEASE", "30s", span(2 * S, 3_600 * S))?,
            max_attempts: parse_with(get, "TESSERA_JOB_MAX_ATTEMPTS", "3", count(100))?.max(1)
                as u32,
            forecast_timeout: parse_with(get, "TESSERA_JOB_FORECAST_TIMEOUT", "5m", span(S, DAY))?,
            export_timeout: parse_with(get, "TESSERA_JOB_EXPORT_TIMEOUT", "2h", span(S, DAY))?,
            retention: parse_with(get, "TESSERA_JOB_RETENTION", "7d", span(60 * S, 365 * DAY))?,
            download_ttl: parse_with(get, "TESSERA_JOB_DOWNLOAD_TTL", "24h", span(S, 365 * DAY))?,
            sweep_interval: parse_with(get, "TESSERA_JOB_SWEEP_INTERVAL", "10m", span(S, DAY))?,
            poll: parse_with(get, "TESSERA_JOB_POLL", "500ms", span(50, 60 * S))?,
            step_pause: parse_with(get, "TESSERA_JOB_STEP_PAUSE", "0s", span(0, 60 * S))?,
        })
    }
}

fn whole(raw: &str, max: u64) -> Result<u64, String> {
    match raw.parse::<u64>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("expected a whole number from 0 to {max}")),
    }
}

/// The variables read here.
pub const VARIABLES: &[&str] = &[
    "TESSERA_JOB_WORKERS",
    "TESSERA_JOB_USER_RUNNING",
    "TESSERA_JOB_USER_QUEUED",
    "TESSERA_JOB_QUEUE_LIMIT",
    "TESSERA_JOB_LEASE",
    "TESSERA_JOB_MAX_ATTEMPTS",
    "TESSERA_JOB_FORECAST_TIMEOUT",
    "TESSERA_JOB_EXPORT_TIMEOUT",
    "TESSERA_JOB_RETENTION",
    "TESSERA_JOB_DOWNLOAD_TTL",
    "TESSERA_JOB_SWEEP_INTERVAL",
    "TESSERA_JOB_POLL",
    "TESSERA_JOB_STEP_PAUSE",
];
