//! The PostgreSQL warehouse source (`TESSERA_SOURCE_URL`): each pull reads
//! the rows past the saved watermark, in batches, checks every cell as a
//! CSV import does, and loads each batch with its watermark in one
//! transaction (so a crash between batches repeats nothing and loses
//! nothing), then rolls the new orders up. The source is only ever read,
//! over read-only transactions. A failing pull keeps the data loaded so
//! far and records a short, password-free reason for the status.

use api_types::{SourceState as ApiSourceState, SourceStatus};
use tokio::sync::{Mutex, OnceCell};

use crate::{
    analytics::{refresh, Analytics},
    config::{SourceFrom, SourceSettings},
    imports::cells,
    jobs::{now_ms, view::rfc3339_ms},
    storage::{
        source::{SourceDb, SourceRow},
        staging::{MergeOptions, Refusal, StagedOrder},
        Db,
    },
};

/// Why a pull stopped.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    /// The source could not be read (connection, permissions, SQL).
    #[error("the source could not be read: {0}")]
    Source(String),
    /// A source row has a value Tessera cannot use.
    #[error("source row {row} (watermark {mark}): {column} {message}")]
    Row {
        /// Position in the pull.
        row: i64,
        /// Its watermark value.
        mark: String,
        /// The column.
        column: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Tessera's database failed.
    #[error("storage failed during the pull")]
    Storage(#[from] sqlx::Error),
}

/// What a pull did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pulled {
    /// Rows moved.
    pub rows: i64,
    /// Batches loaded.
    pub batches: i64,
}

/// The configured source.
pub struct Source {
    settings: SourceSettings,
    db: SourceDb,
    mark_type: OnceCell<String>,
    pulling: Mutex<()>,
}

impl Source {
    /// The source of `settings` (connects when first pulled).
    pub fn new(settings: SourceSettings) -> Result<Self, sqlx::Error> {
        let from = match &settings.from {
            SourceFrom::Table(name) => name.clone(),
            SourceFrom::Query(query) => format!("({query})"),
        };
        let db = SourceDb::connect_lazy(
            settings.url(),
            &from,
            &settings.columns,
            &settings.watermark,
        )?;
        Ok(Self {
            settings,
            db,
            mark_type: OnceCell::new(),
            pulling: Mutex::new(()),
        })
    }

    /// Pulls now and then every `TESSERA_SOURCE_INTERVAL` until the
    /// process ends.
    pub fn spawn_puller(
        self: &std::sync::Arc<Self>,
        db: Db,
        analytics: std::sync::Arc<Analytics>,
    ) -> tokio::task::JoinHandle<()> {
        let source = self.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(source.settings.interval);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                // The outcome is recorded for the status; failures are logged.
                let _ = source.pull(&db, &analytics).await;
            }
        })
    }

    /// What identifies this source's watermark: a new table, query or
    /// watermark column starts over.
    fn key(&self) -> String {
        format!(
            "{}|{}",
            self.settings.description, self.settings.watermark_name
        )
    }

    /// Pulls every row past the watermark and rolls the new orders up;
    /// the outcome is recorded for the status either way.
    pub async fn pull(&self, db: &Db, analytics: &Analytics) -> Result<Pulled, PullError> {
        let _one_at_a_time = self.pulling.lock().await;
        let result = self.pull_batches(db, analytics).await;
        let error = result.as_ref().err().map(|e| {
            let text = e.to_string();
            crate::audit::clean::text(&text, 300).into_owned()
        });
        if let Some(error) = &error {
            tracing::warn!(%error, "pulling from the warehouse source failed");
        }
        let rows = result.as_ref().map_or(0, |p| p.rows);
        db.source_pulled(now_ms(), rows, error.as_deref()).await?;
        if rows > 0 {
            if let Err(error) = refresh::refresh(db, &analytics.dataset, |_| {}).await {
                tracing::error!(%error, "the refresh after a source pull failed");
            }
        }
        result
    }

    async fn pull_batches(&self, db: &Db, analytics: &Analytics) -> Result<Pulled, PullError> {
        let key = self.key();
        let state = db.source_state().await?;
        if state.source.as_deref() != Some(key.as_str()) {
            db.source_reset(&key).await?;
        }
        let mut mark = db.source_state().await?.watermark;
        let mark_type = self
            .mark_type
            .get_or_try_init(|| self.db.mark_type())
            .await
            .map_err(source_error)?;
        let limit = i64::try_from(self.settings.batch).unwrap_or(10_000);
        let mut pulled = Pulled::default();
        loop {
            let mut rows = self
                .db
                .after(mark.as_deref(), mark_type, limit)
                .await
                .map_err(source_error)?;
            let full = rows.len() as i64 == limit;
            if rows.is_empty() {
                break;
            }
            if full {
                rows = self.whole_marks(rows, mark_type).await?;
            }
            let last = rows.last().map(|r| r.mark.clone()).unwrap_or_default();
            let staged = staged(&rows, pulled.rows)?;
            let mut staging = db.begin_staging().await?;
            staging.push(&staged).await?;
            let options = MergeOptions {
                upsert: true,
                exact_customers: analytics.dataset.exact_customers(),
                source: Some((&key, &last)),
            };
            // An upsert is refused only for an id the batch holds twice:
            // stop there (nothing of the batch loaded, the watermark kept)
            // rather than move past rows that never arrived.
            if let Err(refusal) = staging.merge(options).await? {
                let id = match refusal {
                    Refusal::Repeated(rows, _) => rows.first().map_or(0, |r| r.1),
                    Refusal::Present(rows, _) => rows.first().map_or(0, |r| r.1),
                };
                return Err(PullError::Row {
                    row: pulled.rows + 1,
                    mark: last,
                    column: "id",
                    message: format!("{id} appears more than once in one batch"),
                });
            }
            pulled.rows += rows.len() as i64;
            pulled.batches += 1;
            mark = Some(last);
            if !full {
                break;
            }
        }
        Ok(pulled)
    }

    /// A full batch ends at a watermark value that may go on past it: the
    /// rows of that value are read whole, so none is split across batches.
    async fn whole_marks(
        &self,
        mut rows: Vec<SourceRow>,
        mark_type: &str,
    ) -> Result<Vec<SourceRow>, PullError> {
        let last = rows.last().map(|r| r.mark.clone()).unwrap_or_default();
        rows.retain(|r| r.mark != last);
        let tied = self.db.at(&last, mark_type).await.map_err(source_error)?;
        rows.extend(tied);
        Ok(rows)
    }

    /// The source's state for `GET /api/v1/data/status`.
    pub async fn status(&self, db: &Db) -> Result<SourceStatus, sqlx::Error> {
        let state = db.source_state().await?;
        let ours = state.source.as_deref() == Some(self.key().as_str());
        Ok(SourceStatus {
            description: self.settings.description.clone(),
            watermark_column: self.settings.watermark_name.clone(),
            watermark: state.watermark.filter(|_| ours),
            state: match state.state.as_str() {
                "ok" if ours => ApiSourceState::Ok,
                "failing" => ApiSourceState::Failing,
                _ => ApiSourceState::Pending,
            },
            last_pull_at: state.last_pull_at.map(rfc3339_ms),
            last_pull_rows: state.last_pull_rows,
            rows_pulled: if ours { state.rows_pulled } else { 0 },
            last_error: state.last_error,
        })
    }
}

/// A source failure as the status shows it: what went wrong, never the
/// URL (sqlx's messages name neither the URL nor the password).
fn source_error(error: sqlx::Error) -> PullError {
    let text = match &error {
        sqlx::Error::Database(e) => format!("the source answered: {}", e.message()),
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
            "could not connect to the source (is it up, and is TESSERA_SOURCE_URL right?)".into()
        }
        sqlx::Error::Configuration(_) => "TESSERA_SOURCE_URL could not be used".into(),
        _ => "the source could not be read".into(),
    };
    PullError::Source(text)
}

/// Source rows as orders to load; the first unusable cell stops the pull.
fn staged(rows: &[SourceRow], offset: i64) -> Result<Vec<StagedOrder>, PullError> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| order(row, offset + i as i64 + 1))
        .collect()
}

fn order(row: &SourceRow, position: i64) -> Result<StagedOrder, PullError> {
    let cell = |i: usize| row.cells.get(i).and_then(|c| c.as_deref());
    let fail = |column: &'static str, message: String| PullError::Row {
        row: position,
        mark: crate::audit::clean::text(&row.mark, 64).into_owned(),
        column,
        message,
    };
    let need =
        |i: usize, column: &'static str| cell(i).ok_or_else(|| fail(column, "is empty".into()));
    let id = match cell(0) {
        Some(raw) => Some(cells::whole(raw, 1, i64::MAX / 2).map_err(|m| fail("id", m))?),
        None => None,
    };
    let ordered_at = source_time(need(1, "ordered_at")?).map_err(|m| fail("ordered_at", m))?;
    Ok(StagedOrder {
        line: position,
        id,
        ordered_at,
        customer_id: cells::whole(need(2, "customer_id")?, 1, i64::MAX / 2)
            .map_err(|m| fail("customer_id", m))?,
        region: cells::dimension(need(3, "region")?).map_err(|m| fail("region", m))?,
        category: cells::dimension(need(4, "category")?).map_err(|m| fail("category", m))?,
        product: cells::text(need(5, "product")?, cells::MAX_PRODUCT_CHARS)
            .map_err(|m| fail("product", m))?,
        quantity: cells::whole(need(6, "quantity")?, 1, cells::MAX_QUANTITY)
            .map_err(|m| fail("quantity", m))?,
        unit_price: cells::money(need(7, "unit_price")?).map_err(|m| fail("unit_price", m))?,
        unit_cost: cells::money(need(8, "unit_cost")?).map_err(|m| fail("unit_cost", m))?,
        discount: cell(9)
            .map_or(Ok(0), cells::money)
            .map_err(|m| fail("discount", m))?,
        status: cells::status(need(10, "status")?).map_err(|m| fail("status", m))?,
    })
}

/// A PostgreSQL time as text (`2026-11-30 14:05:00.25+00` in a UTC
/// session, a `timestamp`, a `date`) or Unix seconds, as Unix seconds.
fn source_time(raw: &str) -> Result<i64, String> {
    if let Ok(seconds) = raw.parse::<i64>() {
        return Ok(seconds);
    }
    let trimmed = raw.strip_suffix("+00").unwrap_or(raw);
    let whole = trimmed.split('.').next().unwrap_or(trimmed);
    cells::time(whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_times_read_as_unix_seconds() {
        assert_eq!(source_time("2026-11-30 14:05:00+00"), Ok(1_796_047_500));
        assert_eq!(source_time("2026-11-30 14:05:00.75+00"), Ok(1_796_047_500));
        assert_eq!(source_time("2026-11-30 14:05:00"), Ok(1_796_047_500));
        assert_eq!(source_time("2026-11-30"), Ok(1_795_996_800));
        assert_eq!(source_time("1796047500"), Ok(1_796_047_500));
        assert!(source_time("yesterday").is_err());
    }
}
