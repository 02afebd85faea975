//! Reads of the rollups' customer sketches for the analytics domain's
//! in-memory sketch store: which cells exist and when each last
//! changed (small rows), the sketches of chosen buckets, and the sketches
//! changed since a version (newest buckets first).
//!
//! As in `warehouse.rs`, numbers are formatted from integers and filter
//! conditions come from [`OrderFilter::sql_conditions`] (bound): no user text is
//! ever formatted into a statement.

use futures_util::TryStreamExt;

use super::{days::Period, filter::bind_filter, with_pool, Db, OrderFilter};

/// The rollup level a sketch belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SketchLevel {
    /// `rollup_daily`: the bucket is a day number.
    Day,
    /// `rollup_monthly`: the bucket is `year * 12 + month0`.
    Month,
}

impl SketchLevel {
    fn table_and_column(self) -> (&'static str, &'static str) {
        match self {
            SketchLevel::Day => ("rollup_daily", "day"),
            SketchLevel::Month => ("rollup_monthly", "month"),
        }
    }
}

/// A cell (bucket, region, category) and the version that last wrote it.
pub type SketchStamp = (i64, String, String, i64);
/// A stamped cell with its serialized sketch.
pub type SketchRow = (i64, String, String, i64, Vec<u8>);

/// `SELECT columns` (after the bucket, region and category) over the cells
/// in `ranges` of buckets that match the filter's regions and categories
/// (not its period); `None` for no ranges.
fn cells_sql(
    level: SketchLevel,
    filter: &OrderFilter,
    ranges: &[Period],
    columns: &str,
) -> Option<String> {
    if ranges.is_empty() {
        return None;
    }
    let (table, column) = level.table_and_column();
    let ranges: Vec<_> = ranges
        .iter()
        .map(|r| format!("{column} BETWEEN {} AND {}", r.from, r.to))
        .collect();
    Some(format!(
        "SELECT {column}, region, category, {columns} FROM {table} WHERE ({}){}",
        ranges.join(" OR "),
        filter.sql_conditions()
    ))
}

impl Db {
    /// The cells in `ranges` (of buckets) matching the filter's regions and
    /// categories, with the version that last wrote each: no sketch bytes.
    pub async fn sketch_stamps(
        &self,
        level: SketchLevel,
        filter: &OrderFilter,
        ranges: &[Period],
    ) -> Result<Vec<SketchStamp>, sqlx::Error> {
        let Some(sql) = cells_sql(level, filter, ranges, "changed") else {
            return Ok(Vec::new());
        };
        with_pool!(self, pool => bind_filter!(sqlx::query_as(&sql), filter).fetch_all(pool).await)
    }

    /// The sketches of the cells in `ranges` matching the filter's regions
    /// and categories.
    pub async fn sketch_rows(
        &self,
        level: SketchLevel,
        filter: &OrderFilter,
        ranges: &[Period],
    ) -> Result<Vec<SketchRow>, sqlx::Error> {
        let Some(sql) = cells_sql(level, filter, ranges, "changed, customers") else {
            return Ok(Vec::new());
        };
        with_pool!(self, pool => bind_filter!(sqlx::query_as(&sql), filter).fetch_all(pool).await)
    }

    /// Hands every sketch written after version `since` to `visit`,
    /// newest bucket first, until `visit` says stop (returns `false`).
    pub async fn visit_sketches_changed_since(
        &self,
        level: SketchLevel,
        since: i64,
        mut visit: impl FnMut(SketchRow) -> bool + Send,
    ) -> Result<(), sqlx::Error> {
        let (table, column) = level.table_and_column();
        let sql = format!(
            "SELECT {column}, region, category, changed, customers FROM {table} \
             WHERE changed > {since} ORDER BY {column} DESC"
        );
        with_pool!(self, pool => {
            let mut rows = sqlx::query_as::<_, SketchRow>(&sql).fetch(pool);
            while let Some(row) = rows.try_next().await? {
                if !visit(row) {
                    break;
                }
            }
            Ok(())
        })
    }
}
