//! The REST API as the app sees it: shared types and the typed client.

mod admin;
mod analytics;
mod analytics_responses;
mod audit;
mod client;
mod client_analytics;
mod client_audit;
mod context;
mod rendered_for;
mod types;

pub use admin::*;
pub use analytics::*;
pub use analytics_responses::*;
pub use audit::*;
pub use client::{ApiClient, ClientError};
pub use context::api_client;
pub use rendered_for::{RenderedFor, RENDERED_FOR_IP_HEADER, RENDER_KEY_HEADER};
pub use types::*;
