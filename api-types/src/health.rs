//! Liveness and readiness: `GET /api/v1/health` and `GET /api/v1/ready`.

use serde::{Deserialize, Serialize};

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
