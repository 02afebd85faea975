//! `GET /api/v1/upstream/summary?horizonDays=N` (viewer and up): the
//! upstream metrics service's summary, fresh, cached or stale. 404
//! `not_configured` when this instance has no upstream.

use std::time::SystemTime;

use api_types::{Role, UpstreamSummary, UPSTREAM_NOT_CONFIGURED};
use axum::{
    extract::{RawQuery, State},
    Json,
};
use serde_json::json;

use super::{middleware::audit::AuditNote, routes::Access, ApiError, ApiRoutes, AppState};
use crate::{
    analytics::params::Params,
    jobs::view::rfc3339_ms,
    upstream::{Answer, HorizonDays},
};

/// The query parameter naming the horizon (the upstream service's spelling).
const HORIZON: &str = "horizonDays";

/// Adds the route.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    routes.get("/upstream/summary", Access::AtLeast(Role::Viewer), summary)
}

#[tracing::instrument(skip_all)]
async fn summary(
    State(app): State<AppState>,
    note: AuditNote,
    RawQuery(raw): RawQuery,
) -> Result<Json<UpstreamSummary>, ApiError> {
    note.read("upstream.summary", json!({ "query": raw }));
    let mut params = Params::parse(raw.as_deref(), &[HORIZON]);
    let horizon = params
        .take_with(HORIZON, HorizonDays::parse)
        .unwrap_or(HorizonDays::DEFAULT);
    let horizon = params.finish(horizon)?;
    note.context(json!({ "horizon_days": horizon.get() }));
    let Some(upstream) = app.upstream.as_deref() else {
        return Err(ApiError::NotConfigured(
            UPSTREAM_NOT_CONFIGURED,
            "no upstream service is configured (TESSERA_UPSTREAM_URL)".into(),
        ));
    };
    let answer = upstream.summary(horizon).await?;
    Ok(Json(view(upstream.name(), horizon, &answer)))
}

fn view(source: &str, horizon: HorizonDays, answer: &Answer) -> UpstreamSummary {
    let fetched = &answer.fetched;
    let since_epoch = fetched
        .fetched_at
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let age = SystemTime::now()
        .duration_since(fetched.fetched_at)
        .unwrap_or_default();
    UpstreamSummary {
        source: source.to_owned(),
        horizon_days: horizon.get(),
        figures: fetched.figures.clone(),
        as_of: fetched.as_of.clone(),
        fetched_at: rfc3339_ms(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)),
        age_seconds: age.as_secs(),
        stale: answer.stale.is_some(),
        stale_reason: answer.stale,
    }
}
