//! Request and response types of the REST API, shared by the server (which
//! produces them) and the typed client (which consumes them).

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
}

/// `GET /api/v1/health`: the process is up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
}

/// `GET /api/v1/ready`: the instance can serve requests (its database answers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    /// `ready`.
    pub status: String,
    /// The database engine in use: `sqlite` or `postgres`.
    pub database: String,
    /// Server version.
    pub version: String,
}
