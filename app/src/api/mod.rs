//! The REST API as the app sees it: shared types and the typed client.

mod client;
mod types;

pub use client::{ApiClient, ClientError};
pub use types::*;
