//! The rollup cells' customers behind active customers and churn, kept in
//! memory.
//!
//! A KPI answer merges one customer cell (an exact set or a HyperLogLog
//! sketch, see [`super::distinct`]) per (month or day, region, category)
//! over three periods: at 50 million orders that is thousands of cells and
//! tens of megabytes, which the database needed ~100 ms to hand over. The
//! store keeps the cells, parsed, in a bounded in-process cache, so a cold
//! answer reads only each cell's `changed` stamp (a few bytes) and fetches
//! the cells it does not hold yet.
//!
//! Correct on any number of instances without any invalidation message:
//! a cached cell is used only when its `changed` stamp equals the one in
//! the database, and a refresh stamps every row it writes with the version
//! it commits. In the background each instance loads the cells written
//! since its last warm-up (newest first, within its memory budget), so the
//! first question after a refresh rarely waits for them either.

use std::{
    collections::BTreeMap,
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
    time::Duration,
};

use moka::sync::Cache;

use super::{
    calendar::Period,
    distinct::{Cell, CustomerSet},
    params::FilterSet,
    queries::QueryError,
    Dataset,
};
use crate::storage::{Db, SketchLevel};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    level: SketchLevel,
    bucket: i64,
    region: Box<str>,
    category: Box<str>,
}

impl Key {
    fn new(level: SketchLevel, bucket: i64, region: String, category: String) -> Self {
        Self {
            level,
            bucket,
            region: region.into(),
            category: category.into(),
        }
    }
}

#[derive(Clone)]
struct Entry {
    changed: i64,
    cell: Arc<Cell>,
}

/// Parsed cells per bucket.
type ByBucket = BTreeMap<i64, Vec<Arc<Cell>>>;

/// The bounded in-memory store of rollup customer cells.
pub struct SketchStore {
    cache: Cache<Key, Entry>,
    /// Cells written up to this dataset version have been warmed.
    warmed: AtomicI64,
    warming: tokio::sync::Mutex<()>,
}

/// Bytes an entry is charged: its cell plus the key and bookkeeping.
fn weight(key: &Key, entry: &Entry) -> u32 {
    let bytes = entry.cell.weight() + key.region.len() + key.category.len() + 96;
    u32::try_from(bytes).unwrap_or(u32::MAX)
}

impl SketchStore {
    /// An empty store holding at most `budget` bytes (0: nothing is kept,
    /// every answer reads its cells from the database).
    pub fn new(budget: u64) -> Self {
        Self {
            cache: Cache::builder()
                .max_capacity(budget)
                .weigher(weight)
                .build(),
            warmed: AtomicI64::new(0),
            warming: tokio::sync::Mutex::new(()),
        }
    }

    /// The size bound, in bytes.
    pub fn budget(&self) -> u64 {
        self.cache.policy().max_capacity().unwrap_or(0)
    }

    /// Cells written up to this version have been warmed.
    pub fn warmed_version(&self) -> i64 {
        self.warmed.load(Ordering::Acquire)
    }

    /// Drops every cell; the warmer loads them again.
    pub fn clear(&self) {
        self.cache.invalidate_all();
        self.warmed.store(0, Ordering::Release);
    }

    /// Cells held and their weight in bytes.
    pub fn usage(&self) -> (u64, u64) {
        self.cache.run_pending_tasks();
        (self.cache.entry_count(), self.cache.weighted_size())
    }

    /// The customers of each period (whole months from the monthly
    /// rollup, the days around them from the daily one): exact when every
    /// cell involved is.
    pub async fn merged(
        &self,
        db: &Db,
        filters: &FilterSet,
        periods: &[Period],
    ) -> Result<Vec<CustomerSet>, QueryError> {
        let splits: Vec<_> = periods.iter().map(|p| p.split_months()).collect();
        let months = merge_ranges(
            splits
                .iter()
                .flat_map(|(months, _)| months.iter().map(|&m| Period { from: m, to: m }))
                .collect(),
        );
        let days = merge_ranges(splits.iter().flat_map(|(_, e)| e.iter().copied()).collect());
        let (by_month, by_day) = tokio::try_join!(
            self.load(db, SketchLevel::Month, filters, &months),
            self.load(db, SketchLevel::Day, filters, &days),
        )?;
        let cells: Vec<Vec<Arc<Cell>>> = splits
            .iter()
            .map(|(months, edges)| {
                let month_cells = months.iter().filter_map(|m| by_month.get(m)).flatten();
                let day_cells = edges
                    .iter()
                    .flat_map(|edge| by_day.range(edge.from..=edge.to))
                    .flat_map(|(_, cells)| cells);
                month_cells.chain(day_cells).cloned().collect()
            })
            .collect();
        // Merging takes milliseconds of CPU at tens of millions of orders:
        // off the async workers, so other requests keep being served.
        tokio::task::spawn_blocking(move || merge_periods(&cells))
            .await
            .map_err(|_| QueryError::Merge)?
    }

    /// The cells of every matching cell in `ranges`: from memory when
    /// the stamp matches, otherwise (whole buckets) from the database.
    async fn load(
        &self,
        db: &Db,
        level: SketchLevel,
        filters: &FilterSet,
        ranges: &[Period],
    ) -> Result<ByBucket, QueryError> {
        let mut found = ByBucket::new();
        if ranges.is_empty() {
            return Ok(found);
        }
        let filter = filters.to_storage();
        let mut missing = Vec::new();
        if self.budget() == 0 {
            missing.extend(ranges.iter().copied());
        } else {
            let mut stale = Vec::new();
            for (bucket, region, category, changed) in
                db.sketch_stamps(level, &filter, ranges).await?
            {
                match self.cache.get(&Key::new(level, bucket, region, category)) {
                    Some(entry) if entry.changed == changed => {
                        found.entry(bucket).or_default().push(entry.cell);
                    }
                    _ => stale.push(Period {
                        from: bucket,
                        to: bucket,
                    }),
                }
            }
            missing = merge_ranges(stale);
        }
        if missing.is_empty() {
            return Ok(found);
        }
        // Buckets with a stale cell are read again whole, replacing what
        // memory held of them.
        found.retain(|bucket, _| !missing.iter().any(|range| range.contains(*bucket)));
        for (bucket, region, category, changed, bytes) in
            db.sketch_rows(level, &filter, &missing).await?
        {
            let cell = Arc::new(Cell::parse(&bytes)?);
            found.entry(bucket).or_default().push(cell.clone());
            self.remember(level, (bucket, region, category, changed), cell);
        }
        Ok(found)
    }

    fn remember(&self, level: SketchLevel, stamp: (i64, String, String, i64), cell: Arc<Cell>) {
        if self.budget() == 0 {
            return;
        }
        let (bucket, region, category, changed) = stamp;
        let key = Key::new(level, bucket, region, category);
        self.cache.insert(key, Entry { changed, cell });
    }

    /// Loads the cells written since the last warm-up up to `version`:
    /// every month first, then days from the newest, until 90 % of the
    /// budget is used. Returns how many it loaded.
    pub async fn warm(&self, db: &Db, version: i64) -> Result<usize, sqlx::Error> {
        let _one_at_a_time = self.warming.lock().await;
        let since = self.warmed.load(Ordering::Acquire);
        if self.budget() == 0 || version <= since {
            return Ok(0);
        }
        let limit = self.budget() / 10 * 9;
        let mut loaded = 0;
        for level in [SketchLevel::Month, SketchLevel::Day] {
            db.visit_sketches_changed_since(level, since, |(b, r, c, changed, bytes)| {
                // A corrupt cell is left out here; the answer that needs it
                // reads it again and reports the error.
                if let Ok(cell) = Cell::parse(&bytes) {
                    self.remember(level, (b, r, c, changed), Arc::new(cell));
                }
                loaded += 1;
                if loaded % 512 == 0 {
                    self.cache.run_pending_tasks();
                }
                self.cache.weighted_size() < limit
            })
            .await?;
        }
        self.warmed.store(version, Ordering::Release);
        Ok(loaded)
    }

    /// Warms the store whenever this instance sees a new dataset version.
    pub fn spawn_warmer(
        self: &Arc<Self>,
        db: Db,
        dataset: Arc<Dataset>,
        every: Duration,
    ) -> tokio::task::JoinHandle<()> {
        let store = self.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                let version = dataset.current().version;
                let started = std::time::Instant::now();
                match store.warm(&db, version).await {
                    Ok(0) => {}
                    Ok(loaded) => tracing::debug!(
                        loaded,
                        version,
                        ms = started.elapsed().as_millis() as u64,
                        "customer sketches warmed"
                    ),
                    Err(error) => tracing::debug!(%error, "could not warm customer sketches"),
                }
            }
        })
    }
}

/// Each period's cells merged into its customer set.
fn merge_periods(periods: &[Vec<Arc<Cell>>]) -> Result<Vec<CustomerSet>, QueryError> {
    periods
        .iter()
        .map(|cells| CustomerSet::union(cells.iter().map(AsRef::as_ref)).map_err(QueryError::from))
        .collect()
}

/// Sorted, overlapping or touching ranges joined.
pub fn merge_ranges(mut ranges: Vec<Period>) -> Vec<Period> {
    ranges.sort_by_key(|r| r.from);
    let mut merged: Vec<Period> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.from <= last.to + 1 => last.to = last.to.max(range.to),
            _ => merged.push(range),
        }
    }
    merged
}
