//! The dataset version this instance answers at, and refreshing the rollups.
//!
//! Every instance polls `dataset_state` (one tiny query per poll interval,
//! not per request), so a refresh on any instance changes every instance's
//! cache keys within one interval; a refresh on this instance takes effect
//! here at once.

use std::{
    sync::{Arc, Mutex, RwLock},
    time::{Duration, Instant},
};

use api_types::{DataStatus, RefreshOutcome};
use time::OffsetDateTime;

use super::calendar::{self, Day, SECONDS_PER_DAY};
use crate::storage::{DatasetState, Db, WarehouseCounts};

/// Orders rolled up per transaction.
pub const REFRESH_CHUNK: i64 = 250_000;

/// A refresh that rolls up at least this many orders refreshes the
/// database's statistics of the warehouse afterwards.
const ANALYZE_AFTER: i64 = 100_000;

/// How long the warehouse sizes in the status answer are reused (the
/// version and times in it are always read afresh).
const COUNTS_FOR: Duration = Duration::from_secs(1);

/// The dataset version as this instance knows it.
#[derive(Debug)]
pub struct Dataset {
    state: RwLock<DatasetState>,
    /// Customers a rollup cell keeps exactly (`TESSERA_EXACT_CUSTOMERS`).
    exact_customers: usize,
    /// The last warehouse sizes read: at which version and when.
    counts: Mutex<Option<(i64, Instant, WarehouseCounts)>>,
}

impl Dataset {
    /// A dataset whose refreshes keep exact customer sets in cells of up
    /// to `exact_customers` customers.
    pub fn new(exact_customers: usize) -> Self {
        Self {
            state: RwLock::default(),
            exact_customers,
            counts: Mutex::new(None),
        }
    }

    /// Customers a rollup cell keeps exactly.
    pub fn exact_customers(&self) -> usize {
        self.exact_customers
    }

    /// The state last seen.
    pub fn current(&self) -> DatasetState {
        self.state.read().map(|s| *s).unwrap_or_default()
    }

    /// Reads the state from the database.
    pub async fn sync(&self, db: &Db) -> Result<DatasetState, sqlx::Error> {
        let state = db.dataset_state().await?;
        if let Ok(mut current) = self.state.write() {
            *current = state;
        }
        Ok(state)
    }

    /// `GET /api/v1/data/status`: the state read afresh; the warehouse
    /// sizes (a count over the rollup table) read at most once per
    /// [`COUNTS_FOR`] and dataset version, however often it is asked.
    pub async fn status(&self, db: &Db) -> Result<DataStatus, sqlx::Error> {
        let state = self.sync(db).await?;
        let kept = self.counts.lock().ok().and_then(|kept| *kept);
        let counts = match kept {
            Some((version, read_at, counts))
                if version == state.version && read_at.elapsed() < COUNTS_FOR =>
            {
                counts
            }
            _ => {
                let counts = db.warehouse_counts(state.watermark).await?;
                if let Ok(mut kept) = self.counts.lock() {
                    *kept = Some((state.version, Instant::now(), counts));
                }
                counts
            }
        };
        Ok(status_from(state, counts))
    }

    /// Keeps the state in sync until the process ends.
    pub fn spawn_poller(self: &Arc<Self>, db: Db, every: Duration) -> tokio::task::JoinHandle<()> {
        let dataset = self.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                if let Err(error) = dataset.sync(&db).await {
                    tracing::debug!(%error, "could not read the dataset version");
                }
            }
        })
    }

    /// Rolls up new orders every `interval` (if set) until the process
    /// ends; at once if the rollups are empty while orders exist (after an
    /// upgrade that rebuilds them).
    pub fn spawn_refresher(
        self: &Arc<Self>,
        db: Db,
        interval: Option<Duration>,
    ) -> tokio::task::JoinHandle<()> {
        let dataset = self.clone();
        tokio::spawn(async move {
            if dataset.current().rolled_up == 0 && db.has_orders().await.unwrap_or(false) {
                tracing::info!("the rollups are empty: rebuilding them from the orders");
                match dataset.refresh(&db).await {
                    Ok(outcome) => tracing::info!(
                        ingested = outcome.ingested,
                        duration_ms = outcome.duration_ms,
                        "rollups rebuilt"
                    ),
                    Err(error) => tracing::warn!(%error, "rebuilding the rollups failed"),
                }
            }
            let Some(interval) = interval else { return };
            let mut ticker = tokio::time::interval(interval);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticker.tick().await;
            loop {
                ticker.tick().await;
                match dataset.refresh(&db).await {
                    Ok(outcome) if outcome.changed => tracing::info!(
                        ingested = outcome.ingested,
                        version = outcome.status.dataset_version,
                        duration_ms = outcome.duration_ms,
                        "scheduled refresh rolled up new orders"
                    ),
                    Ok(_) => tracing::debug!("scheduled refresh: nothing new"),
                    Err(error) => tracing::warn!(%error, "scheduled refresh failed"),
                }
            }
        })
    }

    /// Rolls up every order above the watermark, chunk by chunk.
    pub async fn refresh(&self, db: &Db) -> Result<RefreshOutcome, sqlx::Error> {
        self.refresh_reporting(db, |_| {}).await
    }

    /// [`Dataset::refresh`]; `progress` gets the orders rolled up so far.
    pub async fn refresh_reporting(
        &self,
        db: &Db,
        progress: impl FnMut(i64),
    ) -> Result<RefreshOutcome, sqlx::Error> {
        refresh_with_progress(db, self.exact_customers, progress)
            .await
            .map(|(outcome, state)| {
                if let Ok(mut current) = self.state.write() {
                    *current = state;
                }
                outcome
            })
    }
}

/// The refresh itself; cells keep exact customer sets of up to
/// `exact_customers`; `progress` gets the orders rolled up so far.
pub async fn refresh_with_progress(
    db: &Db,
    exact_customers: usize,
    mut progress: impl FnMut(i64),
) -> Result<(RefreshOutcome, DatasetState), sqlx::Error> {
    let started = Instant::now();
    let mut ingested = 0;
    loop {
        let chunk = db
            .refresh_chunk(REFRESH_CHUNK, unix_now(), exact_customers)
            .await?;
        if chunk.orders == 0 {
            break;
        }
        ingested += chunk.orders;
        progress(ingested);
    }
    if ingested >= ANALYZE_AFTER {
        db.analyze_warehouse().await?;
    }
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    db.finish_refresh(unix_now(), (ingested > 0).then_some(duration_ms))
        .await?;
    let state = db.dataset_state().await?;
    let status = status(db, state).await?;
    let outcome = RefreshOutcome {
        ingested,
        changed: ingested > 0,
        duration_ms,
        status,
    };
    Ok((outcome, state))
}

/// The status with every figure read afresh (after a refresh; requests go
/// through [`Dataset::status`]).
pub async fn status(db: &Db, state: DatasetState) -> Result<DataStatus, sqlx::Error> {
    let counts = db.warehouse_counts(state.watermark).await?;
    Ok(status_from(state, counts))
}

fn status_from(state: DatasetState, counts: WarehouseCounts) -> DataStatus {
    DataStatus {
        dataset_version: state.version,
        data_as_of: state.data_as_of.map(rfc3339),
        orders: state.rolled_up + counts.pending_orders,
        orders_rolled_up: state.rolled_up,
        customers: counts.customers,
        rollup_rows: counts.rollup_rows,
        last_refresh_at: state.last_refresh_at.map(rfc3339),
        last_refresh_ms: state.last_refresh_ms,
        source: None,
    }
}

/// The last day with data (today when there is none): presets end here.
pub fn anchor_day(state: &DatasetState) -> Day {
    state.data_as_of.map_or_else(
        || unix_now().div_euclid(SECONDS_PER_DAY),
        |t| t.div_euclid(SECONDS_PER_DAY),
    )
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Unix seconds as RFC 3339 (UTC).
pub fn rfc3339(seconds: i64) -> String {
    let day = seconds.div_euclid(SECONDS_PER_DAY);
    let rest = seconds.rem_euclid(SECONDS_PER_DAY);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        calendar::format_day(day),
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}
