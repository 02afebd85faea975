//! Bulk loading of generated orders: `COPY` on PostgreSQL, multi-row
//! inserts in large transactions on SQLite.

use std::{borrow::Cow, fmt::Write as _};

use sqlx::QueryBuilder;

use super::{with_pool, Db};

/// Orders per SQLite statement (12 binds each; SQLite allows 32,766).
const SQLITE_ROWS_PER_STATEMENT: usize = 2_500;

/// An order to load (money in cents, time in Unix seconds): one row of
/// `orders`, as the data generator makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Id (dense from 1).
    pub id: i64,
    /// Order time, Unix seconds (UTC).
    pub ordered_at: i64,
    /// The ordering customer.
    pub customer_id: i64,
    /// Sales region (the data's own value).
    pub region: Cow<'static, str>,
    /// Product category (the data's own value).
    pub category: Cow<'static, str>,
    /// Product name.
    pub product: Cow<'static, str>,
    /// Units ordered.
    pub quantity: i64,
    /// Price per unit, in cents.
    pub unit_price: i64,
    /// Cost per unit, in cents.
    pub unit_cost: i64,
    /// Discount on the order, in cents.
    pub discount: i64,
    /// `completed`, `returned` or `cancelled`.
    pub status: &'static str,
}

impl Order {
    /// Quantity × unit price − discount.
    pub fn total(&self) -> i64 {
        self.quantity * self.unit_price - self.discount
    }
}

/// A customer to load: one row of `customers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Id (dense from 1).
    pub id: i64,
    /// Sales region.
    pub region: Cow<'static, str>,
    /// First order time, Unix seconds.
    pub signed_up_at: i64,
}

impl Db {
    /// Whether the warehouse holds any order.
    pub async fn has_orders(&self) -> Result<bool, sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM (SELECT 1 FROM orders LIMIT 1) AS any_order")
                .fetch_one(pool)
                .await
                .map(|n| n > 0)
        })
    }

    /// Empties the warehouse and its rollups; the dataset version moves on.
    pub async fn clear_warehouse(&self) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for table in [
                "orders",
                "customers",
                "rollup_daily",
                "rollup_monthly",
                "dimension_values",
            ] {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
            }
            sqlx::query(
                "UPDATE dataset_state SET version = version + 1, watermark = 0, rolled_up = 0, \
                 data_as_of = NULL WHERE id = 1",
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })
    }

    /// Appends customers and orders in one transaction.
    pub async fn insert_batch(
        &self,
        customers: &[Customer],
        orders: &[Order],
    ) -> Result<(), sqlx::Error> {
        match self {
            Db::Postgres(pool) => insert_batch_pg(pool, customers, orders).await,
            Db::Sqlite(pool) => insert_batch_sqlite(pool, customers, orders).await,
        }
    }
}

/// PostgreSQL: `COPY` of both tables in one transaction.
async fn insert_batch_pg(
    pool: &sqlx::PgPool,
    customers: &[Customer],
    orders: &[Order],
) -> Result<(), sqlx::Error> {
    let mut conn = pool.begin().await?;
    if !customers.is_empty() {
        let mut copy = conn
            .copy_in_raw("COPY customers (id, region, signed_up_at) FROM STDIN")
            .await?;
        let mut text = String::with_capacity(customers.len() * 24);
        for c in customers {
            let _ = writeln!(
                text,
                "{}\t{}\t{}",
                c.id,
                copy_text(&c.region),
                c.signed_up_at
            );
        }
        copy.send(text.as_bytes()).await?;
        copy.finish().await?;
    }
    let mut copy = conn
        .copy_in_raw(
            "COPY orders (id, ordered_at, customer_id, region, category, product, \
             quantity, unit_price, unit_cost, discount, total, status) FROM STDIN",
        )
        .await?;
    let mut text = String::with_capacity(orders.len() * 96);
    for o in orders {
        let _ = writeln!(
            text,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            o.id,
            o.ordered_at,
            o.customer_id,
            copy_text(&o.region),
            copy_text(&o.category),
            copy_text(&o.product),
            o.quantity,
            o.unit_price,
            o.unit_cost,
            o.discount,
            o.total(),
            o.status
        );
    }
    copy.send(text.as_bytes()).await?;
    copy.finish().await?;
    conn.commit().await
}

/// `text` as a field of `COPY … FROM STDIN` text format: backslash, tab,
/// newline and carriage return escaped, so a value cannot end its field
/// or row early.
pub fn copy_text(text: &str) -> Cow<'_, str> {
    if !text.contains(['\\', '\t', '\n', '\r']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// SQLite: multi-row inserts in one transaction.
async fn insert_batch_sqlite(
    pool: &sqlx::SqlitePool,
    customers: &[Customer],
    orders: &[Order],
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for batch in customers.chunks(SQLITE_ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::new("INSERT INTO customers (id, region, signed_up_at) ");
        query.push_values(batch, |mut row, c| {
            row.push_bind(c.id)
                .push_bind(c.region.as_ref())
                .push_bind(c.signed_up_at);
        });
        query.build().execute(&mut *tx).await?;
    }
    for batch in orders.chunks(SQLITE_ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::new(
            "INSERT INTO orders (id, ordered_at, customer_id, region, category, product, \
             quantity, unit_price, unit_cost, discount, total, status) ",
        );
        query.push_values(batch, |mut row, o| {
            row.push_bind(o.id)
                .push_bind(o.ordered_at)
                .push_bind(o.customer_id)
                .push_bind(o.region.as_ref())
                .push_bind(o.category.as_ref())
                .push_bind(o.product.as_ref())
                .push_bind(o.quantity)
                .push_bind(o.unit_price)
                .push_bind(o.unit_cost)
                .push_bind(o.discount)
                .push_bind(o.total())
                .push_bind(o.status);
        });
        query.build().execute(&mut *tx).await?;
    }
    tx.commit().await
}
