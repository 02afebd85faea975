//! `GET /api/v1/data/status` (viewer+) and `POST /api/v1/data/refresh`
//! (analyst+): what the rollups hold, and rolling up new orders now.

use app::api::{DataStatus, RefreshOutcome, Role};
use axum::{extract::State, Json};

use super::{routes::Access, ApiError, ApiRoutes, AppState};
use serde_json::json;

use crate::audit::AuditNote;

/// Adds the routes.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    routes
        .get("/data/status", Access::AtLeast(Role::Viewer), status)
        .post("/data/refresh", Access::AtLeast(Role::Analyst), refresh)
}

async fn status(
    State(app): State<AppState>,
    note: AuditNote,
) -> Result<Json<DataStatus>, ApiError> {
    note.read("data.status", json!({}));
    Ok(Json(app.analytics.dataset.status(&app.db).await?))
}

async fn refresh(
    State(app): State<AppState>,
    note: AuditNote,
) -> Result<Json<RefreshOutcome>, ApiError> {
    note.security("data.refresh", json!({}));
    let outcome = app.analytics.dataset.refresh(&app.db).await?;
    note.context(json!({
        "ingested": outcome.ingested,
        "changed": outcome.changed,
        "dataset_version": outcome.status.dataset_version,
    }));
    tracing::info!(
        ingested = outcome.ingested,
        version = outcome.status.dataset_version,
        duration_ms = outcome.duration_ms,
        "data refreshed on request"
    );
    Ok(Json(outcome))
}
