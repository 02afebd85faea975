//! `GET /api/v1/data/status` (viewer+) and `POST /api/v1/data/refresh`
//! (analyst+): what the rollups hold, and rolling up new orders now.

use app::api::{DataStatus, RefreshOutcome, Role};
use axum::{extract::State, Json};

use super::{routes::Access, ApiError, ApiRoutes, AppState};
use crate::analytics::dataset;

/// Adds the routes.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    routes
        .get("/data/status", Access::AtLeast(Role::Viewer), status)
        .post("/data/refresh", Access::AtLeast(Role::Analyst), refresh)
}

async fn status(State(app): State<AppState>) -> Result<Json<DataStatus>, ApiError> {
    let state = app.analytics.dataset.sync(&app.db).await?;
    Ok(Json(dataset::status(&app.db, state).await?))
}

async fn refresh(State(app): State<AppState>) -> Result<Json<RefreshOutcome>, ApiError> {
    let outcome = app.analytics.dataset.refresh(&app.db).await?;
    tracing::info!(
        ingested = outcome.ingested,
        version = outcome.status.dataset_version,
        duration_ms = outcome.duration_ms,
        "data refreshed on request"
    );
    Ok(Json(outcome))
}
