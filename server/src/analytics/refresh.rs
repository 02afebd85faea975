//! Refreshing the rollups on request: `POST /api/v1/data/refresh` and
//! `tessera refresh` roll up the orders added since the last refresh.

use api_types::RefreshOutcome;
use serde_json::{json, Value};

use super::Dataset;
use crate::{
    audit::{AuditDescription, Audited},
    storage::Db,
};

/// A refresh was asked for.
pub const REFRESH: &str = "data.refresh";
/// A refresh whose client went away ended (recorded by the server alone).
pub const FINISHED: &str = "data.refresh.finished";

/// Why a refresh failed.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// The database failed; the rollups keep what was committed so far.
    #[error("refreshing the rollups failed: {0}")]
    Storage(#[from] sqlx::Error),
}

/// What the `data.refresh` row says before the refresh has run (kept when
/// it fails): nothing beyond the action.
pub fn attempt() -> AuditDescription {
    AuditDescription::new(REFRESH, json!({}))
}

/// What a refresh's row says about how it ended: `ingested`, `changed`,
/// `dataset_version`.
pub fn outcome_context(outcome: &RefreshOutcome) -> Value {
    json!({
        "ingested": outcome.ingested,
        "changed": outcome.changed,
        "dataset_version": outcome.status.dataset_version,
    })
}

/// Rolls up every order above the watermark, chunk by chunk, and has
/// `dataset` answer at the new version; `progress` gets the orders rolled
/// up so far.
pub async fn refresh(
    db: &Db,
    dataset: &Dataset,
    progress: impl FnMut(i64),
) -> Result<Audited<RefreshOutcome>, RefreshError> {
    let outcome = dataset.refresh_reporting(db, progress).await?;
    tracing::info!(
        ingested = outcome.ingested,
        version = outcome.status.dataset_version,
        duration_ms = outcome.duration_ms,
        "data refreshed"
    );
    let audit = AuditDescription::new(REFRESH, outcome_context(&outcome));
    Ok(Audited {
        value: outcome,
        audit,
    })
}

#[cfg(test)]
mod tests {
    use api_types::DataStatus;

    use super::*;

    #[test]
    fn the_row_says_what_changed() {
        let outcome = RefreshOutcome {
            ingested: 12,
            changed: true,
            duration_ms: 5,
            status: DataStatus {
                dataset_version: 3,
                data_as_of: None,
                orders: 12,
                orders_rolled_up: 12,
                customers: 4,
                rollup_rows: 2,
                last_refresh_at: None,
                last_refresh_ms: Some(5),
                source: None,
            },
        };
        assert_eq!(
            outcome_context(&outcome),
            json!({"ingested": 12, "changed": true, "dataset_version": 3})
        );
        assert_eq!(attempt(), AuditDescription::new(REFRESH, json!({})));
    }
}
