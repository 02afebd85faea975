//! `GET /api/v1/data/status` and `GET /api/v1/data/dimensions` (viewer+),
//! `POST /api/v1/data/refresh` (analyst+): what the rollups hold, the
//! regions and categories the data holds, and rolling up new orders now.

use api_types::{AuditOutcome, DataStatus, Dimensions, RefreshOutcome, Role};
use axum::{extract::State, Json};

use serde_json::json;

use super::{middleware::audit::AuditNote, routes::Access, ApiError, ApiRoutes, AppState};
use crate::analytics::refresh;

/// Adds the routes.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    routes
        .get("/data/status", Access::AtLeast(Role::Viewer), status)
        .get(
            "/data/dimensions",
            Access::AtLeast(Role::Viewer),
            dimensions,
        )
        .post("/data/refresh", Access::AtLeast(Role::Analyst), refresh)
}

async fn status(
    State(app): State<AppState>,
    note: AuditNote,
) -> Result<Json<DataStatus>, ApiError> {
    note.read("data.status", json!({}));
    let mut status = app.analytics.dataset.status(&app.db).await?;
    if let Some(source) = &app.source {
        status.source = Some(source.status(&app.db).await?);
    }
    Ok(Json(status))
}

/// The dimension catalog at the dataset version this instance answers at.
async fn dimensions(
    State(app): State<AppState>,
    note: AuditNote,
) -> Result<Json<Dimensions>, ApiError> {
    note.read("data.dimensions", json!({}));
    let (_, catalog) = super::analytics::current(&app).await?;
    Ok(Json(catalog.view()))
}

/// Rolls up new orders. The work runs in a task of its own, so a client
/// that disconnects does not cut it in half: its request's row says so
/// (status 499), and a `data.refresh.finished` row records how the refresh
/// that went on without it ended.
async fn refresh(
    State(app): State<AppState>,
    note: AuditNote,
) -> Result<Json<RefreshOutcome>, ApiError> {
    let attempt = refresh::attempt();
    note.security(attempt.action, attempt.context);
    let (done, answer) = tokio::sync::oneshot::channel();
    let late = note.snapshot(refresh::FINISHED);
    let work = app.clone();
    tokio::spawn(async move {
        // New rows from the warehouse source first (the outcome is in the
        // status); then the rollups.
        if let Some(source) = &work.source {
            let _ = source.pull(&work.db, &work.analytics).await;
        }
        let result = refresh::refresh(&work.db, &work.analytics.dataset, |_| {}).await;
        let Err(result) = done.send(result) else {
            return;
        };
        // Nobody waits any more: record the end.
        if let Some(mut event) = late {
            match result {
                Ok(refreshed) => event.context = refreshed.audit.context,
                Err(error) => {
                    tracing::error!(%error, "a refresh whose client had gone failed");
                    event.outcome = AuditOutcome::Error;
                }
            }
            event.status = None;
            if let Err(error) = work.audit.record_durable(event).await {
                tracing::error!(%error, "refresh end not confirmed durable in the audit log");
            }
        }
    });
    let refreshed = answer.await.map_err(|_| {
        ApiError::Internal(anyhow::anyhow!("the refresh task ended unexpectedly"))
    })??;
    note.context(refreshed.audit.context);
    Ok(Json(refreshed.value))
}
