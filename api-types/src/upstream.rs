//! The upstream metrics service: `GET /api/v1/upstream/summary?horizonDays=N`
//! (viewer and up; `horizonDays` 1–365, default 30).
//!
//! Answers: 200 with an [`UpstreamSummary`] (possibly `stale`); 404 with
//! code [`UPSTREAM_NOT_CONFIGURED`] when this instance has no upstream (the
//! dashboard then hides the card); 503 [`UPSTREAM_UNAVAILABLE`] when the
//! service is down and no earlier answer exists; 502 [`UPSTREAM_MALFORMED`]
//! when it answered something that is not a summary.
//!
//! Times are RFC 3339.

use serde::{Deserialize, Serialize};

/// Error code: no upstream service is configured (404).
pub const UPSTREAM_NOT_CONFIGURED: &str = "not_configured";
/// Error code: the upstream service is down and nothing is cached (503).
pub const UPSTREAM_UNAVAILABLE: &str = "upstream_unavailable";
/// Error code: the upstream service answered something unreadable (502).
pub const UPSTREAM_MALFORMED: &str = "upstream_malformed";

code_enum!(
    /// Why an answer is stale.
    StaleReason {
        /// The last call failed (down, timing out, or answering 5xx/4xx).
        Unavailable = "upstream_unavailable" / "The service is not answering",
        /// After repeated failures the server stopped calling it for a while.
        CircuitOpen = "circuit_open" / "Calls are paused after repeated failures",
    }
);

/// One figure of the upstream summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpstreamFigure {
    /// The name the service gave it, e.g. `forecastRevenue`.
    pub key: String,
    /// A human-readable label, e.g. `Forecast revenue`.
    pub label: String,
    /// The value (always finite).
    pub value: f64,
    /// Its unit, when the service named one (e.g. `EUR`, `%`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// `GET /api/v1/upstream/summary`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpstreamSummary {
    /// The service's display name (`TESSERA_UPSTREAM_NAME`).
    pub source: String,
    /// The horizon asked for, in days.
    pub horizon_days: u32,
    /// The figures: a list in the service's order; a flat summary's in no
    /// particular order.
    pub figures: Vec<UpstreamFigure>,
    /// The service's own timestamp of the figures, when it gave one (as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// When Tessera fetched this answer (RFC 3339).
    pub fetched_at: String,
    /// Seconds since `fetched_at`.
    pub age_seconds: u64,
    /// True when this is an earlier answer served because the service
    /// cannot be asked right now.
    pub stale: bool,
    /// Why the answer is stale (only when `stale`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_reason: Option<StaleReason>,
}
