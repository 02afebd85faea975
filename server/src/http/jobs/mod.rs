//! `/api/v1/jobs`: submit forecasts and exports (analyst and up), list,
//! read, cancel, download and follow them (their owner, or an admin; any
//! other caller gets 404). Every submit, cancel and download is an audit row.

mod accuracy;
mod stream;
mod submit;

use api_types::{JobList, JobView, Role};
use axum::{
    extract::{Path, Query, State},
    Extension, Json,
};
use serde::Deserialize;
use serde_json::json;

use super::{middleware::audit::AuditNote, routes::Access, ApiError, ApiRoutes, AppState};
use crate::{
    auth::principal::Principal,
    jobs::{self, view::job_view},
};

/// Adds the routes.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    let viewer = Access::AtLeast(Role::Viewer);
    let analyst = Access::AtLeast(Role::Analyst);
    routes
        .post("/jobs/forecast", analyst, submit::forecast)
        .post("/jobs/export", analyst, submit::export)
        .get("/jobs", viewer, list)
        .get("/jobs/{id}", viewer, one)
        .post("/jobs/{id}/cancel", viewer, cancel)
        .get("/jobs/{id}/download", viewer, stream::download)
        .get("/jobs/{id}/events", viewer, stream::events)
        .get(
            "/analytics/model-accuracy",
            viewer,
            accuracy::model_accuracy,
        )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    #[serde(default)]
    all: bool,
}

async fn list(
    State(app): State<AppState>,
    Extension(principal): Extension<Principal>,
    note: AuditNote,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<JobList>, ApiError> {
    let Query(query) =
        query.map_err(|_| ApiError::BadRequest("the only parameter is all=true|false".into()))?;
    note.read("jobs.list", json!({ "all": query.all }));
    if query.all && principal.role != Role::Admin {
        return Err(ApiError::Forbidden(
            "only admins can list every user's jobs".into(),
        ));
    }
    let rows = jobs::list(&app.db, &principal, query.all).await?;
    Ok(Json(JobList {
        jobs: rows.iter().map(job_view).collect(),
    }))
}

async fn one(
    State(app): State<AppState>,
    Extension(principal): Extension<Principal>,
    note: AuditNote,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ApiError> {
    note.read("jobs.view", json!({ "job_id": id }));
    let row = jobs::visible(&app.db, &principal, &id).await?;
    Ok(Json(job_view(&row)))
}

async fn cancel(
    State(app): State<AppState>,
    Extension(principal): Extension<Principal>,
    note: AuditNote,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ApiError> {
    note.security("job.cancel", json!({ "job_id": id }));
    let row = jobs::cancel(&app.db, &principal, &id).await?;
    note.context(json!({ "job_id": row.id, "kind": row.kind, "status": row.status }));
    Ok(Json(job_view(&row)))
}
