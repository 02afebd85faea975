//! The orders list: the one read of the raw `orders` table, always bounded
//! by an indexed time range and keyset-paginated.

use super::{days::SECONDS_PER_DAY, filter::bind_filter, OrderFilter};
use super::{with_pool, Db};

/// A stored order (money in cents, time in Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredOrder {
    /// Id (dense from 1).
    pub id: i64,
    /// Order time, Unix seconds (UTC).
    pub ordered_at: i64,
    /// The ordering customer.
    pub customer_id: i64,
    /// Sales region.
    pub region: String,
    /// Product category.
    pub category: String,
    /// Product name.
    pub product: String,
    /// Units ordered.
    pub quantity: i64,
    /// Price per unit, in cents.
    pub unit_price: i64,
    /// Cost per unit, in cents.
    pub unit_cost: i64,
    /// Discount on the order, in cents.
    pub discount: i64,
    /// Quantity × unit price − discount, in cents.
    pub total: i64,
    /// `completed`, `returned` or `cancelled`.
    pub status: String,
}

/// Which column the list is sorted on (with `id` as the tie-breaker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderSort {
    /// `ordered_at`.
    Time,
    /// `total`.
    Total,
    /// `id` alone.
    Id,
}

impl OrderSort {
    fn column(self) -> &'static str {
        match self {
            OrderSort::Time => "ordered_at",
            OrderSort::Total => "total",
            OrderSort::Id => "id",
        }
    }

    /// The sort value of an order.
    pub fn value(self, order: &StoredOrder) -> i64 {
        match self {
            OrderSort::Time => order.ordered_at,
            OrderSort::Total => order.total,
            OrderSort::Id => order.id,
        }
    }
}

impl Db {
    /// Up to `limit` orders matching `filter`, sorted, after `after`
    /// (the sort value and id of the previous page's last row).
    pub async fn list_orders(
        &self,
        filter: &OrderFilter,
        sort: OrderSort,
        descending: bool,
        after: Option<(i64, i64)>,
        limit: i64,
    ) -> Result<Vec<StoredOrder>, sqlx::Error> {
        let (op, dir) = if descending {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        let column = sort.column();
        let keyset = match (after, sort) {
            (None, _) => String::new(),
            (Some((_, id)), OrderSort::Id) => format!(" AND id {op} {id}"),
            (Some((value, id)), _) => format!(" AND ({column}, id) {op} ({value}, {id})"),
        };
        let order = match sort {
            OrderSort::Id => format!("id {dir}"),
            _ => format!("{column} {dir}, id {dir}"),
        };
        let (mut from, mut to) = (
            filter.period.from * SECONDS_PER_DAY,
            (filter.period.to + 1) * SECONDS_PER_DAY,
        );
        // Sorted by time, the page's position is also the time bound: SQLite
        // seeks the index from the tighter bound instead of the period's
        // start, so page n costs one page, not n.
        if let (OrderSort::Time, Some((at, _))) = (sort, after) {
            if descending {
                to = to.min(at + 1);
            } else {
                from = from.max(at);
            }
        }
        let sql = format!(
            "SELECT id, ordered_at, customer_id, region, category, product, quantity, unit_price, \
             unit_cost, discount, total, status FROM orders \
             WHERE ordered_at >= {from} AND ordered_at < {to}{}{keyset} ORDER BY {order} LIMIT {limit}",
            filter.sql_conditions(),
        );
        with_pool!(self, pool => bind_filter!(sqlx::query_as(&sql), filter).fetch_all(pool).await)
    }
}

impl Db {
    /// How many orders match `filter` (every status).
    pub async fn count_orders(&self, filter: &OrderFilter) -> Result<i64, sqlx::Error> {
        let sql = format!(
            "SELECT COUNT(*) FROM orders WHERE ordered_at >= {} AND ordered_at < {}{}",
            filter.period.from * SECONDS_PER_DAY,
            (filter.period.to + 1) * SECONDS_PER_DAY,
            filter.sql_conditions(),
        );
        with_pool!(self, pool => bind_filter!(sqlx::query_scalar(&sql), filter).fetch_one(pool).await)
    }
}
