//! Reads of the orders warehouse: the dataset state and rollup queries.
//!
//! The SQL is the same on both engines. Filter conditions come from
//! [`OrderFilter::sql_conditions`] (bound parameters) and numbers are
//! formatted from integers: no user text is ever formatted into a statement.

use super::{days::Period, filter::bind_filter, with_pool, Db, OrderFilter};

/// What the rollups hold (the `dataset_state` row).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct DatasetState {
    /// Bumped by every refresh chunk that rolled up orders.
    pub version: i64,
    /// Highest order id rolled up.
    pub watermark: i64,
    /// Orders rolled up.
    pub rolled_up: i64,
    /// Newest `ordered_at` rolled up (Unix seconds).
    pub data_as_of: Option<i64>,
    /// When the last refresh finished (Unix seconds).
    pub last_refresh_at: Option<i64>,
    /// How long the last refresh that changed data took.
    pub last_refresh_ms: Option<i64>,
}

/// Sums of completed orders over some group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    /// Orders.
    pub orders: i64,
    /// Revenue in cents.
    pub revenue: i64,
    /// Cost in cents.
    pub cost: i64,
}

impl std::ops::AddAssign for Sums {
    fn add_assign(&mut self, other: Sums) {
        self.orders += other.orders;
        self.revenue += other.revenue;
        self.cost += other.cost;
    }
}

/// Warehouse sizes for the status endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WarehouseCounts {
    /// Orders not rolled up yet.
    pub pending_orders: i64,
    /// Customers (ids are dense from 1, so the highest id).
    pub customers: i64,
    /// Rows in `rollup_daily`.
    pub rollup_rows: i64,
}

/// A rollup table's size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RollupSize {
    /// Rows (cells).
    pub rows: i64,
    /// Cells holding an exact customer set (the rest hold sketches).
    pub exact_cells: i64,
    /// Bytes of the customer cells.
    pub customer_bytes: i64,
}

const SUMS: &str = "CAST(SUM(orders) AS BIGINT), CAST(SUM(revenue) AS BIGINT), \
                    CAST(SUM(cost) AS BIGINT)";

impl Db {
    /// The `dataset_state` row.
    pub async fn dataset_state(&self) -> Result<DatasetState, sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT version, watermark, rolled_up, data_as_of, last_refresh_at, \
                 last_refresh_ms FROM dataset_state WHERE id = 1",
            )
            .fetch_one(pool)
            .await
        })
    }

    /// Refreshes PostgreSQL's statistics of the warehouse tables after a
    /// bulk load. Without them (autovacuum off, or not yet run) the planner
    /// guessed wrong: counting the orders past the watermark scanned all
    /// 50 M of them (2 s) instead of reading the primary key. SQLite's
    /// planner needs none for these queries.
    pub async fn analyze_warehouse(&self) -> Result<(), sqlx::Error> {
        if let Db::Postgres(pool) = self {
            sqlx::query("ANALYZE orders, customers, rollup_daily, rollup_monthly")
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// Sizes of the warehouse tables (cheap: index lookups, small tables).
    pub async fn warehouse_counts(&self, watermark: i64) -> Result<WarehouseCounts, sqlx::Error> {
        let (pending_orders, customers, rollup_rows): (i64, Option<i64>, i64) = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM orders WHERE id > $1), \
                 (SELECT MAX(id) FROM customers), (SELECT COUNT(*) FROM rollup_daily)",
            )
            .bind(watermark)
            .fetch_one(pool)
            .await
        })?;
        Ok(WarehouseCounts {
            pending_orders,
            customers: customers.unwrap_or(0),
            rollup_rows,
        })
    }

    /// Empties the rollups (not the orders) so the next refresh rebuilds
    /// them from every order; the dataset version moves on.
    pub async fn reset_rollups(&self) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE dataset_state SET version = version + 1, watermark = 0, \
                         rolled_up = 0 WHERE id = 1")
                .execute(&mut *tx)
                .await?;
            for table in ["rollup_daily", "rollup_monthly", "dimension_values"] {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
            }
            tx.commit().await
        })
    }

    /// Per rollup table (daily, monthly): rows, and bytes of their
    /// customer cells and of whole rows (for the benchmark's report).
    pub async fn rollup_sizes(&self) -> Result<[RollupSize; 2], sqlx::Error> {
        let mut sizes = [RollupSize::default(); 2];
        for (size, table) in sizes.iter_mut().zip(["rollup_daily", "rollup_monthly"]) {
            let (rows, customer_bytes, exact): (i64, Option<i64>, Option<i64>) = match self {
                Db::Sqlite(pool) => {
                    sqlx::query_as(&format!(
                        "SELECT COUNT(*), SUM(LENGTH(customers)), \
                     SUM(CASE WHEN substr(customers, 1, 1) = X'03' THEN 1 ELSE 0 END) FROM {table}"
                    ))
                    .fetch_one(pool)
                    .await?
                }
                Db::Postgres(pool) => {
                    sqlx::query_as(&format!(
                        "SELECT COUNT(*), CAST(SUM(octet_length(customers)) AS BIGINT), \
                     CAST(SUM(CASE WHEN get_byte(customers, 0) = 3 THEN 1 ELSE 0 END) AS BIGINT) \
                     FROM {table}"
                    ))
                    .fetch_one(pool)
                    .await?
                }
            };
            *size = RollupSize {
                rows,
                exact_cells: exact.unwrap_or(0),
                customer_bytes: customer_bytes.unwrap_or(0),
            };
        }
        Ok(sizes)
    }

    /// Sums per day over `span` (instead of the filter's period), only days
    /// with orders, oldest first.
    pub async fn daily_sums(
        &self,
        filter: &OrderFilter,
        span: Period,
    ) -> Result<Vec<(i64, Sums)>, sqlx::Error> {
        let sql = format!(
            "SELECT day, {SUMS} FROM rollup_daily WHERE day BETWEEN {} AND {}{} \
             GROUP BY day ORDER BY day",
            span.from,
            span.to,
            filter.sql_conditions()
        );
        let rows: Vec<(i64, i64, i64, i64)> = with_pool!(self, pool => bind_filter!(sqlx::query_as(&sql), filter).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(day, orders, revenue, cost)| {
                (
                    day,
                    Sums {
                        orders,
                        revenue,
                        cost,
                    },
                )
            })
            .collect())
    }

    /// Sums per value of `column` (`region` or `category`) over the filter.
    pub async fn group_sums(
        &self,
        filter: &OrderFilter,
        column: &'static str,
    ) -> Result<Vec<(String, Sums)>, sqlx::Error> {
        let sql = format!(
            "SELECT {column}, {SUMS} FROM rollup_daily WHERE day BETWEEN {} AND {}{} \
             GROUP BY {column}",
            filter.period.from,
            filter.period.to,
            filter.sql_conditions()
        );
        let rows: Vec<(String, i64, i64, i64)> = with_pool!(self, pool => bind_filter!(sqlx::query_as(&sql), filter).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(key, orders, revenue, cost)| {
                (
                    key,
                    Sums {
                        orders,
                        revenue,
                        cost,
                    },
                )
            })
            .collect())
    }
}
