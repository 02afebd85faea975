//! Bringing data in: the dimension catalog (`GET /api/v1/data/dimensions`)
//! and CSV imports (`/api/v1/data/imports`).

use serde::{Deserialize, Serialize};

/// One value of a dimension, as the data holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionValue {
    /// The value (UTF-8, 1–64 characters, trimmed).
    pub value: String,
    /// Completed orders with this value.
    pub orders: i64,
}

/// `GET /api/v1/data/dimensions`: every region and category the data holds,
/// most orders first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimensions {
    /// The dataset version the catalog belongs to.
    pub dataset_version: i64,
    /// Regions.
    pub regions: Vec<DimensionValue>,
    /// Categories.
    pub categories: Vec<DimensionValue>,
}

code_enum!(
    /// What an import does with an order id the warehouse already holds.
    ImportMode {
        /// A present id is a conflict: the file is rejected (the default).
        Insert = "insert" / "Insert",
        /// A present id is replaced by the file's row.
        Upsert = "upsert" / "Upsert",
    }
);

code_enum!(
    /// Where an import is.
    ImportStatus {
        /// Waiting for a worker (large files run as a background job).
        Queued = "queued" / "Queued",
        /// Being read and loaded.
        Running = "running" / "Running",
        /// Loaded: every row is in the warehouse.
        Succeeded = "succeeded" / "Loaded",
        /// Refused: the file had problems; nothing was loaded.
        Rejected = "rejected" / "Rejected",
        /// Failed for a reason other than the file (nothing was loaded).
        Failed = "failed" / "Failed",
    }
);

/// One problem with one cell (or row) of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    /// The column, as the header names it (absent for a whole-row problem).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The offending value, shortened and with control characters escaped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What is wrong and what would be accepted.
    pub message: String,
}

/// One import, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    /// Import id.
    pub id: i64,
    /// The uploaded file's name (as the client gave it; never used on disk).
    pub file_name: String,
    /// Bytes uploaded.
    pub size_bytes: i64,
    /// Insert or upsert.
    pub mode: ImportMode,
    /// Where it is.
    pub status: ImportStatus,
    /// Data rows read so far (all of them once finished).
    pub rows: i64,
    /// Orders added.
    pub inserted: i64,
    /// Orders replaced (upsert).
    pub updated: i64,
    /// The first problems found (at most 100), when rejected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<RowProblem>,
    /// Problems found beyond those listed.
    #[serde(default)]
    pub more_problems: i64,
    /// A one-line outcome ("1,000 orders added", the reason of a failure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The background job loading it (large files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// Who uploaded it.
    pub created_by: String,
    /// When it was uploaded (RFC 3339).
    pub created_at: String,
    /// When it finished (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// The dataset version after it loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_version: Option<i64>,
}

/// `GET /api/v1/data/imports`: newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportList {
    /// Imports the caller may see (admins: everyone's).
    pub imports: Vec<ImportView>,
}

code_enum!(
    /// How the last pull from the warehouse source went.
    SourceState {
        /// No pull has finished yet.
        Pending = "pending" / "Waiting for the first pull",
        /// The last pull succeeded.
        Ok = "ok" / "Up to date",
        /// The last pull failed; the data from earlier pulls is kept.
        Failing = "failing" / "Failing",
    }
);

/// The PostgreSQL warehouse source (`TESSERA_SOURCE_URL`), in
/// `GET /api/v1/data/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStatus {
    /// What is read: `table orders` or `query`, and the host and database
    /// (never the password).
    pub description: String,
    /// The watermark column.
    pub watermark_column: String,
    /// The last watermark value pulled (as text), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<String>,
    /// How the last pull went.
    pub state: SourceState,
    /// When the last pull finished (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_pull_at: Option<String>,
    /// Rows the last successful pull moved.
    #[serde(default)]
    pub last_pull_rows: i64,
    /// Rows pulled since this instance started.
    #[serde(default)]
    pub rows_pulled: i64,
    /// Why the last pull failed (a short, password-free message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}
