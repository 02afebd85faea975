//! What an analytics question is made of: the codes (regions, categories,
//! metrics, granularities, dimensions, range presets, order columns), the
//! dashboard filters and the orders list's sorting and paging, with the query
//! strings they become.
//!
//! Dates are `YYYY-MM-DD` (UTC days).

use serde::{Deserialize, Serialize};

code_enum!(
    /// An additive sales metric (computed over completed orders).
    Metric {
        /// Σ (quantity × unit price − discount).
        Revenue = "revenue" / "Revenue",
        /// Σ (quantity × unit cost).
        Cost = "cost" / "Cost",
        /// Revenue − cost.
        Profit = "profit" / "Profit",
        /// Number of completed orders.
        Orders = "orders" / "Orders",
        /// Average order value: revenue / orders.
        Aov = "aov" / "Avg. order value",
    }
);

code_enum!(
    /// Time-series bucket size. Weeks start on Monday; buckets are clipped
    /// to the requested period.
    Granularity {
        /// One point per day.
        Day = "day" / "Day",
        /// One point per ISO week.
        Week = "week" / "Week",
        /// One point per calendar month.
        Month = "month" / "Month",
    }
);

code_enum!(
    /// What a breakdown groups by.
    Dimension {
        /// By sales region.
        Region = "region" / "Region",
        /// By product category.
        Category = "category" / "Category",
    }
);

code_enum!(
    /// A named date range, resolved by the server against the data-as-of day.
    RangePreset {
        /// The last 7 days.
        Last7 = "7d" / "Last 7 days",
        /// The last 30 days.
        Last30 = "30d" / "Last 30 days",
        /// The last 90 days.
        Last90 = "90d" / "Last 90 days",
        /// The current calendar quarter, to date.
        Quarter = "quarter" / "Quarter to date",
        /// The current calendar year, to date.
        Year = "year" / "Year to date",
    }
);

code_enum!(
    /// Columns of the orders list that can be sorted on.
    SortColumn {
        /// Order time.
        OrderedAt = "ordered_at" / "Date",
        /// Order total (revenue of the order).
        Total = "total" / "Total",
        /// Order id.
        Id = "id" / "Order",
    }
);

code_enum!(
    /// Columns of the orders list (`fields=`).
    OrderField {
        /// Order id (always returned).
        Id = "id" / "Order",
        /// Order time.
        OrderedAt = "ordered_at" / "Date",
        /// Customer id.
        CustomerId = "customer_id" / "Customer",
        /// Region.
        Region = "region" / "Region",
        /// Category.
        Category = "category" / "Category",
        /// Product name.
        Product = "product" / "Product",
        /// Quantity.
        Quantity = "quantity" / "Qty",
        /// Unit price.
        UnitPrice = "unit_price" / "Unit price",
        /// Unit cost.
        UnitCost = "unit_cost" / "Unit cost",
        /// Discount on the order.
        Discount = "discount" / "Discount",
        /// Order total: quantity × unit price − discount.
        Total = "total" / "Total",
        /// `completed`, `returned` or `cancelled`.
        Status = "status" / "Status",
    }
);

/// The dashboard filters: a date range (a preset, or `from`/`to`) and
/// region / category selections (empty = all). Serialises to the query
/// string every analytics endpoint accepts: each region as one `region=`
/// pair and each category as one `category=` pair (the server also takes
/// comma-separated `regions=` / `categories=` lists, for values without a
/// comma).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Filters {
    /// A preset range; ignored when `from` and `to` are set. Default `30d`.
    pub range: Option<RangePreset>,
    /// First day, inclusive (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Last day, inclusive (`YYYY-MM-DD`).
    pub to: Option<String>,
    /// Regions to include (values as the data holds them); empty means all.
    pub regions: Vec<String>,
    /// Categories to include (values as the data holds them); empty means all.
    pub categories: Vec<String>,
}

impl Filters {
    /// Query-string pairs, in a stable order (empty values omitted).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        match (&self.from, &self.to) {
            (Some(from), Some(to)) => {
                pairs.push(("from", from.clone()));
                pairs.push(("to", to.clone()));
            }
            _ => {
                if let Some(range) = self.range {
                    pairs.push(("range", range.code().to_owned()));
                }
            }
        }
        // One pair per value: a value may hold a comma.
        pairs.extend(self.regions.iter().map(|r| ("region", r.clone())));
        pairs.extend(self.categories.iter().map(|c| ("category", c.clone())));
        pairs
    }
}

fn join_codes<T: Copy>(items: &[T], code: impl Fn(T) -> &'static str) -> String {
    items.iter().map(|&i| code(i)).collect::<Vec<_>>().join(",")
}

/// Sorting and paging of the orders list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrdersQuery {
    /// Sort column; default `ordered_at`.
    pub sort: SortColumn,
    /// Descending (default) or ascending.
    pub descending: bool,
    /// Page size, 1–500 (default 50).
    pub limit: u32,
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Columns to return; empty = all.
    pub fields: Vec<OrderField>,
}

impl Default for OrdersQuery {
    fn default() -> Self {
        Self {
            sort: SortColumn::OrderedAt,
            descending: true,
            limit: 50,
            cursor: None,
            fields: Vec::new(),
        }
    }
}

impl OrdersQuery {
    /// Query-string pairs (beside the filters').
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let sign = if self.descending { "-" } else { "" };
        let mut pairs = vec![
            ("sort", format!("{sign}{}", self.sort.code())),
            ("limit", self.limit.to_string()),
        ];
        if let Some(cursor) = &self.cursor {
            pairs.push(("cursor", cursor.clone()));
        }
        if !self.fields.is_empty() {
            pairs.push(("fields", join_codes(&self.fields, |f| f.code())));
        }
        pairs
    }
}
