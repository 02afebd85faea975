//! The REST API under `/api/v1`. Each area exports `router()`; [`api_router`]
//! merges them, adds the JSON 404 fallback for unknown `/api/...` paths.

mod error;
pub mod error_layer;
pub mod extract;
mod health;
pub mod request_id;

use std::sync::Arc;

use axum::{extract::OriginalUri, Router};

pub use self::error::ApiError;
use crate::{config::Config, storage::Db};

/// What every API handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The validated configuration.
    pub config: Arc<Config>,
}

/// All API routes, to be mounted at `/api`.
pub fn api_router(state: AppState) -> Router {
    let v1 = Router::new().merge(health::router());
    Router::new()
        .nest("/v1", v1)
        .fallback(not_found)
        .with_state(state)
}

async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!("no API route at {}", uri.path()))
}
