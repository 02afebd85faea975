//! Incremental rollup refresh: orders above the watermark are folded into
//! `rollup_daily` and `rollup_monthly`, one chunk per transaction. The first
//! statement of each transaction locks the `dataset_state` row, so refreshes
//! from several instances (or the CLI) run one after the other.

use std::collections::HashMap;

use futures_util::TryStreamExt;
use sqlx::QueryBuilder;

use super::{
    days::{month_of, SECONDS_PER_DAY},
    dimensions::rewrite_dimension_values,
    distinct, with_pool, Db,
};

/// Rows per multi-row upsert (9 binds each, well under SQLite's limit).
pub(super) const UPSERT_BATCH: usize = 500;

#[derive(Default)]
pub(super) struct Cell {
    orders: i64,
    quantity: i64,
    revenue: i64,
    cost: i64,
    customers: Vec<i64>,
}

pub(super) type CellKey = (i64, String, String);
pub(super) type OrderRow = (i64, i64, String, String, i64, i64, i64, i64, String);
/// A `rollup_daily` row: key, orders, quantity, revenue, cost, customers.
type DailyRow = (i64, String, String, i64, i64, i64, i64, Vec<u8>);

/// What one chunk did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChunkOutcome {
    /// Orders rolled up (all statuses; only completed ones are summed).
    pub orders: i64,
}

impl Db {
    /// Rolls up at most `max_orders` orders above the watermark in one
    /// transaction and bumps the dataset version if there were any. Cells
    /// keep their exact customer set up to `exact_customers` (see
    /// [`distinct`]).
    pub async fn refresh_chunk(
        &self,
        max_orders: i64,
        now: i64,
        exact_customers: usize,
    ) -> Result<ChunkOutcome, sqlx::Error> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE dataset_state SET version = version WHERE id = 1")
                .execute(&mut *tx)
                .await?;
            let (watermark, version): (i64, i64) =
                sqlx::query_as("SELECT watermark, version FROM dataset_state WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?;
            // The version this transaction commits: what every row it
            // writes records as `changed`.
            let changed = version + 1;
            let mut rows = sqlx::query_as::<_, OrderRow>(
                "SELECT id, ordered_at, region, category, customer_id, quantity, total, \
                 quantity * unit_cost, status FROM orders WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(watermark)
            .bind(max_orders)
            .fetch(&mut *tx);
            let mut chunk = Chunk::default();
            while let Some(row) = rows.try_next().await? {
                chunk.add(row);
            }
            drop(rows);
            if chunk.count == 0 {
                return Ok(ChunkOutcome::default());
            }
            let Chunk { daily, monthly, high, newest, count } = chunk;

            let (lo, hi) = day_span(&daily);
            let existing: Vec<DailyRow> = sqlx::query_as(
                "SELECT day, region, category, orders, quantity, revenue, cost, customers \
                 FROM rollup_daily WHERE day BETWEEN $1 AND $2",
            )
            .bind(lo)
            .bind(hi)
            .fetch_all(&mut *tx)
            .await?;
            let merged = merge_daily(daily, existing, exact_customers)?;
            upsert_daily!(tx, merged, changed);

            let (lo, hi) = month_span(&monthly);
            let existing: Vec<(i64, String, String, Vec<u8>)> = sqlx::query_as(
                "SELECT month, region, category, customers FROM rollup_monthly \
                 WHERE month BETWEEN $1 AND $2",
            )
            .bind(lo)
            .bind(hi)
            .fetch_all(&mut *tx)
            .await?;
            let merged = merge_monthly(monthly, existing, exact_customers)?;
            upsert_monthly!(tx, merged, changed);
            rewrite_dimension_values!(tx);

            sqlx::query(
                "UPDATE dataset_state SET version = version + 1, watermark = $1, \
                 rolled_up = rolled_up + $2, last_refresh_at = $3, \
                 data_as_of = CASE WHEN data_as_of IS NULL OR data_as_of < $4 THEN $4 ELSE data_as_of END \
                 WHERE id = 1",
            )
            .bind(high)
            .bind(count)
            .bind(now)
            .bind(newest)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(ChunkOutcome { orders: count })
        })
    }

    /// Records a finished refresh (its duration only when it changed data).
    pub async fn finish_refresh(
        &self,
        now: i64,
        duration_ms: Option<i64>,
    ) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query(
                "UPDATE dataset_state SET last_refresh_at = $1, \
                 last_refresh_ms = COALESCE($2, last_refresh_ms) WHERE id = 1",
            )
            .bind(now)
            .bind(duration_ms)
            .execute(pool)
            .await
            .map(drop)
        })
    }
}

/// One chunk's orders: completed ones grouped per (day, region, category)
/// and, for customer sets, per (month, region, category).
#[derive(Default)]
pub(super) struct Chunk {
    pub(super) daily: HashMap<CellKey, Cell>,
    pub(super) monthly: HashMap<CellKey, Vec<i64>>,
    pub(super) high: i64,
    pub(super) newest: i64,
    pub(super) count: i64,
}

impl Chunk {
    pub(super) fn add(&mut self, row: OrderRow) {
        let (id, ordered_at, region, category, customer, quantity, total, cost, status) = row;
        self.high = self.high.max(id);
        self.newest = self.newest.max(ordered_at);
        self.count += 1;
        if status != "completed" {
            return;
        }
        let day = ordered_at.div_euclid(SECONDS_PER_DAY);
        self.monthly
            .entry((month_of(day), region.clone(), category.clone()))
            .or_default()
            .push(customer);
        let cell = self.daily.entry((day, region, category)).or_default();
        cell.orders += 1;
        cell.quantity += quantity;
        cell.revenue += total;
        cell.cost += cost;
        cell.customers.push(customer);
    }
}

fn day_span(cells: &HashMap<CellKey, Cell>) -> (i64, i64) {
    let days = cells.keys().map(|k| k.0);
    (days.clone().min().unwrap_or(0), days.max().unwrap_or(0))
}
/// Daily cells merged with the stored ones: key, sums, customer bytes.
type MergedDaily = Vec<(CellKey, (i64, i64, i64, i64), Vec<u8>)>;

/// The chunk's daily cells added to the stored ones (`existing`).
pub(super) fn merge_daily(
    daily: HashMap<CellKey, Cell>,
    existing: Vec<DailyRow>,
    exact_customers: usize,
) -> Result<MergedDaily, sqlx::Error> {
    let mut merged = Vec::with_capacity(daily.len());
    let mut old: HashMap<CellKey, _> = existing
        .into_iter()
        .map(|(d, r, c, o, q, rev, cost, hll)| ((d, r, c), (o, q, rev, cost, hll)))
        .collect();
    for (key, cell) in daily {
        let mut sums = (cell.orders, cell.quantity, cell.revenue, cell.cost);
        let previous = old.remove(&key);
        if let Some((o, q, rev, cost, _)) = &previous {
            sums = (sums.0 + o, sums.1 + q, sums.2 + rev, sums.3 + cost);
        }
        let stored = previous.as_ref().map(|p| p.4.as_slice());
        let bytes = distinct::add(stored, &cell.customers, exact_customers)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        merged.push((key, sums, bytes));
    }
    Ok(merged)
}

/// The chunk's monthly customers added to the stored cells.
pub(super) fn merge_monthly(
    monthly: HashMap<CellKey, Vec<i64>>,
    existing: Vec<(i64, String, String, Vec<u8>)>,
    exact_customers: usize,
) -> Result<Vec<(CellKey, Vec<u8>)>, sqlx::Error> {
    let mut merged = Vec::with_capacity(monthly.len());
    let mut old: HashMap<CellKey, Vec<u8>> = existing
        .into_iter()
        .map(|(m, r, c, hll)| ((m, r, c), hll))
        .collect();
    for (key, ids) in monthly {
        let previous = old.remove(&key);
        let bytes = distinct::add(previous.as_deref(), &ids, exact_customers)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        merged.push((key, bytes));
    }
    Ok(merged)
}

/// The first and last month in `monthly`.
fn month_span(monthly: &HashMap<CellKey, Vec<i64>>) -> (i64, i64) {
    let months: Vec<i64> = monthly.keys().map(|k| k.0).collect();
    (
        months.iter().copied().min().unwrap_or(0),
        months.iter().copied().max().unwrap_or(0),
    )
}

/// Upserts merged daily cells in `$tx` (either backend), in batches.
macro_rules! upsert_daily {
    ($tx:ident, $merged:expr, $changed:expr) => {
            for batch in $merged.chunks(UPSERT_BATCH) {
                let mut query = QueryBuilder::new(
                    "INSERT INTO rollup_daily \
                     (day, region, category, orders, quantity, revenue, cost, customers, changed) ",
                );
                query.push_values(batch, |mut row, ((day, region, category), sums, bytes)| {
                    row.push_bind(*day)
                        .push_bind(region.clone())
                        .push_bind(category.clone())
                        .push_bind(sums.0)
                        .push_bind(sums.1)
                        .push_bind(sums.2)
                        .push_bind(sums.3)
                        .push_bind(bytes.clone())
                        .push_bind($changed);
                });
                query.push(
                    " ON CONFLICT (day, region, category) DO UPDATE SET orders = excluded.orders, \
                     quantity = excluded.quantity, revenue = excluded.revenue, cost = excluded.cost, \
                     customers = excluded.customers, changed = excluded.changed",
                );
                query.build().execute(&mut *$tx).await?;
            }
    };
}
pub(super) use upsert_daily;

/// Upserts merged monthly customer cells in `$tx` (either backend), in batches.
macro_rules! upsert_monthly {
    ($tx:ident, $merged:expr, $changed:expr) => {
            for batch in $merged.chunks(UPSERT_BATCH) {
                let mut query =
                    QueryBuilder::new("INSERT INTO rollup_monthly (month, region, category, customers, changed) ");
                query.push_values(batch, |mut row, ((month, region, category), bytes)| {
                    row.push_bind(*month)
                        .push_bind(region.clone())
                        .push_bind(category.clone())
                        .push_bind(bytes.clone())
                        .push_bind($changed);
                });
                query.push(
                    " ON CONFLICT (month, region, category) DO UPDATE SET customers = excluded.customers, \
                     changed = excluded.changed",
                );
                query.build().execute(&mut *$tx).await?;
            }
    };
}
pub(super) use upsert_monthly;
