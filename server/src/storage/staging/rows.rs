//! The rows a load stages, and their `COPY` text.

use std::fmt::Write as _;

use crate::storage::seed::copy_text;

/// One row to load: an order with its line in the file (money in cents,
/// time in Unix seconds). `id: None` asks for a generated id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedOrder {
    /// Line of the file (or position in a pull).
    pub line: i64,
    /// The order id, or `None` for a new one.
    pub id: Option<i64>,
    /// Order time, Unix seconds (UTC).
    pub ordered_at: i64,
    /// The ordering customer.
    pub customer_id: i64,
    /// Region.
    pub region: String,
    /// Category.
    pub category: String,
    /// Product name.
    pub product: String,
    /// Units.
    pub quantity: i64,
    /// Price per unit, cents.
    pub unit_price: i64,
    /// Cost per unit, cents.
    pub unit_cost: i64,
    /// Discount on the order, cents.
    pub discount: i64,
    /// `completed`, `returned` or `cancelled`.
    pub status: &'static str,
}

impl StagedOrder {
    /// Quantity × unit price − discount.
    pub fn total(&self) -> i64 {
        self.quantity * self.unit_price - self.discount
    }
}

/// Rows as `COPY … FROM STDIN` text.
pub(super) fn copy_rows(rows: &[StagedOrder]) -> String {
    let mut text = String::with_capacity(rows.len() * 112);
    for o in rows {
        let id = o.id.map_or_else(|| "\\N".to_owned(), |id| id.to_string());
        let _ = writeln!(
            text,
            "{}\t{id}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            o.line,
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
    text
}
