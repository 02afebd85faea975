//! Analytics API responses: the envelope, the dashboard answers, data
//! status and cache statistics. Money is in currency units, dates
//! `YYYY-MM-DD`, times RFC 3339.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::params::{Dimension, Granularity, Metric};

/// Every analytics response: `{"meta": {...}, "data": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// Which data the answer was computed from.
    pub meta: Meta,
    /// The answer.
    pub data: T,
}

/// Provenance of an analytics answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Bumped by every refresh that changed the data.
    pub dataset_version: i64,
    /// Time of the newest order included in the rollups (RFC 3339), if any.
    pub data_as_of: Option<String>,
    /// `true` when the database could not be reached and this is the last
    /// good answer for the same question.
    pub stale: bool,
}

/// An inclusive range of days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First day (`YYYY-MM-DD`).
    pub from: String,
    /// Last day (`YYYY-MM-DD`).
    pub to: String,
}

/// One KPI for the period, the previous period of equal length, and the change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    /// Value over the requested period.
    pub value: f64,
    /// Value over the previous period of equal length.
    pub previous: f64,
    /// `value − previous`.
    pub delta: f64,
    /// Relative change, `None` when the previous value is zero.
    pub delta_pct: Option<f64>,
    /// Up to ~31 values across the period, oldest first (empty when the
    /// metric is not additive over time).
    pub spark: Vec<f64>,
}

/// `GET /api/v1/analytics/kpis`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpisData {
    /// The requested period.
    pub period: Period,
    /// The previous period of equal length.
    pub previous_period: Period,
    /// Σ revenue of completed orders.
    pub revenue: Kpi,
    /// Σ cost of completed orders.
    pub cost: Kpi,
    /// Revenue − cost.
    pub profit: Kpi,
    /// Profit / revenue (0 when there is no revenue).
    pub margin: Kpi,
    /// Number of completed orders.
    pub orders: Kpi,
    /// Average order value: revenue / orders.
    pub aov: Kpi,
    /// Distinct customers with at least one completed order in the period
    /// (within the filters). Exact unless listed in `approximate.fields`.
    pub active_customers: Kpi,
    /// Of the customers active in the previous period, the share with no
    /// completed order in this period (within the filters), 0–1. Exact
    /// unless listed in `approximate.fields`.
    pub churn_rate: Kpi,
    /// Which customer figures of this answer are estimates, and how far
    /// each may be off.
    pub approximate: Approximation,
}

/// Which distinct-customer figures of one answer are estimated, and how
/// far each may be from the exact figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approximation {
    /// The figures estimated in this answer, e.g. `["churn_rate"]`; empty
    /// when every figure is exact.
    pub fields: Vec<String>,
    /// The distinct-customer figures computed exactly in this answer.
    pub exact: Vec<String>,
    /// Per estimated KPI: the most its `value` and `previous` may be from
    /// the exact figures (three standard errors; 0 where exact). The
    /// customers answer gives each point's bounds instead.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bounds: BTreeMap<String, ErrorBound>,
    /// The estimator, e.g. `HyperLogLog (p=14, Ertl estimator)`.
    pub method: String,
    /// Relative standard error of one estimated distinct count, e.g. `0.0081`.
    pub standard_error: f64,
}

/// How far an estimated KPI's numbers may be from the exact ones, in the
/// KPI's unit (customers; a 0–1 share for churn).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ErrorBound {
    /// The most |value − exact value| may be (0 when exact).
    pub value: f64,
    /// The most |previous − exact previous| may be (0 when exact).
    pub previous: f64,
}

/// One point of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// First day of the bucket (`YYYY-MM-DD`).
    pub start: String,
    /// The metric over the bucket.
    pub value: f64,
}

/// `GET /api/v1/analytics/timeseries`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeseriesData {
    /// The metric.
    pub metric: Metric,
    /// Bucket size.
    pub granularity: Granularity,
    /// The requested period.
    pub period: Period,
    /// One point per bucket, every bucket present (zero when empty).
    pub points: Vec<Point>,
    /// With `compare=true`: the previous period, bucket by bucket.
    pub previous: Option<Vec<Point>>,
}

/// One bar of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreakdownItem {
    /// The region or category (as the data holds it).
    pub key: String,
    /// Its label (the same text).
    pub label: String,
    /// The metric for this group.
    pub value: f64,
    /// Share of the total (for additive metrics), 0–1.
    pub share: f64,
}

/// `GET /api/v1/analytics/breakdown`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreakdownData {
    /// What the bars group by.
    pub dimension: Dimension,
    /// The metric.
    pub metric: Metric,
    /// The requested period.
    pub period: Period,
    /// Groups, largest first, at most `limit`.
    pub items: Vec<BreakdownItem>,
    /// The metric over all groups.
    pub total: f64,
}

/// One bucket of the customer view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerPoint {
    /// First day of the bucket.
    pub start: String,
    /// Distinct customers with a completed order in the bucket.
    pub active: f64,
    /// Customers active in the previous bucket but not in this one.
    pub churned: f64,
    /// The most `active` may be from the exact count (0 when exact).
    #[serde(default)]
    pub active_bound: f64,
    /// The most `churned` may be from the exact count (0 when exact).
    #[serde(default)]
    pub churned_bound: f64,
}

/// `GET /api/v1/analytics/customers`: active vs churned customers per bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomersData {
    /// Bucket size.
    pub granularity: Granularity,
    /// The requested period.
    pub period: Period,
    /// One point per bucket.
    pub points: Vec<CustomerPoint>,
    /// Whether any point's counts are estimated (`active`, `churned`), and
    /// how.
    pub approximate: Approximation,
}

/// One order; only the requested `fields` are present.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderRow {
    /// Order id.
    pub id: i64,
    /// Order time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_at: Option<String>,
    /// Customer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<i64>,
    /// Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Product name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// Unit price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<f64>,
    /// Unit cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<f64>,
    /// Discount on the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<f64>,
    /// Order total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<f64>,
    /// `completed`, `returned` or `cancelled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// `GET /api/v1/orders`: one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrdersPage {
    /// The requested period.
    pub period: Period,
    /// Orders on this page.
    pub items: Vec<OrderRow>,
    /// Pass as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// `GET /api/v1/data/status`: what the rollups hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataStatus {
    /// Bumped by every refresh that changed the data.
    pub dataset_version: i64,
    /// Time of the newest order in the rollups (RFC 3339).
    pub data_as_of: Option<String>,
    /// Orders in the warehouse.
    pub orders: i64,
    /// Orders already rolled up (the watermark is the highest such id).
    pub orders_rolled_up: i64,
    /// Customers in the warehouse.
    pub customers: i64,
    /// Rows in the daily rollup.
    pub rollup_rows: i64,
    /// When the last refresh finished (RFC 3339).
    pub last_refresh_at: Option<String>,
    /// How long the last refresh that changed data took, in milliseconds.
    pub last_refresh_ms: Option<i64>,
    /// The PostgreSQL warehouse source, when one is configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::SourceStatus>,
}

/// `POST /api/v1/data/refresh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshOutcome {
    /// Orders newly rolled up.
    pub ingested: i64,
    /// Whether the dataset version changed.
    pub changed: bool,
    /// How long this refresh took, in milliseconds.
    pub duration_ms: i64,
    /// The status after the refresh.
    pub status: DataStatus,
}

/// `GET /api/v1/admin/cache`: one query class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheClassStats {
    /// `kpis`, `timeseries`, `breakdown`, `customers` or `orders`.
    pub class: String,
    /// Answers served from the cache.
    pub hits: u64,
    /// Requests that found no entry.
    pub misses: u64,
    /// Database loads (one per missing key, however many asked at once).
    pub loads: u64,
    /// Loads that failed.
    pub load_errors: u64,
    /// Stale answers served while the database failed.
    pub stale_served: u64,
    /// Total time spent loading, in milliseconds.
    pub load_ms_total: f64,
    /// Mean load time, in milliseconds.
    pub load_ms_mean: f64,
    /// Entries evicted for size or expiry.
    pub evictions: u64,
    /// Entries now cached.
    pub entries: u64,
    /// Time to live of an entry, in seconds.
    pub ttl_seconds: u64,
}

/// `GET /api/v1/admin/cache`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheStats {
    /// The dataset version keys are built with.
    pub dataset_version: i64,
    /// Bytes of cached answers, all classes.
    pub weighted_bytes: u64,
    /// The size bound, in bytes.
    pub max_bytes: u64,
    /// Per query class.
    pub classes: Vec<CacheClassStats>,
    /// The customer sketches held in memory.
    pub sketches: SketchStoreStats,
}

/// The customer sketches an instance holds in memory (see
/// `TESSERA_SKETCH_CACHE_MB`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SketchStoreStats {
    /// Sketches held.
    pub entries: u64,
    /// Their weight in bytes.
    pub bytes: u64,
    /// The size bound, in bytes (0: the store is off).
    pub max_bytes: u64,
    /// Sketches written up to this dataset version have been loaded in the
    /// background (as far as the bound allows).
    pub warmed_version: i64,
}
