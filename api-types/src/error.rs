//! The shape of every error response: `{"error": {"code", "message",
//! "request_id", "fields"}}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The body of every error response: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// What went wrong.
    pub error: ErrorBody,
}

/// One error, as the API reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `not_found` or `validation_failed`.
    pub code: String,
    /// Human-readable explanation. Never contains internal details for 5xx.
    pub message: String,
    /// The request id, to quote when reporting a problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For validation errors: what is wrong with each offending field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// For a rejected import (422 `invalid_rows`): the first problems, by line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<crate::RowProblem>>,
    /// For a rejected import: how many problems there were beyond `problems`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more_problems: Option<i64>,
}
