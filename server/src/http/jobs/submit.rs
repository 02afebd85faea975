//! `POST /api/v1/jobs/forecast` and `POST /api/v1/jobs/export`: 202 with a
//! new job, or 200 with `"deduplicated": true` and the identical job that
//! answers the request.

use api_types::{ExportRequest, ForecastRequest, SubmittedJob};
use axum::{extract::State, http::StatusCode, Extension, Json};
use serde_json::json;

use crate::{
    auth::principal::Principal,
    http::{extract::Json as JsonBody, middleware::audit::AuditNote, ApiError, AppState},
    jobs::{self, view::job_view, JobSpec},
};

pub(super) async fn forecast(
    State(app): State<AppState>,
    Extension(principal): Extension<Principal>,
    note: AuditNote,
    JsonBody(body): JsonBody<ForecastRequest>,
) -> Result<(StatusCode, Json<SubmittedJob>), ApiError> {
    note.security("job.submit", json!({ "kind": "forecast", "request": body }));
    let (_, catalog) = crate::http::analytics::current(&app).await?;
    let params = jobs::parse_forecast(&body, &catalog)?;
    submit(&app, &principal, &note, JobSpec::Forecast(params)).await
}

pub(super) async fn export(
    State(app): State<AppState>,
    Extension(principal): Extension<Principal>,
    note: AuditNote,
    JsonBody(body): JsonBody<ExportRequest>,
) -> Result<(StatusCode, Json<SubmittedJob>), ApiError> {
    note.security("job.submit", json!({ "kind": "export", "request": body }));
    let (_, catalog) = crate::http::analytics::current(&app).await?;
    let params = jobs::parse_export(&body, &catalog)?;
    submit(&app, &principal, &note, JobSpec::Export(params)).await
}

async fn submit(
    app: &AppState,
    principal: &Principal,
    note: &AuditNote,
    spec: JobSpec,
) -> Result<(StatusCode, Json<SubmittedJob>), ApiError> {
    let version = app.analytics.dataset.current().version;
    let (row, deduplicated) =
        jobs::submit(&app.db, &app.config.jobs, version, principal, &spec).await?;
    note.context(json!({
        "kind": row.kind,
        "job_id": row.id,
        "params": serde_json::from_str::<serde_json::Value>(&row.params).unwrap_or_default(),
        "deduplicated": deduplicated,
    }));
    let status = if deduplicated {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    Ok((
        status,
        Json(SubmittedJob {
            deduplicated,
            job: job_view(&row),
        }),
    ))
}
