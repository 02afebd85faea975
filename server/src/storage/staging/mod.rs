//! Loading orders all or nothing: the rows of an import (or of a source
//! pull) go to a temporary staging table inside one transaction; the merge
//! then checks them as a whole (ids repeated in the file, ids already in
//! the warehouse), moves them into `orders` and folds into the rollups
//! those that the incremental refresh would never see (ids at or below its
//! watermark: replaced orders and gaps). Nothing is visible to readers
//! before the commit; any error rolls everything back.

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use sqlx::{Postgres, QueryBuilder, Sqlite, Transaction};

use super::{
    days::{month_of, month_start, SECONDS_PER_DAY},
    dimensions::rewrite_dimension_values,
    rollups::{
        merge_daily, merge_monthly, upsert_daily, upsert_monthly, Chunk, OrderRow, UPSERT_BATCH,
    },
    Db,
};

mod rows;

use self::rows::copy_rows;
pub use self::rows::StagedOrder;

/// Rows per SQLite insert into the staging table (13 binds each).
const SQLITE_ROWS_PER_STATEMENT: usize = 2_000;
/// A load of at least this many new orders rolls itself up (see the merge).
const BULK_ROWS: i64 = 10_000;
/// At most this many conflicting or repeated ids are listed.
pub const LISTED: i64 = 100;

/// How a merge treats the rows.
#[derive(Debug, Clone, Copy)]
pub struct MergeOptions<'a> {
    /// Replace orders whose id is present (otherwise a present id refuses
    /// the whole load).
    pub upsert: bool,
    /// Customers a rollup cell keeps exactly.
    pub exact_customers: usize,
    /// For a source pull: the source's key and the watermark of the last
    /// row, saved in the same transaction as the rows.
    pub source: Option<(&'a str, &'a str)>,
}

/// Why a merge refused the rows (nothing was loaded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Ids the file holds more than once: (line, id, first line), and how
    /// many ids in all.
    Repeated(Vec<(i64, i64, i64)>, i64),
    /// Ids already in the warehouse (insert mode): (line, id), and how many.
    Present(Vec<(i64, i64)>, i64),
}

/// What a merge did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    /// Orders added.
    pub inserted: i64,
    /// Orders replaced.
    pub updated: i64,
    /// Months whose rollups were rebuilt.
    pub months_rebuilt: usize,
}

/// The staging transaction, on either backend.
pub enum Staging {
    /// SQLite.
    Sqlite(Transaction<'static, Sqlite>),
    /// PostgreSQL.
    Postgres(Transaction<'static, Postgres>),
}

macro_rules! on_tx {
    ($staging:expr, $tx:ident => $body:expr) => {
        match $staging {
            Staging::Sqlite($tx) => $body,
            Staging::Postgres($tx) => $body,
        }
    };
}

/// Rebuilds one month of both rollups from the orders at or below the
/// watermark, in `$tx`: cells left without orders are written empty (not
/// deleted), so every instance's sketch store sees them change.
macro_rules! rebuild_month {
    ($tx:ident, $month:expr, $watermark:expr, $changed:expr, $exact:expr) => {{
        let (first, next) = (month_start($month), month_start($month + 1));
        let mut chunk = Chunk::default();
        let mut rows = sqlx::query_as::<_, OrderRow>(
            "SELECT id, ordered_at, region, category, customer_id, quantity, total, \
             quantity * unit_cost, status FROM orders \
             WHERE ordered_at >= $1 AND ordered_at < $2 AND id <= $3",
        )
        .bind(first * SECONDS_PER_DAY)
        .bind(next * SECONDS_PER_DAY)
        .bind($watermark)
        .fetch(&mut *$tx);
        while let Some(row) = rows.try_next().await? {
            chunk.add(row);
        }
        drop(rows);
        let cells: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT day, region, category FROM rollup_daily WHERE day >= $1 AND day < $2",
        )
        .bind(first)
        .bind(next)
        .fetch_all(&mut *$tx)
        .await?;
        for key in cells {
            chunk.daily.entry(key).or_default();
        }
        let cells: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT month, region, category FROM rollup_monthly WHERE month = $1")
                .bind($month)
                .fetch_all(&mut *$tx)
                .await?;
        for key in cells {
            chunk.monthly.entry(key).or_default();
        }
        let merged = merge_daily(chunk.daily, Vec::new(), $exact)?;
        upsert_daily!($tx, merged, $changed);
        let merged = merge_monthly(chunk.monthly, Vec::new(), $exact)?;
        upsert_monthly!($tx, merged, $changed);
    }};
}

/// The merge, in `$tx` (either backend).
macro_rules! merge_body {
    ($tx:ident, $options:expr) => {{
        let mut tx = $tx;
        let options: MergeOptions<'_> = $options;
        sqlx::query("CREATE INDEX import_staging_id ON import_staging (id)")
            .execute(&mut *tx)
            .await?;
        // Serialises with refreshes and other loads (as `refresh_chunk`).
        sqlx::query("UPDATE dataset_state SET version = version WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        let (watermark, version): (i64, i64) =
            sqlx::query_as("SELECT watermark, version FROM dataset_state WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        let repeated: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT MAX(line), id, MIN(line) FROM import_staging WHERE id IS NOT NULL \
             GROUP BY id HAVING COUNT(*) > 1 ORDER BY MIN(line) LIMIT $1",
        )
        .bind(LISTED)
        .fetch_all(&mut *tx)
        .await?;
        if !repeated.is_empty() {
            let count: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM (SELECT id FROM import_staging WHERE id IS NOT NULL \
                 GROUP BY id HAVING COUNT(*) > 1) AS repeated",
            )
            .fetch_one(&mut *tx)
            .await?;
            return Ok(Err(Refusal::Repeated(repeated, count)));
        }
        const PRESENT: &str = "FROM import_staging s JOIN orders o ON o.id = s.id \
             WHERE s.id <= (SELECT COALESCE(MAX(id), 0) FROM orders)";
        if !options.upsert {
            let present: Vec<(i64, i64)> = sqlx::query_as(&format!(
                "SELECT s.line, s.id {PRESENT} ORDER BY s.line LIMIT $1"
            ))
            .bind(LISTED)
            .fetch_all(&mut *tx)
            .await?;
            if !present.is_empty() {
                let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {PRESENT}"))
                    .fetch_one(&mut *tx)
                    .await?;
                return Ok(Err(Refusal::Present(present, count)));
            }
        }
        // Days whose rollups hold orders this load replaces (an insert
        // was checked to replace none: it skips these passes).
        let mut days: BTreeSet<i64> = BTreeSet::new();
        let (mut replaced_below, mut updated) = (0_i64, 0_u64);
        if options.upsert {
            let replaced: Vec<i64> = sqlx::query_scalar(&format!(
                "SELECT DISTINCT o.ordered_at / {SECONDS_PER_DAY} {PRESENT} AND o.id <= $1"
            ))
            .bind(watermark)
            .fetch_all(&mut *tx)
            .await?;
            days.extend(replaced);
            replaced_below =
                sqlx::query_scalar(&format!("SELECT COUNT(*) {PRESENT} AND o.id <= $1"))
                    .bind(watermark)
                    .fetch_one(&mut *tx)
                    .await?;
            updated = sqlx::query(
                "DELETE FROM orders WHERE id IN \
                 (SELECT id FROM import_staging WHERE id IS NOT NULL)",
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        // Generated ids come after every id, present or staged.
        let (in_orders, in_file): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT MAX(id) FROM orders), (SELECT MAX(id) FROM import_staging)",
        )
        .fetch_one(&mut *tx)
        .await?;
        let base = in_orders.unwrap_or(0).max(in_file.unwrap_or(0));
        let loaded = sqlx::query(
            "INSERT INTO orders (id, ordered_at, customer_id, region, category, product, \
             quantity, unit_price, unit_cost, discount, total, status) \
             SELECT COALESCE(id, $1 + line), ordered_at, customer_id, region, category, product, \
             quantity, unit_price, unit_cost, discount, total, status FROM import_staging",
        )
        .bind(base)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Rows the refresh would never see: at or below its watermark.
        let (below, below_days): (i64, Vec<i64>) = {
            let found: Vec<i64> = sqlx::query_scalar(&format!(
                "SELECT DISTINCT ordered_at / {SECONDS_PER_DAY} FROM import_staging \
                 WHERE id IS NOT NULL AND id <= $1"
            ))
            .bind(watermark)
            .fetch_all(&mut *tx)
            .await?;
            let count: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM import_staging WHERE id IS NOT NULL AND id <= $1",
            )
            .bind(watermark)
            .fetch_one(&mut *tx)
            .await?;
            (count, found)
        };
        days.extend(below_days);
        sqlx::query(
            "INSERT INTO customers (id, region, signed_up_at) \
             SELECT customer_id, MIN(region), MIN(ordered_at) FROM import_staging \
             GROUP BY customer_id ON CONFLICT (id) DO NOTHING",
        )
        .execute(&mut *tx)
        .await?;
        // A bulk load that is all that waits above the watermark has its
        // months rebuilt here, whole, and the watermark moves past it: the
        // refresh folds orders in id order, which for a file is random in
        // time, so each of its chunks rewrote nearly every cell.
        let ours_above = i64::try_from(loaded).unwrap_or(0) - below;
        let (pending, top): (i64, Option<i64>) =
            sqlx::query_as("SELECT COUNT(*), MAX(id) FROM orders WHERE id > $1")
                .bind(watermark)
                .fetch_one(&mut *tx)
                .await?;
        let bulk = ours_above >= BULK_ROWS && pending == ours_above;
        let mark = if bulk {
            top.unwrap_or(watermark)
        } else {
            watermark
        };
        if bulk {
            let all: Vec<i64> = sqlx::query_scalar(&format!(
                "SELECT DISTINCT ordered_at / {SECONDS_PER_DAY} FROM import_staging"
            ))
            .fetch_all(&mut *tx)
            .await?;
            days.extend(all);
        }
        let months: BTreeSet<i64> = days.into_iter().map(month_of).collect();
        if !months.is_empty() {
            let changed = version + 1;
            for &month in &months {
                rebuild_month!(tx, month, mark, changed, options.exact_customers);
            }
            rewrite_dimension_values!(tx);
            let newest: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(ordered_at) FROM import_staging WHERE COALESCE(id, $2 + line) <= $1",
            )
            .bind(mark)
            .bind(base)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE dataset_state SET version = version + 1, watermark = $1, \
                 rolled_up = rolled_up + $2, data_as_of = CASE WHEN $3 IS NOT NULL AND \
                 (data_as_of IS NULL OR data_as_of < $3) THEN $3 ELSE data_as_of END \
                 WHERE id = 1",
            )
            .bind(mark)
            .bind(below - replaced_below + if bulk { ours_above } else { 0 })
            .bind(newest)
            .execute(&mut *tx)
            .await?;
        }
        if let Some((source, mark)) = options.source {
            sqlx::query(
                "UPDATE source_state SET source = $1, watermark = $2, \
                 rows_pulled = rows_pulled + $3 WHERE id = 1",
            )
            .bind(source)
            .bind(mark)
            .bind(i64::try_from(loaded).unwrap_or(0))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DROP TABLE import_staging")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let updated = i64::try_from(updated).unwrap_or(0);
        Ok(Ok(Merged {
            inserted: i64::try_from(loaded).unwrap_or(0) - updated,
            updated,
            months_rebuilt: months.len(),
        }))
    }};
}

const CREATE: &str = "CREATE TEMP TABLE import_staging (line BIGINT NOT NULL, id BIGINT, \
    ordered_at BIGINT NOT NULL, customer_id BIGINT NOT NULL, region TEXT NOT NULL, \
    category TEXT NOT NULL, product TEXT NOT NULL, quantity BIGINT NOT NULL, \
    unit_price BIGINT NOT NULL, unit_cost BIGINT NOT NULL, discount BIGINT NOT NULL, \
    total BIGINT NOT NULL, status TEXT NOT NULL)";
const COLUMNS: &str = "line, id, ordered_at, customer_id, region, category, product, quantity, \
    unit_price, unit_cost, discount, total, status";

impl Db {
    /// Begins loading: a transaction with an empty staging table.
    pub async fn begin_staging(&self) -> Result<Staging, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query(CREATE).execute(&mut *tx).await?;
                Staging::Sqlite(tx)
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query(&format!("{CREATE} ON COMMIT DROP"))
                    .execute(&mut *tx)
                    .await?;
                Staging::Postgres(tx)
            }
        })
    }
}

impl Staging {
    /// Adds rows to the staging table.
    pub async fn push(&mut self, rows: &[StagedOrder]) -> Result<(), sqlx::Error> {
        match self {
            Staging::Postgres(tx) => {
                let mut copy = tx
                    .copy_in_raw(&format!("COPY import_staging ({COLUMNS}) FROM STDIN"))
                    .await?;
                copy.send(copy_rows(rows).as_bytes()).await?;
                copy.finish().await.map(drop)
            }
            Staging::Sqlite(tx) => {
                for batch in rows.chunks(SQLITE_ROWS_PER_STATEMENT) {
                    let mut query =
                        QueryBuilder::new(format!("INSERT INTO import_staging ({COLUMNS}) "));
                    query.push_values(batch, |mut row, o| {
                        row.push_bind(o.line)
                            .push_bind(o.id)
                            .push_bind(o.ordered_at)
                            .push_bind(o.customer_id)
                            .push_bind(o.region.as_str())
                            .push_bind(o.category.as_str())
                            .push_bind(o.product.as_str())
                            .push_bind(o.quantity)
                            .push_bind(o.unit_price)
                            .push_bind(o.unit_cost)
                            .push_bind(o.discount)
                            .push_bind(o.total())
                            .push_bind(o.status);
                    });
                    query.build().execute(&mut **tx).await?;
                }
                Ok(())
            }
        }
    }

    /// Moves the staged rows into the warehouse and commits, or refuses
    /// them (and rolls back). See [`MergeOptions`].
    pub async fn merge(
        self,
        options: MergeOptions<'_>,
    ) -> Result<Result<Merged, Refusal>, sqlx::Error> {
        on_tx!(self, tx => merge_body!(tx, options))
    }
}
