//! Retention: one periodic task removes finished jobs (and their files)
//! past the retention period, forgets export files past their download
//! expiry, removes half-written exports left by crashes, and deletes
//! expired browser sessions.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use super::{export::remove_stale_parts, now_ms};
use crate::{config::JobSettings, storage::Db};

/// What one sweep removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// Files deleted (expired downloads and removed jobs' files).
    pub files: usize,
    /// Half-written export files deleted.
    pub parts: usize,
}

/// Runs one sweep.
pub async fn sweep(db: &Db, settings: &JobSettings, data_dir: &Path) -> Result<Swept, sqlx::Error> {
    if let Err(error) = db.session_store().delete_expired().await {
        tracing::warn!(%error, "deleting expired sessions failed");
    }
    let now = now_ms();
    let keep = i64::try_from(settings.retention.as_millis()).unwrap_or(i64::MAX / 2);
    let files = db.jobs_sweep(now - keep, now).await?;
    let removed = files
        .iter()
        .filter(|path| match std::fs::remove_file(path) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(error) => {
                tracing::warn!(%error, path = %path, "removing an export file failed");
                false
            }
        })
        .count();
    // A `.part` file older than an export may run belongs to no live run.
    let parts = remove_stale_parts(data_dir, settings.export_timeout + settings.lease);
    Ok(Swept {
        files: removed,
        parts,
    })
}

/// Sweeps at start-up and every `settings.sweep_interval`.
pub fn spawn_sweeper(
    db: Db,
    settings: JobSettings,
    data_dir: PathBuf,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(settings.sweep_interval.max(Duration::from_secs(1)));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match sweep(&db, &settings, &data_dir).await {
                Ok(swept) if swept != Swept::default() => {
                    tracing::info!(files = swept.files, parts = swept.parts, "retention sweep");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "retention sweep failed"),
            }
        }
    })
}
