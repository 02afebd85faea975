//! Background jobs: `POST /api/v1/jobs/forecast`, `POST /api/v1/jobs/export`,
//! `GET /api/v1/jobs`, `GET /api/v1/jobs/{id}`, `POST /api/v1/jobs/{id}/cancel`,
//! `GET /api/v1/jobs/{id}/download` and `GET /api/v1/jobs/{id}/events`
//! (Server-Sent Events: `progress`, `status`, `done`, each a [`JobView`]).
//!
//! Times are RFC 3339; dates `YYYY-MM-DD`.

use serde::{Deserialize, Serialize};

use crate::OrderField;

code_enum!(
    /// What a job does.
    JobKind {
        /// A forecast of one metric.
        Forecast = "forecast" / "Forecast",
        /// An export of orders to a file.
        Export = "export" / "Export",
    }
);

code_enum!(
    /// Where a job is in its life.
    JobStatus {
        /// Waiting for a worker.
        Queued = "queued" / "Queued",
        /// A worker is running it.
        Running = "running" / "Running",
        /// Finished with a result.
        Succeeded = "succeeded" / "Succeeded",
        /// Gave up; `error` says why.
        Failed = "failed" / "Failed",
        /// Cancelled by its owner or an admin.
        Cancelled = "cancelled" / "Cancelled",
    }
);

impl JobStatus {
    /// Whether the job will not change any more.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            JobStatus::Succeeded | JobStatus::Failed | JobStatus::Cancelled
        )
    }
}

code_enum!(
    /// What a forecast predicts.
    ForecastMetric {
        /// Revenue of completed orders.
        Revenue = "revenue" / "Revenue",
        /// Number of completed orders.
        Orders = "orders" / "Orders",
        /// Revenue − cost.
        Profit = "profit" / "Profit",
        /// Average order value.
        Aov = "aov" / "Avg. order value",
        /// Distinct customers with a completed order that day.
        ActiveCustomers = "active_customers" / "Active customers",
    }
);

code_enum!(
    /// The file format of an export.
    ExportFormat {
        /// Plain CSV.
        Csv = "csv" / "CSV",
        /// Gzip-compressed CSV.
        CsvGz = "csv.gz" / "CSV (gzip)",
    }
);

/// `POST /api/v1/jobs/forecast`. Fields are optional here so that the
/// server can name every missing one; all but the filters are required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastRequest {
    /// `revenue`, `orders`, `profit`, `aov` or `active_customers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_metric: Option<String>,
    /// Days to forecast, 7–90.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<i64>,
    /// Prediction interval, percent: 80, 90 or 95.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<i64>,
    /// `false` drops Saturdays and Sundays from history and horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_weekends: Option<bool>,
    /// Regions to include (values); empty or absent = all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Categories to include (values); empty or absent = all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

/// `POST /api/v1/jobs/export`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    /// First day, inclusive (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day, inclusive (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Regions to include (values); empty = all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Categories to include (values); empty = all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Columns, in this order; empty = all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// `csv` or `csv.gz`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

/// A forecast's parameters, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastParams {
    /// What is forecast.
    pub target_metric: ForecastMetric,
    /// Days ahead.
    pub horizon_days: u32,
    /// Interval, percent.
    pub confidence: u32,
    /// Whether weekends are part of history and horizon.
    pub include_weekends: bool,
    /// Regions (sorted; empty = all).
    pub regions: Vec<String>,
    /// Categories (sorted; empty = all).
    pub categories: Vec<String>,
}

/// An export's parameters, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportParams {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Regions (sorted; empty = all).
    pub regions: Vec<String>,
    /// Categories (sorted; empty = all).
    pub categories: Vec<String>,
    /// Columns, in file order.
    pub fields: Vec<OrderField>,
    /// File format.
    pub format: ExportFormat,
}

/// One job, as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobView {
    /// Opaque id.
    pub id: String,
    /// What it does.
    pub kind: JobKind,
    /// Normalised parameters ([`ForecastParams`] or [`ExportParams`]).
    pub params: serde_json::Value,
    /// Who submitted it.
    pub owner: String,
    /// Where it is.
    pub status: JobStatus,
    /// 0–100.
    pub progress: u8,
    /// What it is doing, e.g. `fitting ETS(A,A,A)` or `120,000 rows`.
    pub message: String,
    /// Runs started so far (a retry or a crashed worker's job adds one).
    pub attempts: u32,
    /// The dataset version it ran on.
    pub dataset_version: i64,
    /// When it was submitted.
    pub created_at: String,
    /// When its current (or last) run began.
    pub started_at: Option<String>,
    /// When it finished.
    pub finished_at: Option<String>,
    /// Why it failed (or the last retried error while it is queued).
    pub error: Option<String>,
    /// The result: a [`ForecastResult`] or an [`ExportResult`].
    pub result: Option<serde_json::Value>,
    /// Whether the export's file can still be downloaded.
    pub downloadable: bool,
    /// When the export's file expires.
    pub download_expires_at: Option<String>,
}

/// The answer to a submit: the job, and whether it is an identical one
/// submitted before (200) rather than a new one (202).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmittedJob {
    /// `true` when an identical queued, running or (for forecasts)
    /// finished job on the same data was returned instead of a new run.
    pub deduplicated: bool,
    /// The job.
    pub job: JobView,
}

/// `GET /api/v1/jobs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobList {
    /// Newest first.
    pub jobs: Vec<JobView>,
}

/// A forecast model's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// E.g. `ETS(A,Ad,A)`: error, trend, season.
    pub name: String,
    /// Seasonal period in points (7, or 5 without weekends).
    pub period: u32,
    /// Smoothing of the level.
    pub alpha: f64,
    /// Smoothing of the trend.
    pub beta: Option<f64>,
    /// Smoothing of the season.
    pub gamma: Option<f64>,
    /// Damping of the trend.
    pub phi: Option<f64>,
    /// The information criterion the model won on (AICc).
    pub aicc: f64,
    /// Every candidate with its AICc, best first.
    pub candidates: Vec<(String, f64)>,
}

/// One day of a forecast chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastPoint {
    /// The day.
    pub day: String,
    /// Observed value (history and backtest days).
    pub actual: Option<f64>,
    /// Point forecast (horizon and backtest days).
    pub forecast: Option<f64>,
    /// Lower bound of the interval.
    pub lower: Option<f64>,
    /// Upper bound of the interval.
    pub upper: Option<f64>,
}

/// How the model did on the last horizon-length stretch of history it was
/// not fitted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestView {
    /// Mean absolute percentage error over the held-out days with a
    /// non-zero value, percent (`None` when every one was zero).
    pub mape: Option<f64>,
    /// 100 − MAPE, at least 0 (`None` with `mape`).
    pub accuracy: Option<f64>,
    /// Share of held-out days inside the band, percent.
    pub coverage: f64,
    /// The held-out days: actual, forecast and band.
    pub points: Vec<ForecastPoint>,
}

/// A forecast job's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastResult {
    /// The parameters it ran with.
    pub params: ForecastParams,
    /// History (actual only), up to the last day with data.
    pub history: Vec<ForecastPoint>,
    /// The horizon (forecast and band).
    pub forecast: Vec<ForecastPoint>,
    /// The chosen model.
    pub model: ModelInfo,
    /// The backtest.
    pub backtest: BacktestView,
    /// Time spent fitting, milliseconds.
    pub fit_ms: f64,
}

/// An export job's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportResult {
    /// Rows written.
    pub rows: u64,
    /// File size in bytes.
    pub bytes: u64,
    /// The name the download is offered under.
    pub file_name: String,
}

/// `GET /api/v1/analytics/model-accuracy`: the latest succeeded revenue
/// forecast's backtest for these filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelAccuracy {
    /// `None` when no revenue forecast has succeeded for these filters.
    pub accuracy: Option<f64>,
    /// The forecast job it comes from.
    pub job_id: Option<String>,
    /// The chosen model's name.
    pub model: Option<String>,
    /// When that forecast finished.
    pub finished_at: Option<String>,
}
