//! The REST API as the app sees it: shared types and the typed client.

mod admin;
mod client;
mod context;
mod types;

pub use admin::*;
pub use client::{ApiClient, ClientError};
pub use context::api_client;
pub use types::*;
